/**
 * Decides what an imported file is from its bytes (never its name) and reads the facts the media
 * bin shows: pixel size and a preview for images (after EXIF orientation); duration, rate, channels
 * and a peak overview for audio. Images are decoded by sharp; audio and video containers are probed
 * by ffprobe and decoded by ffmpeg.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { ApiError } from '../../shared/api/errors.ts';
import { audioOverview } from './audio-overview.ts';
import { ffprobe, type ProbeReport } from './ffprobe.ts';

export type ProbedMedia =
  | { kind: 'image'; mime: string; width: number; height: number; thumbnail: { mime: string; bytes: Uint8Array } }
  | { kind: 'audio'; mime: string; durationS: number; sampleRate: number | null; channels: number | null; overview: Uint8Array };

type AudioFacts = Omit<Extract<ProbedMedia, { kind: 'audio' }>, 'overview'>;

/** Image formats sharp decodes with its bundled libvips. */
const IMAGE_MIMES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/tiff', 'image/avif', 'image/heic', 'image/heif']);
/** Longest side of the stored preview image, pixels: sharp in the preview area, small in the media bin. */
export const THUMBNAIL_SIZE = 768;

export async function probeMedia(name: string, bytes: Uint8Array, signal?: AbortSignal): Promise<ProbedMedia> {
  const type = await fileTypeFromBuffer(bytes);
  const mime = type?.mime ?? '';
  if (mime.startsWith('image/')) {
    if (!IMAGE_MIMES.has(mime)) {
      throw new ApiError('UNSUPPORTED_MEDIA', `${name} is a ${type?.ext.toUpperCase() ?? 'image'} image, which the studio does not read. Use PNG, JPEG or WebP.`);
    }
    return probeImage(name, mime, bytes);
  }
  // Audio, video with an audio track, or something file-type does not know (raw AAC, odd MP3s):
  // ffprobe decides by content; anything without an audio stream is refused.
  return probeAudio(name, mime, bytes, signal);
}

async function probeImage(name: string, mime: string, bytes: Uint8Array): Promise<ProbedMedia> {
  try {
    const image = sharp(bytes, { failOn: 'error' });
    const meta = await image.metadata();
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;
    if (!width || !height) throw new Error('no pixel size');
    const thumbnail = await sharp(bytes, { failOn: 'error' })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer();
    return { kind: 'image', mime, width, height, thumbnail: { mime: 'image/webp', bytes: new Uint8Array(thumbnail) } };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ApiError('UNSUPPORTED_MEDIA', `${name} looks like an image but cannot be decoded (${detail.split('\n')[0]}). It may be truncated or corrupt.`);
  }
}

async function probeAudio(name: string, mime: string, bytes: Uint8Array, signal?: AbortSignal): Promise<ProbedMedia> {
  const dir = await mkdtemp(join(tmpdir(), 'splat-probe-'));
  try {
    const file = join(dir, 'media');
    await writeFile(file, bytes);
    const facts = describeAudio(name, mime, await ffprobe(file, signal));
    const { peaks } = await audioOverview(file, facts.durationS, name, signal);
    return { ...facts, overview: peaks };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function describeAudio(name: string, mime: string, report: ProbeReport | null): AudioFacts {
  const audio = report?.streams?.find((s) => s.codec_type === 'audio');
  if (!report || !audio) {
    const what = mime ? `a file of type ${mime} without an audio track` : 'not an image or audio file';
    throw new ApiError('UNSUPPORTED_MEDIA', `${name} is ${what}. Import a portrait image (PNG, JPEG, WebP) or speech audio (WAV, MP3, M4A, FLAC, OGG) or a video with sound.`);
  }
  const durationS = Number(audio.duration ?? report.format?.duration ?? NaN);
  if (!Number.isFinite(durationS) || durationS <= 0) {
    throw new ApiError('UNSUPPORTED_MEDIA', `${name} contains no audio samples (empty or corrupt audio).`);
  }
  const sampleRate = audio.sample_rate ? Number(audio.sample_rate) : null;
  return {
    kind: 'audio',
    mime: mime || `audio/${audio.codec_name ?? 'unknown'}`,
    durationS,
    sampleRate: Number.isFinite(sampleRate) ? sampleRate : null,
    channels: audio.channels ?? null,
  };
}
