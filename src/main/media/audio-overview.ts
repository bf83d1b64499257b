/**
 * A small overview of an audio file for the media bin: the peak level in each of OVERVIEW_BINS
 * equal slices of its duration, decoded by ffmpeg and streamed (constant memory, whatever the
 * length). Decoding the whole file also proves it is readable: a file that yields no samples is
 * refused as empty or corrupt. The timeline's detailed peaks are a separate, cached computation.
 */
import { streamPcm } from '../engine/audio/pcm-stream.ts';

export const OVERVIEW_BINS = 96;
/** Decode rate for the overview, Hz: enough to catch speech peaks, cheap to decode. */
export const OVERVIEW_SAMPLE_RATE = 8000;

export interface AudioOverview {
  /** Peak |sample| per bin, 0..1 scaled to 0..255 (absolute level, not normalised). */
  peaks: Uint8Array;
  /** Mono samples decoded at OVERVIEW_SAMPLE_RATE. */
  samples: number;
}

/** Accumulates peaks from a stream of mono float samples, given the expected total count. */
export class PeakBinner {
  private readonly peaks: Float32Array;
  private readonly expected: number;
  private count = 0;

  constructor(bins: number, expectedSamples: number) {
    this.peaks = new Float32Array(bins);
    this.expected = Math.max(1, expectedSamples);
  }

  push(samples: Float32Array): void {
    const bins = this.peaks.length;
    for (let i = 0; i < samples.length; i++) {
      const bin = Math.min(bins - 1, Math.floor(((this.count + i) * bins) / this.expected));
      const level = Math.abs(samples[i] as number);
      if (level > (this.peaks[bin] as number)) this.peaks[bin] = level;
    }
    this.count += samples.length;
  }

  get samples(): number {
    return this.count;
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.peaks, (p) => Math.round(Math.min(1, p) * 255));
  }
}

export async function audioOverview(file: string, durationS: number, name: string, signal?: AbortSignal): Promise<AudioOverview> {
  const binner = new PeakBinner(OVERVIEW_BINS, Math.round(durationS * OVERVIEW_SAMPLE_RATE));
  await streamPcm(file, { sampleRate: OVERVIEW_SAMPLE_RATE, name, signal, cancelMessage: 'Import cancelled', onSamples: (samples) => binner.push(samples) });
  return { peaks: binner.toBytes(), samples: binner.samples };
}
