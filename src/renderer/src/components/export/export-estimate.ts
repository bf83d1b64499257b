/**
 * What the dialog tells before and during an export: how long the video is and how many frames it
 * has (the back end's count, src/main/export/frame-plan.ts planFrames, of which frameCount is the
 * twin, checked in test/unit/renderer/export-form.test.ts), and progress read as words.
 */
import type { ExportProgress } from '../../../../shared/api/contract.ts';
import { formatCount } from '../../format/format.ts';

/** A duration this close to a whole number of frames is that number (planFrames' FRAME_EPSILON). */
const FRAME_EPSILON = 1e-6;

/** Frames of an export of `durationS` seconds at `fps`: whole frames covering it, at least one. */
export function frameCount(durationS: number, fps: number): number {
  return Math.max(1, Math.ceil(durationS * fps - FRAME_EPSILON));
}

/** "5.9 s · 148 frames at 25 fps", or a sentence saying there is nothing to export. */
export function estimateLine(durationS: number, fps: number): string {
  if (!(durationS > 0)) return 'Nothing to export yet: put a clip on an audio track or set camera keys.';
  const frames = frameCount(durationS, fps);
  return `${formatSeconds(frames / fps)} · ${formatCount(frames)} frames at ${fps} fps`;
}

/** 5.94 -> "5.9 s", 83 -> "1 min 23 s", 3725 -> "1 h 2 min". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`;
}

/** The safe frame's aspect for a frame size, within what the view state accepts (0.1..10). */
export function frameAspect(width: number, height: number): number | null {
  if (!(width > 0 && height > 0)) return null;
  return Math.min(10, Math.max(0.1, width / height));
}

/** 0..1 of the way through, for the bar; baking counts as its own pass, so the bar restarts for frames. */
export function progressFraction(p: Pick<ExportProgress, 'framesDone' | 'framesTotal' | 'state'>): number {
  if (p.state === 'done') return 1;
  return p.framesTotal > 0 ? Math.min(1, p.framesDone / p.framesTotal) : 0;
}

const STATE_WORDS: Record<ExportProgress['state'], string> = {
  preparing: 'Preparing…',
  baking: 'Waiting for the lips to bake…',
  rendering: 'Rendering',
  finishing: 'Finishing the file…',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled: nothing was written under that name',
};

/** One line under the progress bar: "Rendering · 40 / 148 frames · 12.5 fps · 9 s left". */
export function progressLine(p: ExportProgress): string {
  const words = STATE_WORDS[p.state];
  if (p.state === 'baking') return p.framesTotal > 0 ? `${words} ${formatCount(p.framesDone)} / ${formatCount(p.framesTotal)} frames` : words;
  if (p.state !== 'rendering') return p.framesTotal > 0 && p.state !== 'preparing' ? `${words} · ${formatCount(p.framesDone)} / ${formatCount(p.framesTotal)} frames` : words;
  const parts = [words, `${formatCount(p.framesDone)} / ${formatCount(p.framesTotal)} frames`];
  if (p.fps > 0) parts.push(`${p.fps.toFixed(1)} fps`);
  if (p.secondsLeft !== null) parts.push(`${formatSeconds(p.secondsLeft)} left`);
  return parts.join(' · ');
}
