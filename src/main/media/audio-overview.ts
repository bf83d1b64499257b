/**
 * A small overview of an audio file for the media bin: the peak level in each of OVERVIEW_BINS
 * equal slices of its duration, decoded by ffmpeg and streamed (constant memory, whatever the
 * length). Decoding the whole file also proves it is readable: a file that yields no samples is
 * refused as empty or corrupt. The timeline's detailed peaks are a separate, cached computation.
 */
import { spawn } from 'node:child_process';
import { ApiError } from '../../shared/api/errors.ts';
import { ffmpegPath, INSTALL_FFMPEG_HINT } from './tool-paths.ts';

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

export function audioOverview(file: string, durationS: number, name: string, signal?: AbortSignal): Promise<AudioOverview> {
  const args = ['-v', 'error', '-nostdin', '-i', file, '-vn', '-ac', '1', '-ar', String(OVERVIEW_SAMPLE_RATE), '-f', 'f32le', 'pipe:1'];
  const binner = new PeakBinner(OVERVIEW_BINS, Math.round(durationS * OVERVIEW_SAMPLE_RATE));
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let carry = Buffer.alloc(0);
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const whole = bytes.length - (bytes.length % 4);
      // Copy the aligned part: a Buffer from the stream may not sit on a 4-byte boundary.
      const aligned = new Float32Array(new Uint8Array(bytes.subarray(0, whole)).buffer);
      binner.push(aligned);
      carry = Buffer.from(bytes.subarray(whole));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new ApiError('MISSING_TOOL', `ffmpeg was not found. ${INSTALL_FFMPEG_HINT} or set SPLAT_STUDIO_FFMPEG to its path.`));
      else if (error.name === 'AbortError') reject(new ApiError('CANCELLED', 'Import cancelled'));
      else reject(error);
    });
    child.on('close', (code) => {
      if (signal?.aborted) return reject(new ApiError('CANCELLED', 'Import cancelled'));
      if (binner.samples === 0) {
        const why = stderr.trim().split('\n')[0];
        return reject(new ApiError('UNSUPPORTED_MEDIA', `${name} contains no audio samples (empty or corrupt audio${why ? `: ${why}` : ''}).`));
      }
      if (code !== 0) {
        return reject(new ApiError('UNSUPPORTED_MEDIA', `${name} could not be decoded to the end (${stderr.trim().split('\n')[0] ?? `ffmpeg exit ${code}`}). It may be truncated or corrupt.`));
      }
      resolve({ peaks: binner.toBytes(), samples: binner.samples });
    });
  });
}
