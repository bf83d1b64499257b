/**
 * The one ffmpeg-to-float streamer: decodes any file ffmpeg reads to mono float32 PCM at a chosen
 * rate (`-vn -ac 1 -ar <rate> -f f32le pipe:1`) and hands the samples over chunk by chunk, so a
 * caller can keep all of them (decodeAudio) or only a summary (the media bin's audioOverview).
 * It owns the child process: spawn, 4-byte realignment of the pipe's chunks, stderr capture, kill
 * on abort or on a failing consumer, and the errors a creator sees.
 */
import { spawn } from 'node:child_process';
import { ApiError } from '../../../shared/api/errors.ts';
import { ffmpegPath, INSTALL_FFMPEG_HINT } from '../../media/tool-paths.ts';

/** Bytes of one f32le sample. */
const SAMPLE_BYTES = 4;
/** stderr kept for messages, characters: the first lines name the fault. */
const STDERR_KEEP = 4000;

export interface PcmStreamOptions {
  /** Output rate, Hz; ffmpeg's resampler converts whatever the file has. */
  sampleRate: number;
  /** The file's name as the creator knows it, for messages. */
  name: string;
  /** Seconds into the file to start at (input seek, sample-accurate when decoding); default 0. */
  startS?: number;
  /** Seconds to decode from startS; default to the end. */
  durationS?: number;
  signal?: AbortSignal;
  /** Message of the CANCELLED error, e.g. 'Import cancelled'; default 'Audio decoding cancelled'. */
  cancelMessage?: string;
  /**
   * Receives each run of whole samples, in order. The array may be a view of the pipe's buffer,
   * valid only during the call: copy what you keep. Throwing stops ffmpeg and rejects with that
   * error.
   */
  onSamples(samples: Float32Array): void;
}

export interface PcmStreamResult {
  /** Samples delivered to onSamples, in all. */
  samples: number;
  /** ffmpeg's error output (`-v error`, so empty for a clean decode), first STDERR_KEEP chars. */
  stderr: string;
}

/**
 * Turns a byte stream cut at arbitrary places into runs of whole little-endian float32 samples:
 * up to 3 bytes of a split sample wait for the next chunk. Float32Array uses the platform's byte
 * order; every platform Node ships for is little-endian.
 */
export class F32Aligner {
  private readonly carry = new Uint8Array(SAMPLE_BYTES);
  private carried = 0;

  /** Calls emit with the whole samples that `bytes` completes (zero, one or two calls). */
  push(bytes: Uint8Array, emit: (samples: Float32Array) => void): void {
    let at = 0;
    if (this.carried > 0) {
      const take = Math.min(SAMPLE_BYTES - this.carried, bytes.length);
      this.carry.set(bytes.subarray(0, take), this.carried);
      this.carried += take;
      at = take;
      if (this.carried < SAMPLE_BYTES) return;
      emit(new Float32Array(this.carry.slice().buffer));
      this.carried = 0;
    }
    const whole = Math.floor((bytes.length - at) / SAMPLE_BYTES) * SAMPLE_BYTES;
    if (whole > 0) emit(floatsOf(bytes.subarray(at, at + whole)));
    const rest = bytes.subarray(at + whole);
    this.carry.set(rest);
    this.carried = rest.length;
  }

  /** Bytes of an incomplete last sample (0 after a well-formed stream). */
  get pending(): number {
    return this.carried;
  }
}

/** A view when the bytes sit on a 4-byte boundary (the usual case), else a copy. */
function floatsOf(bytes: Uint8Array): Float32Array {
  if (bytes.byteOffset % SAMPLE_BYTES === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / SAMPLE_BYTES);
  return new Float32Array(bytes.slice().buffer);
}

/** Seconds as ffmpeg's time syntax, to the microsecond (its own resolution). */
function seconds(value: number): string {
  return value.toFixed(6);
}

export function ffmpegPcmArgs(file: string, options: Pick<PcmStreamOptions, 'sampleRate' | 'startS' | 'durationS'>): string[] {
  const seek = options.startS !== undefined && options.startS > 0 ? ['-ss', seconds(options.startS)] : [];
  const span = options.durationS !== undefined ? ['-t', seconds(options.durationS)] : [];
  return ['-v', 'error', '-nostdin', ...seek, '-i', file, ...span, '-vn', '-ac', '1', '-ar', String(options.sampleRate), '-f', 'f32le', 'pipe:1'];
}

/** First line of ffmpeg's complaint, for messages. */
export function firstLine(stderr: string): string {
  return stderr.trim().split('\n')[0]?.trim() ?? '';
}

/**
 * Decodes `file` and streams its samples to onSamples. Resolves once ffmpeg has exited cleanly
 * and every sample was delivered; settles only after the child is gone, so an aborted decode
 * leaves no ffmpeg behind. Rejects with ApiError:
 *  - MISSING_TOOL: ffmpeg is not installed (or SPLAT_STUDIO_FFMPEG points nowhere);
 *  - CANCELLED: the signal fired (the child is killed);
 *  - UNSUPPORTED_MEDIA: no samples at all (empty or corrupt audio), or ffmpeg failed part way;
 *  - whatever onSamples threw.
 */
export function streamPcm(file: string, options: PcmStreamOptions): Promise<PcmStreamResult> {
  const { name, signal, onSamples } = options;
  const cancelled = (): ApiError => new ApiError('CANCELLED', options.cancelMessage ?? 'Audio decoding cancelled');
  if (signal?.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), ffmpegPcmArgs(file, options), { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const aligner = new F32Aligner();
    let count = 0;
    let stderr = '';
    let consumerError: unknown = null;
    let settled = false;
    const settle = (error: unknown, result?: PcmStreamResult): void => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(result as PcmStreamResult);
    };
    const deliver = (samples: Float32Array): void => {
      onSamples(samples);
      count += samples.length;
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (consumerError !== null) return;
      try {
        aligner.push(chunk, deliver);
      } catch (error) {
        consumerError = error;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      // A failed spawn has no process to wait for; an abort kills it and 'close' follows.
      if (error.code === 'ENOENT') settle(new ApiError('MISSING_TOOL', `ffmpeg was not found. ${INSTALL_FFMPEG_HINT} or set SPLAT_STUDIO_FFMPEG to its path.`));
      else if (error.name !== 'AbortError') settle(error);
    });
    child.on('close', (code) => {
      if (signal?.aborted) return settle(cancelled());
      if (consumerError !== null) return settle(consumerError);
      const why = firstLine(stderr);
      if (count === 0) {
        return settle(new ApiError('UNSUPPORTED_MEDIA', `${name} contains no audio samples (empty or corrupt audio${why ? `: ${why}` : ''}).`));
      }
      if (code !== 0) {
        return settle(new ApiError('UNSUPPORTED_MEDIA', `${name} could not be decoded to the end (${why || `ffmpeg exit ${code}`}). It may be truncated or corrupt.`));
      }
      settle(null, { samples: count, stderr });
    });
  });
}
