/**
 * Offsets at any instant of a clip, not only on baked frames: preview and export run at 24, 30 or
 * 60 fps (and through time warps) while a clip is baked once at its own rate. Frame i of a bake
 * is the clip-local time i / fps; between two frames the offsets are linear, and outside the
 * bake they hold the first or last frame. Offsets are float32 [numSplats * 3], added to `means`
 * (DESIGN.md "Splat buffers").
 */

/** When the frames of a bake are: frame i at clip-local time i / fps s, frames 0 .. frames - 1. */
export interface BakedTiming {
  fps: number;
  frames: number;
}

/** The offsets of one baked frame, float32 [numSplats * 3], or null if it is not at hand. */
export type FrameReader = (frame: number) => Float32Array | null;

/** The frames around an instant: the result is lower + weight * (upper - lower). */
export interface FrameBracket {
  lower: number;
  upper: number;
  /** Weight of `upper`, in [0, 1); 0 means `lower` alone (and upper === lower). */
  weight: number;
}

/**
 * Instants this close to a frame, in frames, are that frame: t = i / fps computed in float64
 * gives t * fps = i +- a few ulps, and a sample on a frame then needs only that frame.
 */
const ON_FRAME_TOLERANCE = 1e-6;

function checkTiming({ fps, frames }: BakedTiming): void {
  if (!(Number.isFinite(fps) && fps > 0)) throw new RangeError(`baked fps must be finite and > 0, got ${fps}`);
  if (!Number.isInteger(frames) || frames < 0) throw new RangeError(`baked frames must be an integer >= 0, got ${frames}`);
}

/** The frames whose offsets make the instant t (s); null when the bake has no frames. */
export function frameBracket(t: number, timing: BakedTiming): FrameBracket | null {
  checkTiming(timing);
  if (Number.isNaN(t)) throw new RangeError('frameBracket: t is NaN');
  if (timing.frames === 0) return null;
  const x = t * timing.fps;
  const last = timing.frames - 1;
  if (x <= 0) return { lower: 0, upper: 0, weight: 0 };
  if (x >= last) return { lower: last, upper: last, weight: 0 };
  const nearest = Math.round(x);
  if (Math.abs(x - nearest) < ON_FRAME_TOLERANCE) return { lower: nearest, upper: nearest, weight: 0 };
  const lower = Math.floor(x);
  return { lower, upper: lower + 1, weight: x - lower };
}

/**
 * The baked frames that sampling anywhere in [t0, t1] (s) reads, as first and count: what a
 * consumer fetches before calling offsetsAt for its own output frames. Count 0 for an empty bake.
 */
export function framesNeededFor(t0: number, t1: number, timing: BakedTiming): { first: number; count: number } {
  if (!(t1 >= t0)) throw new RangeError(`framesNeededFor: t1 (${t1}) must be >= t0 (${t0})`);
  const from = frameBracket(t0, timing);
  const to = frameBracket(t1, timing);
  if (from === null || to === null) return { first: 0, count: 0 };
  return { first: from.lower, count: to.upper - from.lower + 1 };
}

/**
 * Writes the offsets at clip-local time t (s) into `out` and returns true, or returns false
 * (leaving `out` as it may be half-written) when `read` lacks a frame it needs or the bake is
 * empty. Exact on frames; linear between; the end frames outside.
 */
export function offsetsAt(t: number, timing: BakedTiming, read: FrameReader, out: Float32Array): boolean {
  const bracket = frameBracket(t, timing);
  if (bracket === null) return false;
  const lower = read(bracket.lower);
  if (lower === null) return false;
  checkLength('frame', lower, out);
  if (bracket.weight === 0) {
    out.set(lower);
    return true;
  }
  const upper = read(bracket.upper);
  if (upper === null) return false;
  checkLength('frame', upper, out);
  const w = bracket.weight;
  for (let i = 0; i < out.length; i++) {
    const a = lower[i]!;
    out[i] = a + w * (upper[i]! - a);
  }
  return true;
}

function checkLength(what: string, values: Float32Array, out: Float32Array): void {
  if (values.length !== out.length) throw new RangeError(`${what} has ${values.length} values, out has ${out.length}`);
}

/**
 * How long a clip eases from and back to the rest offsets at each end, in seconds. Two frames at
 * 25 fps: a trim that cuts into a word no longer snaps the mouth in one frame, while a syllable
 * (about 200 ms) keeps its motion.
 */
export const REST_EASE_S = 0.08;

function smoothstep(x: number): number {
  const c = Math.min(1, Math.max(0, x));
  return c * c * (3 - 2 * c);
}

/**
 * How much of the rest pose to show at clip-local time t (s) of a clip lasting durationS: 1
 * outside the clip, easing (smoothstep, so the motion has no kink) to 0 over easeS after the start
 * and back to 1 over easeS before the end. The ease lies inside the clip so neighbouring clips on
 * a track never overlap their eases; a clip shorter than 2 easeS never fully leaves the rest.
 */
export function restWeightAt(t: number, durationS: number, easeS: number = REST_EASE_S): number {
  if (!(durationS >= 0)) throw new RangeError(`restWeightAt: durationS must be >= 0, got ${durationS}`);
  if (!(easeS >= 0)) throw new RangeError(`restWeightAt: easeS must be >= 0, got ${easeS}`);
  if (!(t >= 0 && t <= durationS)) return 1;
  if (easeS === 0) return 0;
  return 1 - Math.min(smoothstep(t / easeS), smoothstep((durationS - t) / easeS));
}

/**
 * offsets + restWeight * (rest - offsets), per value: 0 keeps the clip's offsets, 1 gives the
 * rest offsets (null rest: all zero, the static head). Writes into `out`, which may be `offsets`.
 */
export function blendToRest(
  offsets: Float32Array,
  rest: Float32Array | null,
  restWeight: number,
  out: Float32Array = new Float32Array(offsets.length),
): Float32Array {
  if (!(restWeight >= 0 && restWeight <= 1)) throw new RangeError(`blendToRest: restWeight must be in [0, 1], got ${restWeight}`);
  checkLength('offsets', offsets, out);
  if (rest !== null) checkLength('rest', rest, out);
  for (let i = 0; i < out.length; i++) {
    const a = offsets[i]!;
    out[i] = a + restWeight * ((rest === null ? 0 : rest[i]!) - a);
  }
  return out;
}
