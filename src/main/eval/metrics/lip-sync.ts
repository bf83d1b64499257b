/**
 * Lip-sync metrics of the quality evaluation harness (issue 8): does the mouth open with the
 * audio, and stay closed in silence? Per video frame: the audio's RMS energy (frameEnergy) and the
 * inner-lip opening from the face mesh (mouthOpening); the score is their best Pearson
 * correlation over a few frames of lag, a cheap, download-free stand-in for SyncNet. Twin of the
 * correlation: TrainClip.sync_score in training/splatportrait/data/dataset.py (same lag sign).
 */
import { frameRms, percentile95 } from '../../engine/bake/lip-motion.ts';
import { MESH } from '../../engine/face/camera-estimate.ts';

/** Inner-lip landmarks of the MediaPipe face mesh: upper (13) and lower (14), as sync_score in dataset.py. */
export const INNER_LIP = { upper: 13, lower: 14 } as const;

/** Opening below this fraction of the face height counts as a closed mouth. */
export const MOUTH_CLOSED_OPENING = 0.02;

/** Default silence threshold: dB below the clip's 95th-percentile frame energy. */
export const SILENCE_DB = 30;

/**
 * RMS of each video frame's audio (amplitude units of the samples, not dB): frame n covers the
 * time [n / fps, (n + 1) / fps), i.e. samples [round(n * sampleRate / fps), round((n + 1) *
 * sampleRate / fps)); 0 where that range is past the end of the samples. Same framing as the
 * bake's lip-motion check (frameRms in src/main/engine/bake/lip-motion.ts, which it wraps).
 */
export function frameEnergy(samples: Float32Array, sampleRate: number, fps: number, frames: number): Float32Array {
  if (!(sampleRate > 0) || !(fps > 0)) throw new Error(`frameEnergy: sampleRate (${sampleRate}) and fps (${fps}) must be > 0`);
  if (!Number.isInteger(frames) || frames < 0) throw new Error(`frameEnergy: frames must be a whole number >= 0, got ${frames}`);
  return Float32Array.from(frameRms(samples, sampleRate, fps, frames));
}

/**
 * How open the mouth is, scale-free: the 2D (x, y) distance between the inner-lip landmarks 13
 * and 14 over the face height, the distance from landmark 10 (top of the forehead) to 152 (chin).
 * A relaxed closed mouth reads about 0, speech typically a few hundredths to ~0.15.
 */
export function mouthOpening(mesh: ArrayLike<readonly number[]>): number {
  if (mesh.length < 468) throw new Error(`mouthOpening: face mesh has ${mesh.length} points, expected at least 468`);
  const dist = (i: number, j: number): number => {
    const p = mesh[i] as readonly number[];
    const q = mesh[j] as readonly number[];
    return Math.hypot((p[0] as number) - (q[0] as number), (p[1] as number) - (q[1] as number));
  };
  const face = dist(MESH.foreheadTop, MESH.chin);
  if (!(face > 0)) throw new Error(`mouthOpening: face height (landmarks ${MESH.foreheadTop}-${MESH.chin}) is ${face}`);
  return dist(INNER_LIP.upper, INNER_LIP.lower) / face;
}

/**
 * Pearson correlation of two equally long series, in [-1, 1]; null when there are fewer than 3
 * pairs, either series is constant (all values equal), or a value is not finite.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  if (x.length !== y.length) throw new Error(`pearson: series differ in length (${x.length} and ${y.length})`);
  const n = x.length;
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let xConst = true;
  let yConst = true;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    // Constant is tested exactly: the mean of equal values can differ from them by rounding, so
    // a variance test would read noise as signal.
    if (xi !== x[0]) xConst = false;
    if (yi !== y[0]) yConst = false;
    const dx = xi - mx;
    const dy = yi - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (xConst || yConst) return null;
  const r = sxy / Math.sqrt(sxx * syy);
  return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : null;
}

export interface LagCorrelation {
  /** The highest correlation over the lags tried; null when no lag gave one. */
  correlation: number | null;
  /** Its lag in video frames: positive = the mouth follows the audio by that many frames; 0 when correlation is null. */
  lagFrames: number;
}

