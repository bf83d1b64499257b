/**
 * Real media files made inside tests: WAV written byte by byte, everything else encoded by the
 * installed ffmpeg or by sharp. Nothing is read from shared data folders.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp, { type Sharp } from 'sharp';

const run = promisify(execFile);

/**
 * A canonical 44-byte-header PCM WAV (RIFF/WAVE, fmt chunk of 16 bytes, format 1), 16-bit signed
 * little-endian, a 440 Hz sine interleaved over `channels`, at half scale or at `level(seconds)`.
 */
export function pcm16Wav(options: { sampleRate: number; frames: number; channels?: number; level?: (seconds: number) => number }): Uint8Array {
  const channels = options.channels ?? 1;
  const blockAlign = channels * 2;
  const dataBytes = options.frames * blockAlign;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string): void => {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, options.sampleRate, true);
  view.setUint32(28, options.sampleRate * blockAlign, true); // byte rate
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < options.frames; i++) {
    const level = options.level ? options.level(i / options.sampleRate) : 0.5;
    const sample = Math.round(32767 * level * Math.sin((2 * Math.PI * 440 * i) / options.sampleRate));
    for (let c = 0; c < channels; c++) view.setInt16(44 + i * blockAlign + c * 2, sample, true);
  }
  return out;
}

/**
 * Runs `ffmpeg -y -v error <args> <outFile>` in a scratch folder and returns the file's bytes.
 * `outName` picks the container by its extension.
 */
export async function ffmpegEncode(args: string[], outName: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'splat-test-ffmpeg-'));
  try {
    const out = join(dir, outName);
    await run('ffmpeg', ['-y', '-v', 'error', ...args, out], { timeout: 60_000 });
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `-f lavfi -i sine=...`: a sine of `seconds` at `rate` Hz, one input of ffmpeg's virtual devices. */
export function lavfiSine(seconds: number, rate: number): string[] {
  return ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=${seconds}`];
}

/** An RGB(A) gradient of the given size, so encoders have real content to compress. */
export function gradientPixels(width: number, height: number, channels: 1 | 3 | 4): Buffer {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      data[i] = (x * 255) / Math.max(1, width - 1);
      if (channels >= 3) {
        data[i + 1] = (y * 255) / Math.max(1, height - 1);
        data[i + 2] = 128;
      }
      if (channels === 4) data[i + 3] = 200;
    }
  }
  return data;
}

/** The gradient as a sharp pipeline; one channel stays grayscale (sharp would widen it to sRGB). */
export function rawImage(width: number, height: number, channels: 1 | 3 | 4): Sharp {
  const image = sharp(gradientPixels(width, height, channels), { raw: { width, height, channels } });
  return channels === 1 ? image.toColourspace('b-w') : image;
}

export async function pngBytes(width: number, height: number, channels: 1 | 3 | 4 = 3): Promise<Uint8Array> {
  return new Uint8Array(await rawImage(width, height, channels).png().toBuffer());
}
