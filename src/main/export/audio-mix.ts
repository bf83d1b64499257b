/**
 * The export's sound (issue 7, item 2): the timeline mixed at 48 kHz mono through the one audio
 * schedule the playback uses too (src/shared/timeline/audio-schedule.ts: track and clip gains,
 * mute and solo, trims, the time warp's silent stretches), written as a 32-bit float WAV that
 * ffmpeg reads as its second input. Exactly durationS long (frames / fps), so the audio ends with
 * the video. Mixed in blocks of BLOCK_S seconds: memory holds one block, whatever the length.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { ApiError } from '../../shared/api/errors.ts';
import { audioSpans, type AudioScheduleInput } from '../../shared/timeline/audio-schedule.ts';

export const MIX_RATE = 48_000;
const BLOCK_S = 10;

/** Mono float32 samples of media [startS, startS + durationS) at MIX_RATE (shorter where the media ends). */
export type MediaDecoder = (mediaId: string, startS: number, durationS: number, signal: AbortSignal) => Promise<Float32Array>;

export interface MixOptions {
  schedule: AudioScheduleInput;
  /** Output time of the first sample, seconds. */
  startS: number;
  durationS: number;
  decode: MediaDecoder;
  signal: AbortSignal;
}

/**
 * RIFF/WAVE header of `samples` mono float32 samples: a WAVE_FORMAT_IEEE_FLOAT (3) fmt chunk of 18
 * bytes (cbSize 0) and the fact chunk that non-PCM formats carry (Microsoft's RIFF spec), then data.
 */
export function floatWavHeader(samples: number, rate: number = MIX_RATE): Uint8Array {
  const dataBytes = samples * 4;
  const header = new Uint8Array(58);
  const view = new DataView(header.buffer);
  const ascii = (offset: number, text: string): void => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 50 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 18, true);
  view.setUint16(20, 3, true); // IEEE float
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 4, true);
  view.setUint16(32, 4, true);
  view.setUint16(34, 32, true);
  view.setUint16(36, 0, true); // cbSize
  ascii(38, 'fact');
  view.setUint32(42, 4, true);
  view.setUint32(46, samples, true);
  ascii(50, 'data');
  view.setUint32(54, dataBytes, true);
  return header;
}

/** Mixes output samples [first, first + block.length) into block (zeroed first). */
export async function mixBlock(options: Omit<MixOptions, 'durationS'>, first: number, block: Float32Array): Promise<void> {
  block.fill(0);
  const fromS = options.startS + first / MIX_RATE;
  const toS = options.startS + (first + block.length) / MIX_RATE;
  for (const span of audioSpans(options.schedule, fromS, toS)) {
    if (options.signal.aborted) throw new ApiError('CANCELLED', 'Export cancelled');
    if (span.gain === 0) continue;
    const samples = await options.decode(span.mediaId, span.mediaStartS, span.durationS, options.signal);
    const at = Math.round((span.outputStartS - options.startS) * MIX_RATE) - first;
    const from = Math.max(0, -at);
    const to = Math.min(samples.length, Math.round(span.durationS * MIX_RATE), block.length - at);
    for (let k = from; k < to; k++) block[at + k]! += span.gain * samples[k]!;
  }
}

/** Writes the mix of [startS, startS + durationS) to a float WAV file at `path` (created or replaced). */
export async function writeMixWav(path: string, options: MixOptions): Promise<void> {
  const total = Math.round(options.durationS * MIX_RATE);
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'w');
    await handle.write(floatWavHeader(total));
    const block = new Float32Array(Math.min(total, BLOCK_S * MIX_RATE));
    for (let first = 0; first < total; first += block.length) {
      const part = block.subarray(0, Math.min(block.length, total - first));
      await mixBlock(options, first, part);
      await handle.write(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
    }
  } finally {
    await handle?.close();
  }
}
