/**
 * One clip of a prepared dataset (training/DATASET.md), read for evaluation: the crop frames,
 * the per-frame estimated camera (world-to-camera view), the crop intrinsics and the audio with
 * sample 0 at frame 0. The same files the trainer reads, so evaluation sees what training saw.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { decodeAudio } from '../engine/audio/decode-audio.ts';

const metaSchema = z.object({
  id: z.string().min(1),
  split: z.string(),
  fps: z.number().positive(),
  frames: z.number().int().positive(),
  size: z.number().int().positive(),
  has_speech: z.boolean().optional(),
  intrinsics: z.object({ fx: z.number(), fy: z.number(), cx: z.number(), cy: z.number() }),
});

export interface PreparedClip {
  id: string;
  dir: string;
  split: string;
  fps: number;
  frames: number;
  /** Side of the square crop frames, pixels. */
  size: number;
  hasSpeech: boolean;
  /** Crop intrinsics, pixels of the `size` crop. */
  intrinsics: { fx: number; fy: number; cx: number; cy: number };
  /** [frames * 16] world-to-camera, row-major. */
  views: Float32Array;
}

export async function readPreparedClip(dir: string): Promise<PreparedClip> {
  const metaPath = join(dir, 'meta.json');
  if (!existsSync(metaPath)) throw new Error(`${dir}: not a prepared clip (no meta.json); run npm run prepare-dataset`);
  const meta = metaSchema.parse(JSON.parse(await readFile(metaPath, 'utf8')));
  const bytes = await readFile(join(dir, 'cameras.f32'));
  if (bytes.byteLength !== meta.frames * 16 * 4) {
    throw new Error(`${dir}/cameras.f32 has ${bytes.byteLength} bytes; meta.json's ${meta.frames} frames need ${meta.frames * 64}`);
  }
  const views = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return {
    id: meta.id,
    dir,
    split: meta.split,
    fps: meta.fps,
    frames: meta.frames,
    size: meta.size,
    hasSpeech: meta.has_speech ?? true,
    intrinsics: meta.intrinsics,
    views,
  };
}

/** The 16 floats of frame n's view. */
export function viewOf(clip: PreparedClip, n: number): Float32Array {
  if (!(Number.isInteger(n) && n >= 0 && n < clip.frames)) throw new RangeError(`${clip.id}: no frame ${n} (0..${clip.frames - 1})`);
  return clip.views.slice(n * 16, n * 16 + 16);
}

/** Frame n as interleaved RGB bytes, size x size. */
export async function readFrameRgb8(clip: PreparedClip, n: number): Promise<Uint8Array> {
  const path = join(clip.dir, 'frames', `${String(n).padStart(6, '0')}.png`);
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== clip.size || info.height !== clip.size || info.channels !== 3) {
    throw new Error(`${path} is ${info.width}x${info.height}x${info.channels}; meta.json says ${clip.size}x${clip.size} RGB`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The clip's audio (audio.wav: sample 0 at frame 0) as mono float32 at `sampleRate`. */
export async function readClipAudio(clip: PreparedClip, sampleRate: number): Promise<Float32Array> {
  const audio = await decodeAudio(join(clip.dir, 'audio.wav'), { sampleRate, name: `${clip.id}/audio.wav` });
  return audio.samples;
}
