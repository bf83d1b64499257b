/**
 * Portrait file bytes -> the 8-bit sRGB RGB image the face pipeline reads (face/types.ts RgbImage,
 * 3 channels). Whatever sharp's bundled libvips decodes is accepted: PNG, JPEG, WebP, AVIF, TIFF,
 * GIF (first frame). Normalised so that every later stage sees one kind of picture:
 * - EXIF orientation applied (phones store portraits sideways and set the tag);
 * - embedded ICC profiles converted to sRGB, grey and CMYK turned into RGB, 16 bits cut to 8;
 * - transparency flattened onto ALPHA_BACKGROUND.
 * Refusals are ApiErrors naming the file: UNSUPPORTED_MEDIA (empty, not an image, corrupt or
 * truncated), TOO_LARGE (more than MAX_IMAGE_PIXELS, checked from the header before decoding).
 */
import sharp, { type Metadata } from 'sharp';
import { ApiError } from '../../../shared/api/errors.ts';
import type { RgbImage } from '../face/types.ts';

/**
 * Largest accepted picture, pixels (stored width x height, read from the header). 100 MP is above
 * any camera a creator is likely to use (a 61 MP full-frame sensor, a 108 MP phone binned to
 * 12 MP) and keeps the decoded RGB under 300 MB.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

/**
 * Colour that transparent pixels are flattened onto: mid grey (sRGB 128). Neutral, so a cut-out
 * portrait neither gains a white or black halo around the hair nor tints the face detector's view;
 * it is also the grey the face tests compose their canvases on.
 */
export const ALPHA_BACKGROUND = { r: 128, g: 128, b: 128 } as const;

const READABLE = 'PNG, JPEG, WebP, AVIF, TIFF or GIF';

/** Decode a portrait file; `name` is only used in error messages. */
export async function loadImage(bytes: Uint8Array, name: string): Promise<RgbImage> {
  if (bytes.length === 0) throw new ApiError('UNSUPPORTED_MEDIA', `${name} is empty (0 bytes). Choose the portrait file again.`, { name });
  const header = await checkedPixelSize(bytes, name);
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS })
      .rotate()
      .flatten({ background: ALPHA_BACKGROUND })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
      throw new Error(`decoded to ${info.channels} channels, ${data.length} bytes for ${info.width}x${info.height}`);
    }
    // EXIF orientation may swap the sides.
    const same = (info.width === header.width && info.height === header.height) || (info.width === header.height && info.height === header.width);
    if (!same) throw new Error(`decoded ${info.width}x${info.height}, the header says ${header.width}x${header.height}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 3 };
  } catch (error) {
    throw new ApiError('UNSUPPORTED_MEDIA', `${name} looks like an image but cannot be decoded (${firstLine(error)}). It may be truncated or corrupt.`, { name });
  }
}

/** Reads the header only (no pixels): refuses non-images and pictures over MAX_IMAGE_PIXELS. */
async function checkedPixelSize(bytes: Uint8Array, name: string): Promise<{ width: number; height: number }> {
  let meta: Metadata;
  try {
    // limitInputPixels off here: the limit is ours to report, with a message, just below.
    meta = await sharp(bytes, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ApiError('UNSUPPORTED_MEDIA', `${name} is not a picture the studio can read (${firstLine(error)}). Use a ${READABLE} image.`, { name });
  }
  const { width, height } = meta;
  if (!width || !height) throw new ApiError('UNSUPPORTED_MEDIA', `${name} has no pixel size in its header; it may be corrupt.`, { name });
  if (width * height > MAX_IMAGE_PIXELS) {
    const mp = (width * height) / 1e6;
    throw new ApiError(
      'TOO_LARGE',
      `${name} is ${width}x${height} (${mp.toFixed(0)} megapixels); the studio accepts up to ${MAX_IMAGE_PIXELS / 1e6} megapixels. Scale it down first; a portrait needs far less.`,
      { name, width, height, maxPixels: MAX_IMAGE_PIXELS },
    );
  }
  return { width, height };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
