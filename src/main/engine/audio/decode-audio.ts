/**
 * Audio for the engine (DESIGN.md "Data flow"): any file ffmpeg reads (WAV of any sample format,
 * MP3, AAC/M4A, FLAC, OGG Vorbis/Opus, the sound of MP4/MOV/WebM/MKV videos) -> mono float32 PCM
 * at the front-end's rate, full scale [-1, 1]. Channels are averaged and the rate converted by
 * ffmpeg (`-ac 1 -ar 16000`), so 16-bit PCM arrives as sample / 32768, as logmel-v1 expects.
 *
 * ffprobe runs first: it tells a file without sound from broken audio, refuses over-long clips
 * before a byte is decoded, and sizes the output buffer so a decode is one allocation in the
 * usual case (it grows if the estimate was short and is trimmed at the end).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ApiError } from '../../../shared/api/errors.ts';
import { ffprobe, type ProbeReport } from '../../media/ffprobe.ts';
import { firstLine, streamPcm } from './pcm-stream.ts';

/**
 * Longest audio one decode accepts, seconds (20 minutes): 19.2 M samples, 77 MB of float32 at
 * 16 kHz, and about 30,000 video frames to bake at 25 fps. Longer speech is better split into
 * clips on the timeline.
 */
export const MAX_AUDIO_DURATION_S = 20 * 60;

export interface DecodeAudioOptions {
  /** Output rate, Hz; default 16000 (logmel-v1's input rate). */
  sampleRate?: number;
  /** Seconds into the file where decoding starts; default 0. */
  startS?: number;
  /** Seconds to decode from startS; default to the end of the file. */
  durationS?: number;
  /** Longest span accepted, seconds; default MAX_AUDIO_DURATION_S. */
  maxDurationS?: number;
  signal?: AbortSignal;
  /** The file's name in messages; default the path's last part. */
  name?: string;
  /** Called per decoded chunk: seconds decoded so far, and the expected total (the probe's; Infinity if it said nothing). */
  onProgress?(decodedS: number, expectedS: number): void;
}

export interface DecodedAudio {
  /** [N] mono float32, full scale [-1, 1], at sampleRate. */
  samples: Float32Array;
  /** Hz. */
  sampleRate: number;
  /** N / sampleRate, seconds. */
  durationS: number;
}

/**
 * A decode counts as damaged when ffmpeg reported errors and delivered less than the probe's
 * duration by more than this many seconds or this fraction of it, whichever is larger. Lossy
 * codecs' padding differs from the probe by tens of milliseconds; a clean decode that merely
 * comes up short is accepted, since MP3s without a Xing header have a duration estimated from
 * their bitrate.
 */
const SHORTFALL_S = 0.5;
const SHORTFALL_FRACTION = 0.05;
/** Output buffer headroom over the probed duration: MP3/AAC/Opus padding is well under this. */
const ESTIMATE_HEADROOM_S = 0.25;
const CANCEL_MESSAGE = 'Audio decoding cancelled';
/** First buffer, seconds, when the container does not state its length. */
const UNKNOWN_LENGTH_GUESS_S = 30;

/** 3660 s -> "61:00": whole minutes, then seconds (rounded up, so a clip over a limit never reads as on it). */
export function formatClipLength(seconds: number): string {
  const whole = Math.ceil(seconds - 1e-6);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function checkOptions(sampleRate: number, startS: number, durationS: number | undefined, maxDurationS: number): void {
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) throw new RangeError(`decodeAudio: sampleRate must be a positive integer, got ${sampleRate}`);
  if (!(Number.isFinite(startS) && startS >= 0)) throw new RangeError(`decodeAudio: startS must be finite and >= 0, got ${startS}`);
  if (durationS !== undefined && !(Number.isFinite(durationS) && durationS > 0)) throw new RangeError(`decodeAudio: durationS must be finite and > 0, got ${durationS}`);
  if (!(maxDurationS > 0)) throw new RangeError(`decodeAudio: maxDurationS must be > 0, got ${maxDurationS}`);
}

/** The probe's audio duration, seconds; null when the container does not say (decoding will tell). */
function probedDuration(name: string, report: ProbeReport | null): number | null {
  const streams = report?.streams ?? [];
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!audio) {
    const what = !report || streams.length === 0
      ? 'it is not an audio or video file ffmpeg can read, or it is corrupt'
      : /_pipe$|^image2$/.test(report.format?.format_name ?? '') // ffmpeg's demuxers of still images
        ? 'it is an image'
        : 'it is a video without sound';
    throw new ApiError('UNSUPPORTED_MEDIA', `${name} has no audio track (${what}). Use speech audio (WAV, MP3, M4A, FLAC, OGG) or a video with sound.`);
  }
  const durationS = Number(audio.duration ?? report?.format?.duration ?? Number.NaN);
  return Number.isFinite(durationS) ? durationS : null;
}

