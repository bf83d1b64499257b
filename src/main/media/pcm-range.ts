/**
 * A stretch of a media file as mono float32 at a chosen rate, for playback (media.pcm): the
 * same samples a decode of the whole file has at those indices, without decoding from the start.
 *
 * ffmpeg seeks before the input (-ss before -i: the demuxer jumps, nothing before is decoded) to
 * a whole second at least PREROLL_S before the request, then the samples before the request are
 * dropped by count. Why a whole second: every integer sample rate puts a sample there, in the
 * file and in the output, so the resampler runs in the same phase as in a whole-file decode; the
 * preroll and postroll let its filter (a few dozen taps) settle, so the edges match too.
 */
import { ApiError } from '../../shared/api/errors.ts';
import { streamPcm } from '../engine/audio/pcm-stream.ts';

/** Seconds decoded before the request at least (resampler warm-up; see above). */
const PREROLL_S = 0.1;
/** Seconds decoded past the request, so the resampler's end-of-stream flush lies outside it. */
const POSTROLL_S = 0.1;

export interface PcmRange {
  /** Time of the first sample, seconds: startS rounded to the output rate's grid. */
  startS: number;
  /** Mono float32; shorter than asked (possibly empty) where the media ends. */
  samples: Float32Array;
}

export interface PcmRangeOptions {
  name: string;
  startS: number;
  durationS: number;
  sampleRate: number;
  /** The media's probed duration: a request starting at or after it is empty without decoding. */
  mediaDurationS: number | null;
  signal?: AbortSignal;
}

/** Samples [round(startS * rate), that + round(durationS * rate)) of a whole-file decode of `file`. */
export async function decodePcmRange(file: string, options: PcmRangeOptions): Promise<PcmRange> {
  const { sampleRate: rate, name, signal } = options;
  const first = Math.round(options.startS * rate);
  const wanted = Math.round(options.durationS * rate);
  const startS = first / rate;
  if (wanted <= 0 || (options.mediaDurationS !== null && startS >= options.mediaDurationS)) return { startS, samples: new Float32Array(0) };
  const seekS = Math.max(0, Math.floor(startS - PREROLL_S));
  const skip = first - seekS * rate;
  const out = new Float32Array(wanted);
  let seen = 0;
  try {
    await streamPcm(file, {
      sampleRate: rate,
      name,
      startS: seekS,
      durationS: (first + wanted) / rate - seekS + POSTROLL_S,
      signal,
      cancelMessage: 'Audio playback decoding cancelled',
      onSamples(chunk) {
        // Copy the part of this chunk that lies in [skip, skip + wanted).
        const from = Math.max(0, skip - seen);
        const to = Math.min(chunk.length, skip + wanted - seen);
        if (to > from) out.set(chunk.subarray(from, to), seen + from - skip);
        seen += chunk.length;
      },
    });
  } catch (error) {
    // Seeking past the end (the probed duration was generous) yields no samples: an empty answer.
    if (error instanceof ApiError && error.code === 'UNSUPPORTED_MEDIA' && seen === 0 && seekS > 0) return { startS, samples: new Float32Array(0) };
    throw error;
  }
  const got = Math.max(0, Math.min(wanted, seen - skip));
  return { startS, samples: got === wanted ? out : out.slice(0, got) };
}
