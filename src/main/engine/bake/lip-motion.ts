/**
 * Does the mouth move with speech? The measure of training/lip_motion.py on the studio's own
 * path (issue 5 test "lip motion is real"; issue 8's lip-sync score builds on it): per output
 * frame, the mean motion of the mouth's splats about their mean over the clip (a constant offset
 * is a static correction, not movement), and of the rest of the face; speech and silence frames
 * told apart by the frame's audio RMS, with a voice-activity detector's hangover (speechFrames).
 *
 * `movement` is the frame-to-frame measure: how far the splats go from the frame before. It is the
 * one that asks "does the mouth move?": a mouth that holds still through a silence scores 0 there,
 * while its motion about the clip mean does not, because the speech frames pull the mean open (a
 * mouth that opens with each syllable and is closed in silence scores a motion ratio of about 2,
 * against a movement ratio of over 20).
 */
import type { Box } from '../face/lips.ts';

/** Speech when a frame's RMS exceeds this fraction of the clip's 95th-percentile frame RMS (as lip_motion.py). */
export const SPEECH_FRACTION = 0.2;

/** Splat masks (index v * R + u, model.json splat_order) of the pixels whose centres lie in a box given in crop pixels. */
export function boxMask(box: Box, cropSize: number, resolution: number): Uint8Array {
  const mask = new Uint8Array(resolution * resolution);
  const scale = cropSize / resolution;
  for (let v = 0; v < resolution; v++) {
    const y = (v + 0.5) * scale;
    if (y < box.y0 || y > box.y1) continue;
    for (let u = 0; u < resolution; u++) {
      const x = (u + 0.5) * scale;
      if (x >= box.x0 && x <= box.x1) mask[v * resolution + u] = 1;
    }
  }
  return mask;
}

/** RMS of each video frame's audio: frame j covers samples [j, j + 1) * sampleRate / fps. */
export function frameRms(samples: Float32Array, sampleRate: number, fps: number, frames: number): Float64Array {
  const out = new Float64Array(frames);
  for (let j = 0; j < frames; j++) {
    const a = Math.round((j * sampleRate) / fps);
    const b = Math.min(samples.length, Math.round(((j + 1) * sampleRate) / fps));
    let sum = 0;
    for (let i = a; i < b; i++) sum += (samples[i] as number) ** 2;
    out[j] = b > a ? Math.sqrt(sum / (b - a)) : 0;
  }
  return out;
}

/**
 * Frames within this many seconds of a voiced frame count as speech (as lip_motion.py): the lips
 * open before a word is heard and close after it, and the dips between syllables and words are
 * part of speaking. Silence is what is left: pauses longer than twice this, the lead-in and tail.
 */
export const SPEECH_HANGOVER_S = 0.2;

/** Voiced frames: RMS over SPEECH_FRACTION of the clip's 95th-percentile frame RMS. */
export function voicedFrames(rms: Float64Array): boolean[] {
  const p95 = percentile95(rms);
  return [...rms].map((r) => p95 > 0 && r > SPEECH_FRACTION * p95);
}

/** Speech frames: the voiced frames widened by `hangoverS` on both sides. */
export function speechFrames(rms: Float64Array, fps: number, hangoverS = SPEECH_HANGOVER_S): boolean[] {
  const voiced = voicedFrames(rms);
  const h = Math.round(hangoverS * fps);
  return voiced.map((_, j) => voiced.slice(Math.max(0, j - h), j + h + 1).includes(true));
}

/** Nearest-rank 95th percentile (0 for no values), as training/lip_motion.py takes it. */
export function percentile95(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(0.95 * (sorted.length - 1) + 0.5))] as number;
}

export interface RegionMotion {
  speech: number;
  silence: number;
  /** speech / silence (Infinity when the silence motion is 0). */
  ratio: number;
}

export interface LipMotion {
  mouth: RegionMotion;
  rest: RegionMotion;
  /** Mean distance each region's splats move from the frame before (world units; frame 0 moves 0). */
  movement: { mouth: RegionMotion; rest: RegionMotion };
  speechFrames: number;
  silenceFrames: number;
}

/**
 * frames(): the offsets of each frame in order ([N*3] each), read twice (mean, then motion) so a
 * long clip never sits in memory at once.
 */
export async function lipMotion(
  frames: () => AsyncIterable<Float32Array>,
  masks: { mouth: Uint8Array; rest: Uint8Array },
  speech: readonly boolean[],
): Promise<LipMotion> {
  const n = masks.mouth.length;
  const mean = new Float64Array(n * 3);
  let count = 0;
  for await (const f of frames()) {
    for (let i = 0; i < n * 3; i++) mean[i] = (mean[i] as number) + (f[i] as number);
    count++;
  }
  for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] as number) / Math.max(1, count);
  const sums = { mouth: { speech: 0, silence: 0 }, rest: { speech: 0, silence: 0 } };
  const moved = { mouth: { speech: 0, silence: 0 }, rest: { speech: 0, silence: 0 } };
  let previous: Float32Array | undefined;
  let j = 0;
  for await (const f of frames()) {
    const when = speech[j] ? 'speech' : 'silence';
    for (const region of ['mouth', 'rest'] as const) {
      const mask = masks[region];
      sums[region][when] += meanDistance(f, mean, mask);
      if (previous) moved[region][when] += meanDistance(f, previous, mask);
    }
    previous = Float32Array.from(f);
    j++;
  }
  const speechCount = speech.slice(0, j).filter(Boolean).length;
  const silenceCount = j - speechCount;
  const region = (totals: { speech: number; silence: number }): RegionMotion => {
    const sp = speechCount ? totals.speech / speechCount : 0;
    const si = silenceCount ? totals.silence / silenceCount : 0;
    return { speech: sp, silence: si, ratio: si > 0 ? sp / si : Infinity };
  };
  return {
    mouth: region(sums.mouth),
    rest: region(sums.rest),
    movement: { mouth: region(moved.mouth), rest: region(moved.rest) },
    speechFrames: speechCount,
    silenceFrames: silenceCount,
  };
}

/** Mean over the masked splats of |a - b| (offsets [N*3]). */
function meanDistance(a: Float32Array, b: ArrayLike<number>, mask: Uint8Array): number {
  let total = 0;
  let members = 0;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s]) continue;
    const dx = (a[s * 3] as number) - (b[s * 3] as number);
    const dy = (a[s * 3 + 1] as number) - (b[s * 3 + 1] as number);
    const dz = (a[s * 3 + 2] as number) - (b[s * 3 + 2] as number);
    total += Math.sqrt(dx * dx + dy * dy + dz * dz);
    members++;
  }
  return members ? total / members : 0;
}