/** spanS null: the length is unknown, only that it passes the limit (found while decoding). */
function tooLong(name: string, spanS: number | null, maxDurationS: number, whole: boolean): ApiError {
  const length = spanS === null ? `longer than ${formatClipLength(maxDurationS)}` : `${formatClipLength(spanS)} long`;
  const what = whole ? `${name} is ${length}` : `The part of ${name} to decode is ${length}`;
  return new ApiError('TOO_LARGE', `${what}; clips up to ${formatClipLength(maxDurationS)} can be baked. Split it into shorter clips.`, { durationS: spanS, maxDurationS });
}

/**
 * Decodes `path` (or its startS/durationS segment) to mono float32. Rejects with ApiError:
 * NOT_FOUND (no such file), UNSUPPORTED_MEDIA (empty file, no audio track, empty or damaged
 * audio), INVALID_INPUT (startS at or past the end), TOO_LARGE (the span to decode is longer than
 * maxDurationS: refused from the probe before decoding, or when the samples pass the limit if the
 * container misreports its length), MISSING_TOOL (no ffprobe or ffmpeg), CANCELLED (the signal
 * fired; ffmpeg is killed and gone before this settles).
 */
export async function decodeAudio(path: string, options: DecodeAudioOptions = {}): Promise<DecodedAudio> {
  const { sampleRate = 16000, startS = 0, durationS, maxDurationS = MAX_AUDIO_DURATION_S, signal, onProgress } = options;
  const name = options.name ?? basename(path);
  checkOptions(sampleRate, startS, durationS, maxDurationS);
  if (signal?.aborted) throw new ApiError('CANCELLED', CANCEL_MESSAGE);
  const size = await fileSize(path, name);
  if (size === 0) throw new ApiError('UNSUPPORTED_MEDIA', `${name} is empty (0 bytes).`);
  const fileS = probedDuration(name, await probe(path, signal));
  if (fileS !== null && fileS > 0 && startS >= fileS) {
    throw new ApiError('INVALID_INPUT', `${name} is ${fileS.toFixed(2)} s long; a segment cannot start at ${startS.toFixed(2)} s.`);
  }
  // The limit is on what is decoded, so a short segment of a long recording is fine.
  const expectedS = Math.min(durationS ?? Infinity, fileS === null ? Infinity : fileS - startS);
  const whole = startS === 0 && durationS === undefined;
  if (Number.isFinite(expectedS) && expectedS > maxDurationS) throw tooLong(name, expectedS, maxDurationS, whole);

  // Headroom so a clip the probe put just under the limit is not refused for its codec padding.
  const maxSamples = Math.ceil((maxDurationS + ESTIMATE_HEADROOM_S) * sampleRate);
  const estimate = Number.isFinite(expectedS) ? Math.ceil((expectedS + ESTIMATE_HEADROOM_S) * sampleRate) : UNKNOWN_LENGTH_GUESS_S * sampleRate;
  let buffer = new Float32Array(Math.min(estimate, maxSamples));
  let count = 0;
  const { stderr } = await streamPcm(path, {
    sampleRate,
    name,
    startS,
    durationS,
    signal,
    cancelMessage: CANCEL_MESSAGE,
    onSamples(chunk) {
      if (count + chunk.length > buffer.length) {
        // The container under-reported its length (or said nothing): grow, but not past the limit.
        if (count + chunk.length > maxSamples) throw tooLong(name, null, maxDurationS, whole);
        const grown = new Float32Array(Math.min(maxSamples, Math.max(count + chunk.length, buffer.length * 2)));
        grown.set(buffer.subarray(0, count));
        buffer = grown;
      }
      buffer.set(chunk, count);
      count += chunk.length;
      onProgress?.(count / sampleRate, expectedS);
    },
  });
  const decodedS = count / sampleRate;
  if (stderr.trim() !== '' && Number.isFinite(expectedS) && expectedS - decodedS > Math.max(SHORTFALL_S, SHORTFALL_FRACTION * expectedS)) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA',
      `${name} is damaged: only ${decodedS.toFixed(1)} s of its ${expectedS.toFixed(1)} s could be decoded (${firstLine(stderr)}). It may be truncated or corrupt.`,
    );
  }
  return { samples: count === buffer.length ? buffer : buffer.slice(0, count), sampleRate, durationS: decodedS };
}

/** ffprobe, its cancellation worded for a decode rather than an import. */
async function probe(path: string, signal: AbortSignal | undefined): Promise<ProbeReport | null> {
  try {
    return await ffprobe(path, signal);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'CANCELLED') throw new ApiError('CANCELLED', CANCEL_MESSAGE);
    throw error;
  }
}

async function fileSize(path: string, name: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('NOT_FOUND', `${name} was not found (${path}).`, { path });
    throw error;
  }
}
