/**
 * The timeline's waveform peaks (issue 6: "peaks precomputed by the engine, never decoding long
 * audio in the renderer"). One fine level per media: the largest |sample| in each run of
 * SAMPLES_PER_PEAK mono samples at PEAK_SAMPLE_RATE, i.e. one byte per 2 ms, 0..255 for 0..1
 * (the same scale as the media bin's overview, audio-overview.ts). An hour is 1.8 MB. Coarser
 * views are the max over fine peaks, so they are exact at any zoom; views finer than 2 ms repeat
 * a fine peak (a frame at 25 fps spans 20 of them).
 */

/** Decode rate of the peaks, Hz: speech's band, and cheap to decode. */
export const PEAK_SAMPLE_RATE = 16_000;
/** Samples per fine peak: 2 ms at PEAK_SAMPLE_RATE. */
export const SAMPLES_PER_PEAK = 32;
/** Seconds per fine peak. */
export const PEAK_S = SAMPLES_PER_PEAK / PEAK_SAMPLE_RATE;

/** |sample| 0..1 (and beyond: clipped) as a byte 0..255. */
export function peakByte(level: number): number {
  return Math.round(Math.min(1, level) * 255);
}

/** Accumulates fine peaks from a stream of mono samples; memory is one byte per 2 ms of audio. */
export class FinePeakBuilder {
  private peaks: Uint8Array;
  private count = 0;
  private level = 0;

  /** `expectedSamples`: a size hint (the probed duration); the buffer grows past it if needed. */
  constructor(expectedSamples = 0) {
    this.peaks = new Uint8Array(Math.max(16, Math.ceil(expectedSamples / SAMPLES_PER_PEAK) + 1));
  }

  push(samples: Float32Array): void {
    for (let i = 0; i < samples.length; i++) {
      const level = Math.abs(samples[i] as number);
      if (level > this.level) this.level = level;
      this.count++;
      if (this.count % SAMPLES_PER_PEAK === 0) this.close();
    }
  }

  /** Samples pushed so far. */
  get samples(): number {
    return this.count;
  }

  /** The fine peaks, ceil(samples / SAMPLES_PER_PEAK) bytes (the last may cover fewer samples). */
  finish(): Uint8Array {
    if (this.count % SAMPLES_PER_PEAK !== 0) this.close();
    return this.peaks.slice(0, Math.ceil(this.count / SAMPLES_PER_PEAK));
  }

  private close(): void {
    const index = Math.ceil(this.count / SAMPLES_PER_PEAK) - 1;
    if (index >= this.peaks.length) {
      const grown = new Uint8Array(this.peaks.length * 2);
      grown.set(this.peaks);
      this.peaks = grown;
    }
    this.peaks[index] = peakByte(this.level);
    this.level = 0;
  }
}

/** Slack in fine-peak units, so that a slice edge computed as 49.999999999 peaks counts as 50. */
const EDGE_SLACK = 1e-9;

/**
 * Peaks of media time [startS, endS) in `bins` equal slices: per slice the max of the fine peaks
 * it overlaps (at least the one holding its start). Beyond the audio's end the level is 0.
 */
export function slicePeaks(fine: Uint8Array, startS: number, endS: number, bins: number): Uint8Array {
  if (!(endS > startS) || !(bins >= 1)) throw new RangeError(`slicePeaks: need startS < endS and bins >= 1 (got ${startS}, ${endS}, ${bins})`);
  const out = new Uint8Array(bins);
  const from = startS / PEAK_S;
  const per = (endS - startS) / PEAK_S / bins;
  for (let i = 0; i < bins; i++) {
    const first = Math.floor(from + i * per + EDGE_SLACK);
    const last = Math.min(fine.length, Math.max(first + 1, Math.ceil(from + (i + 1) * per - EDGE_SLACK)));
    let max = 0;
    for (let j = first; j < last; j++) {
      const p = fine[j] as number;
      if (p > max) max = p;
    }
    out[i] = max;
  }
  return out;
}