/**
 * Pearson correlation of opening[t] with energy[t - lag] over the frames t where both exist,
 * for each lag in [-maxLag, maxLag] (the series may differ in length); the best one wins, ties
 * going to the smaller |lag| (then the positive lag). Positive lag = the mouth follows the audio
 * by lag frames (as sync_score in dataset.py).
 */
export function bestLagCorrelation(opening: ArrayLike<number>, energy: ArrayLike<number>, maxLag: number): LagCorrelation {
  if (!Number.isInteger(maxLag) || maxLag < 0) throw new Error(`bestLagCorrelation: maxLag must be a whole number >= 0, got ${maxLag}`);
  let best: LagCorrelation = { correlation: null, lagFrames: 0 };
  const lags = [0];
  for (let l = 1; l <= maxLag; l++) lags.push(l, -l);
  for (const lag of lags) {
    const t0 = Math.max(0, lag);
    const t1 = Math.min(opening.length, energy.length + lag);
    if (t1 - t0 < 3) continue;
    const x = new Float64Array(t1 - t0);
    const y = new Float64Array(t1 - t0);
    for (let t = t0; t < t1; t++) {
      x[t - t0] = opening[t] as number;
      y[t - t0] = energy[t - lag] as number;
    }
    const r = pearson(x, y);
    if (r !== null && (best.correlation === null || r > best.correlation)) best = { correlation: r, lagFrames: lag };
  }
  return best;
}

export interface SilenceOptions {
  /**
   * A frame is silent when its energy is more than this many dB below the clip's 95th-percentile
   * frame energy; default SILENCE_DB (30).
   */
  silenceDb?: number;
}

/**
 * Silent frames of a clip: energy (RMS amplitude, so 20·log10) more than silenceDb below the
 * clip's 95th-percentile frame energy, or exactly 0. Relative to the clip, so the level of the
 * recording does not matter.
 */
export function silenceFrames(energy: ArrayLike<number>, opts: SilenceOptions = {}): boolean[] {
  const silenceDb = opts.silenceDb ?? SILENCE_DB;
  const threshold = percentile95(energy) * 10 ** (-silenceDb / 20);
  return Array.from({ length: energy.length }, (_, i) => {
    const e = energy[i] as number;
    return e === 0 || e < threshold;
  });
}

export interface ClosedRateOptions extends SilenceOptions {
  /**
   * Opening (fraction of the face height, see mouthOpening) below which the mouth counts as
   * closed; default MOUTH_CLOSED_OPENING.
   */
  closedOpening?: number;
}

export interface ClosedRate {
  /** Fraction of the silent frames with a closed mouth; null when no frame is silent. */
  rate: number | null;
  /** Silent frames counted (those with a finite opening: a frame without a face is skipped). */
  silentFrames: number;
}

/** Does the mouth rest in silence? The share of silent frames (silenceFrames) whose opening is below closedOpening. */
export function mouthClosedRateInSilence(
  opening: ArrayLike<number>,
  energy: ArrayLike<number>,
  opts: ClosedRateOptions = {},
): ClosedRate {
  if (opening.length !== energy.length) {
    throw new Error(`mouthClosedRateInSilence: ${opening.length} openings for ${energy.length} energy frames`);
  }
  const closedOpening = opts.closedOpening ?? MOUTH_CLOSED_OPENING;
  const silent = silenceFrames(energy, opts);
  let count = 0;
  let closed = 0;
  for (let i = 0; i < silent.length; i++) {
    const o = opening[i] as number;
    if (!silent[i] || !Number.isFinite(o)) continue;
    count++;
    if (o < closedOpening) closed++;
  }
  return { rate: count ? closed / count : null, silentFrames: count };
}
