/**
 * Timecode and the timeline ruler (issue 6: "a time ruler in timecode and frames", zoom from a
 * whole hour down to single frames). Integer frame rates only (no 29.97 drop-frame).
 */

/** Frame rate of the timeline grid: the rate frames are baked and exported at by default. */
export const TIMELINE_FPS = 25;

/** Minor ticks closer than this (CSS pixels) are left out. */
const MIN_MINOR_PX = 8;

/**
 * Frame index containing `seconds`. The guard keeps products like 0.07 * 100 = 7.000000000000001
 * or 0.29 * 100 = 28.999999999999996 on the frame they name, far below a frame at any length.
 */
function frameOf(seconds: number, fps: number): number {
  return Math.floor(seconds * fps + 1e-9);
}

function checkFps(fps: number): void {
  if (!Number.isInteger(fps) || fps < 1) throw new RangeError(`Frame rate must be a positive whole number (got ${fps}).`);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * "MM:SS:FF" below one hour, "H:MM:SS:FF" from one hour on (hours unpadded, so 100 h fits), with
 * frames padded to the digits of fps - 1 (at least two). Negative times get a leading "-".
 */
export function formatTimecode(seconds: number, fps: number): string {
  checkFps(fps);
  if (!Number.isFinite(seconds)) throw new RangeError(`Cannot format ${seconds} s as timecode.`);
  if (seconds < 0) return `-${formatTimecode(-seconds, fps)}`;
  const totalFrames = frameOf(seconds, fps);
  const frames = totalFrames % fps;
  const totalSeconds = (totalFrames - frames) / fps;
  const secs = totalSeconds % 60;
  const totalMinutes = (totalSeconds - secs) / 60;
  const minutes = totalMinutes % 60;
  const hours = (totalMinutes - minutes) / 60;
  const ff = String(frames).padStart(Math.max(2, String(fps - 1).length), '0');
  const clock = `${pad2(minutes)}:${pad2(secs)}:${ff}`;
  return hours > 0 ? `${hours}:${clock}` : clock;
}

/** Label steps in seconds from one second up, before the frame steps are added below them. */
const SECOND_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** The ruler's step ladder in frames: 1, 2, 5, 10 frames (below a second), then SECOND_STEPS, then 2, 5, 10, 20, 50... hours. */
function* stepLadder(fps: number): Generator<number> {
  for (const frames of [1, 2, 5, 10]) if (frames < fps) yield frames;
  for (const seconds of SECOND_STEPS) yield seconds * fps;
  for (let decade = 1; ; decade *= 10) for (const hours of [2, 5, 10]) yield hours * decade * 3600 * fps;
}

/**
 * Short ruler label of frame `frame` (an exact multiple of the step). Whole seconds read "0:05",
 * "12:30", "1:00:00" (M:SS below an hour, H:MM:SS from an hour); with a step under a second, the
 * ticks between whole seconds read as the frame within the second, "12f".
 */
function rulerLabel(frame: number, fps: number): string {
  if (frame < 0) return `-${rulerLabel(-frame, fps)}`;
  const withinSecond = frame % fps;
  if (withinSecond !== 0) return `${withinSecond}f`;
  const totalSeconds = frame / fps;
  const secs = totalSeconds % 60;
  const totalMinutes = (totalSeconds - secs) / 60;
  if (totalMinutes < 60) return `${totalMinutes}:${pad2(secs)}`;
  const minutes = totalMinutes % 60;
  return `${(totalMinutes - minutes) / 60}:${pad2(minutes)}:${pad2(secs)}`;
}

/** Multiples of `stepFrames` frames lying in [fromS, toS], as frame indices. */
function multiplesIn(fromS: number, toS: number, stepFrames: number, fps: number): number[] {
  const first = Math.ceil((fromS * fps) / stepFrames - 1e-9) + 0; // + 0 turns -0 into 0
  const last = Math.floor((toS * fps) / stepFrames + 1e-9);
  const frames: number[] = [];
  for (let k = first; k <= last; k++) frames.push(k * stepFrames);
  return frames;
}

/**
 * Ticks for the ruler over [fromS, toS] at `pxPerS` CSS pixels per second. The labelled (major)
 * step is the smallest of the ladder at least `minLabelPx` wide; the minor step is the smallest
 * ladder step dividing it and at least 8 px wide (none when no such step is below the major one).
 * All ticks are exact multiples of their step from time 0, so they do not swim while scrolling.
 */
export function rulerTicks(
  fromS: number,
  toS: number,
  pxPerS: number,
  fps: number,
  minLabelPx = 80,
): { major: { timeS: number; label: string }[]; minor: number[] } {
  checkFps(fps);
  if (!(pxPerS > 0) || !Number.isFinite(pxPerS)) throw new RangeError(`Zoom must be a positive number of pixels per second (got ${pxPerS}).`);
  if (!Number.isFinite(fromS) || !Number.isFinite(toS) || toS < fromS) return { major: [], minor: [] };
  const pxPerFrame = pxPerS / fps;
  let majorFrames = 1;
  for (const step of stepLadder(fps)) {
    majorFrames = step;
    if (step * pxPerFrame >= minLabelPx) break;
  }
  let minorFrames: number | null = null;
  for (const step of stepLadder(fps)) {
    if (step >= majorFrames) break;
    if (majorFrames % step === 0 && step * pxPerFrame >= MIN_MINOR_PX) {
      minorFrames = step;
      break;
    }
  }
  const major = multiplesIn(fromS, toS, majorFrames, fps).map((frame) => ({ timeS: frame / fps, label: rulerLabel(frame, fps) }));
  const minor = minorFrames === null ? [] : multiplesIn(fromS, toS, minorFrames, fps).filter((frame) => frame % majorFrames !== 0).map((frame) => frame / fps);
  return { major, minor };
}
