/**
 * The square head crop: where it sits in the source image, how it is padded and resized.
 *
 * Rule (source pixels; U = 3D face width |P454 - P234| of the mesh, rotation invariant):
 *   size   = CROP_SIZE_PER_WIDTH * U                      (2.4 U: whole head, hair and some neck)
 *   centre = head origin (midpoint of 234, 454) + (0, CROP_CENTRE_DOWN * U)   (image axes)
 * The crop may leave the image: the outside is filled by replicating the edge pixels (no black
 * bars for the network to learn as content; the same fill as cv2.BORDER_REPLICATE).
 * Resized with sharp (Lanczos3 when shrinking, the default kernel) to the model input size.
 * Videos use stableCrop: the per-frame crops' median centre and median size over the clip.
 */
import sharp from 'sharp';
import { faceWidth3d, headOrigin } from './camera-estimate.ts';
import { median } from './geometry.ts';
import type { Point3, RgbImage } from './types.ts';

/** Crop side per unit of 3D face width (234-454). */
export const CROP_SIZE_PER_WIDTH = 2.4;
/** Crop centre below the head origin, in units of face width (image y). */
export const CROP_CENTRE_DOWN = 0.1;

/** Square crop in source pixels: top-left corner and side (floats; pixel edges, not centres). */
export interface CropRect {
  x: number;
  y: number;
  size: number;
}

/** The crop for one face mesh (source pixels). */
export function cropFromMesh(mesh: readonly Point3[]): CropRect {
  const u = faceWidth3d(mesh);
  const o = headOrigin(mesh);
  const size = CROP_SIZE_PER_WIDTH * u;
  const cx = o[0];
  const cy = o[1] + CROP_CENTRE_DOWN * u;
  return { x: cx - size / 2, y: cy - size / 2, size };
}

/**
 * One crop for a whole clip so the framing does not jitter: the median centre (x and y apart) and
 * the median size of the per-frame crops. Frames without a face are left out by the caller.
 */
export function stableCrop(perFrame: readonly CropRect[]): CropRect {
  if (perFrame.length === 0) throw new Error('stableCrop: no per-frame crops (no face in any frame)');
  const size = median(perFrame.map((c) => c.size));
  const cx = median(perFrame.map((c) => c.x + c.size / 2));
  const cy = median(perFrame.map((c) => c.y + c.size / 2));
  return { x: cx - size / 2, y: cy - size / 2, size };
}

/** The crop rounded to whole source pixels (what cropImage cuts): integer x, y, size. */
export function snapCrop(c: CropRect): CropRect {
  const size = Math.max(1, Math.round(c.size));
  const x = Math.round(c.x + c.size / 2 - size / 2);
  const y = Math.round(c.y + c.size / 2 - size / 2);
  return { x, y, size };
}

/** How far a crop leaves the image, pixels per side (0 when inside). */
export function cropOverflow(c: CropRect, width: number, height: number): { left: number; top: number; right: number; bottom: number } {
  return {
    left: Math.max(0, -Math.floor(c.x)),
    top: Math.max(0, -Math.floor(c.y)),
    right: Math.max(0, Math.ceil(c.x + c.size) - width),
    bottom: Math.max(0, Math.ceil(c.y + c.size) - height),
  };
}

/**
 * Cut an integer crop (snapCrop) out of an RGB(A) image, replicating edge pixels where the crop
 * leaves the image. Returns a tightly packed RGB image of size x size.
 */
export function extractCrop(img: RgbImage, crop: CropRect): RgbImage {
  const c = snapCrop(crop);
  const out = new Uint8Array(c.size * c.size * 3);
  const ch = img.channels;
  for (let j = 0; j < c.size; j++) {
    const sy = Math.min(img.height - 1, Math.max(0, c.y + j));
    const row = sy * img.width;
    for (let i = 0; i < c.size; i++) {
      const sx = Math.min(img.width - 1, Math.max(0, c.x + i));
      const s = (row + sx) * ch;
      const d = (j * c.size + i) * 3;
      out[d] = img.data[s]!;
      out[d + 1] = img.data[s + 1]!;
      out[d + 2] = img.data[s + 2]!;
    }
  }
  return { data: out, width: c.size, height: c.size, channels: 3 };
}

/** Crop (edge-replicate padding) and resize to `outSize` square RGB; returns raw RGB. */
export async function cropAndResize(img: RgbImage, crop: CropRect, outSize: number): Promise<RgbImage> {
  const cut = extractCrop(img, crop);
  if (cut.width === outSize) return cut;
  const data = await sharp(cut.data, { raw: { width: cut.width, height: cut.height, channels: 3 } })
    .resize(outSize, outSize, { kernel: 'lanczos3', fit: 'fill' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: outSize, height: outSize, channels: 3 };
}

/** Crop, resize and encode as PNG. */
export async function cropToPng(img: RgbImage, crop: CropRect, outSize: number): Promise<Buffer> {
  const r = await cropAndResize(img, crop, outSize);
  return sharp(r.data, { raw: { width: outSize, height: outSize, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer();
}

/** Map source-pixel points into the output crop (continuous coordinates, pixel edges at integers). */
export function toCropPixels(points: readonly Point3[], crop: CropRect, outSize: number): [number, number][] {
  const c = snapCrop(crop);
  const k = outSize / c.size;
  return points.map((p) => [(p[0] - c.x) * k, (p[1] - c.y) * k]);
}
