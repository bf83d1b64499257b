/**
 * What shows behind the head in an export (issue 7): the rasterizer composites C + T * background
 * (DESIGN.md "Rasterizer semantics"), so every choice becomes a RasterBackground at the output
 * size, made once per export:
 *   predicted    the avatar's inpainted background (float32 RGB [R, R, 3], 0..1), scaled to cover
 *                the frame (centred, aspect kept: a square background on a 16:9 frame loses its
 *                top and bottom rather than being stretched), bilinear;
 *   color        one colour;
 *   image        an image file, scaled to cover the frame the same way;
 *   transparent  black, and the frame's alpha is the splats' coverage (straight alpha).
 * Values are display values as the png writer treats them (src/main/raster/png-writer.ts): 8-bit
 * levels / 255.
 */
import sharp, { type Sharp } from 'sharp';
import { ApiError } from '../../shared/api/errors.ts';
import type { ExportSettings } from '../../shared/api/contract.ts';
import type { RasterBackground } from '../raster/native-raster.ts';

export type ExportBackgroundSetting = ExportSettings['background'];

/** #rrggbb as 0..1 values. */
export function hexColor(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new ApiError('INVALID_INPUT', `A colour is #rrggbb, got ${hex}`);
  return [parseInt(m[1]!, 16) / 255, parseInt(m[2]!, 16) / 255, parseInt(m[3]!, 16) / 255];
}

/** 8-bit RGB pixels (any size) scaled to cover width x height, as 0..1 floats. */
async function coverRgb(input: Sharp, width: number, height: number): Promise<Float32Array> {
  const { data, info } = await input
    .flatten({ background: '#000000' })
    .removeAlpha()
    .toColourspace('srgb')
    .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== width || info.height !== height) {
    throw new Error(`background scaled to ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x3`);
  }
  const out = new Float32Array(width * height * 3);
  for (let k = 0; k < out.length; k++) out[k] = data[k]! / 255;
  return out;
}

/** The avatar's predicted background (float32 RGB bytes [R, R, 3]) at the output size. */
export async function predictedBackground(backgroundBytes: Uint8Array, width: number, height: number): Promise<Float32Array> {
  const floats = new Float32Array(backgroundBytes.slice().buffer);
  const r = Math.round(Math.sqrt(floats.length / 3));
  if (r * r * 3 !== floats.length) throw new ApiError('PROJECT_CORRUPT', `The avatar's background has ${floats.length} values, not a square RGB image.`);
  const bytes = Buffer.from(Uint8Array.from(floats, (v) => Math.round(255 * Math.min(1, Math.max(0, v)))));
  return coverRgb(sharp(bytes, { raw: { width: r, height: r, channels: 3 } }), width, height);
}

export interface BackgroundSources {
  /** The active avatar's background bytes, when it has one. */
  avatarBackground: Uint8Array | null;
}

/** The rasterizer background for a setting at width x height. */
export async function exportBackground(setting: ExportBackgroundSetting, width: number, height: number, sources: BackgroundSources): Promise<RasterBackground> {
  switch (setting.kind) {
    case 'transparent':
      return { color: [0, 0, 0] };
    case 'color':
      return { color: hexColor(setting.color) };
    case 'predicted':
      if (!sources.avatarBackground) throw new ApiError('INVALID_INPUT', 'The predicted background needs an avatar; create one from a portrait, or choose a colour.');
      return { image: await predictedBackground(sources.avatarBackground, width, height) };
    case 'image':
      try {
        return { image: await coverRgb(sharp(setting.path), width, height) };
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError('UNSUPPORTED_MEDIA', `The background image ${setting.path} could not be read: ${(error as Error).message}`, { path: setting.path });
      }
  }
}
