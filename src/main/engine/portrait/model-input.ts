/**
 * A portrait crop and its camera as the static generator's inputs, made exactly as training feeds
 * a frame to the network, so a portrait in the studio is in-distribution:
 *
 *   data preparation (scripts/prepare-dataset.ts)   cropToPng(img, crop, 256): edge-replicated
 *                                                   crop, Lanczos3 (sharp), stored as PNG;
 *                                                   cameras.f32: the view as float32
 *   reader (training/splatportrait/data/dataset.py) Clip.images: _resize_area (float32 mean of
 *                                                   f x f blocks, f = 256 / R), np.round
 *                                                   (half to even), uint8; sample(): / 255.0
 *                                                   (float32, on the CPU), NCHW;
 *                                                   src_c2w = inv(view in float64) as float32;
 *                                                   intrinsics = meta intrinsics * R / 256
 *
 * Block sums of uint8 values are integers below 2^24 and f^2 is a power of two, so the float32
 * mean is exact and the same in any summation order; this module computes it in doubles and
 * rounds half to even, bit for bit what numpy gives (checked against the Python reader).
 * Pixel / 255 in double then rounded to float32 equals float32 division (double rounding is
 * harmless for one division), so image values match torch's too.
 *
 * The single-portrait camera is one estimate; the dataset smooths rotations over 3 frames of a
 * clip, which a still picture does not have.
 */
import sharp from 'sharp';
import { ApiError } from '../../../shared/api/errors.ts';
import { cropIntrinsics } from '../face/camera-estimate.ts';
import { cropAndResize, type CropRect } from '../face/crop.ts';
import type { RgbImage } from '../face/types.ts';

/** Side of the stored dataset crops (training/DATASET.md index.json size; prepare-dataset --size default). */
export const DATASET_CROP_SIZE = 256;

/** Largest model input side accepted, pixels (a 2048 x 2048 crop; the shipped packs use 64-256). */
export const MAX_MODEL_RESOLUTION = 2048;

export interface ModelInput {
  /** Model input side R, pixels. */
  resolution: number;
  /** [1, 3, R, R] float32, RGB 0..1 (sRGB values as decoded, no mean/std), NCHW. */
  image: Float32Array;
  /** [4, 4] float32 row-major: camera-to-world, the inverse of the source view. */
  camToWorld: Float32Array;
  /** [4] float32: fx, fy, cx, cy in pixels of the R x R input. */
  intrinsics: Float32Array;
  /** The crop as the dataset stores a frame: PNG, cropSize x cropSize RGB. */
  cropPng: Uint8Array;
  /** Side of cropPng: DATASET_CROP_SIZE when R divides it, else R (see cropSizeFor). */
  cropSize: number;
}

/**
 * Side the crop is cut and resized to: the dataset's 256 when R divides 256 (then area-averaged
 * to R as the reader does); otherwise (R > 256, or not a divisor) R itself, resized directly with
 * Lanczos3, since the Python reader refuses such resolutions and training never saw them.
 */
export function cropSizeFor(resolution: number): number {
  return resolution <= DATASET_CROP_SIZE && DATASET_CROP_SIZE % resolution === 0 ? DATASET_CROP_SIZE : resolution;
}

/** Throws INVALID_INPUT unless R is a whole number of pixels from 1 to MAX_MODEL_RESOLUTION. */
export function validateResolution(resolution: number): void {
  if (!Number.isInteger(resolution) || resolution < 1 || resolution > MAX_MODEL_RESOLUTION) {
    throw new ApiError('INVALID_INPUT', `The model input size must be a whole number of pixels from 1 to ${MAX_MODEL_RESOLUTION}; got ${resolution}.`);
  }
}

/**
 * The generator's inputs for `crop` (source pixels, snapped or not: cropAndResize snaps it) of
 * `img`, with `camera.view` the world-to-camera 4x4 row-major (estimateCropCamera; it does not
 * depend on the crop's output size).
 */
export async function modelInput(img: RgbImage, crop: CropRect, camera: { view: readonly number[] }, resolution: number): Promise<ModelInput> {
  validateResolution(resolution);
  if (camera.view.length !== 16) throw new ApiError('INVALID_INPUT', `The camera view must have 16 numbers (4x4); got ${camera.view.length}.`);
  const cropSize = cropSizeFor(resolution);
  const cut = await cropAndResize(img, crop, cropSize);
  const pixels = cropSize === resolution ? cut.data : areaDownsample(cut.data, cropSize, resolution);
  // The encoder settings of cropToPng, so this is byte for byte a dataset frame (tested).
  const cropPng = await sharp(cut.data, { raw: { width: cropSize, height: cropSize, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer();
  return {
    resolution,
    image: toNchwUnit(pixels, resolution),
    camToWorld: camToWorldOf(camera.view),
    intrinsics: intrinsicsFor(resolution),
    cropPng: new Uint8Array(cropPng.buffer, cropPng.byteOffset, cropPng.byteLength),
    cropSize,
  };
}

/**
 * dataset.py _resize_area + np.round + uint8: mean of each f x f block (f = size / r, an integer),
 * rounded half to even. `rgb` is size x size interleaved RGB.
 */
export function areaDownsample(rgb: Uint8Array, size: number, r: number): Uint8Array {
  if (size % r !== 0) throw new Error(`areaDownsample: ${r} does not divide ${size}`);
  const f = size / r;
  const count = f * f;
  const out = new Uint8Array(r * r * 3);
  for (let y = 0; y < r; y++) {
    for (let x = 0; x < r; x++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < f; j++) {
        let i = ((y * f + j) * size + x * f) * 3;
        for (let k = 0; k < f; k++, i += 3) {
          s0 += rgb[i]!;
          s1 += rgb[i + 1]!;
          s2 += rgb[i + 2]!;
        }
      }
      const o = (y * r + x) * 3;
      out[o] = roundHalfEven(s0 / count);
      out[o + 1] = roundHalfEven(s1 / count);
      out[o + 2] = roundHalfEven(s2 / count);
    }
  }
  return out;
}

/** np.round: to the nearest integer, ties to the even one. */
export function roundHalfEven(v: number): number {
  const lo = Math.floor(v);
  const d = v - lo;
  if (d > 0.5) return lo + 1;
  if (d < 0.5) return lo;
  return lo % 2 === 0 ? lo : lo + 1;
}

/** Interleaved RGB uint8 (r x r) -> planar float32 / 255, [1, 3, r, r]. */
export function toNchwUnit(rgb: Uint8Array, r: number): Float32Array {
  const plane = r * r;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    out[p] = rgb[p * 3]! / 255;
    out[plane + p] = rgb[p * 3 + 1]! / 255;
    out[2 * plane + p] = rgb[p * 3 + 2]! / 255;
  }
  return out;
}

/** dataset.py: the dataset's intrinsics (cropIntrinsics(256)) scaled by R / 256, as float32. */
function intrinsicsFor(resolution: number): Float32Array {
  const k = cropIntrinsics(DATASET_CROP_SIZE);
  const s = resolution / DATASET_CROP_SIZE;
  return Float32Array.from([k.fx * s, k.fy * s, k.cx * s, k.cy * s]);
}

/**
 * dataset.py: torch.linalg.inv(view.double()).float() of the float32 view. A general inverse, not
 * [R^T | -R^T t]: the float32-rounded rotation is orthonormal only to ~1e-7, which float32 output
 * resolves. (LAPACK's elimination order differs from this one by ~1e-16 relative, far below the
 * float32 rounding step.)
 */
function camToWorldOf(view: readonly number[]): Float32Array {
  return Float32Array.from(invert4(Array.from(Float32Array.from(view))));
}

/** Inverse of a 4x4 row-major matrix, Gauss-Jordan with partial pivoting, in doubles. */
export function invert4(m: readonly number[]): number[] {
  const a = m.slice(0, 16);
  const inv = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  for (let c = 0; c < 4; c++) {
    let p = c;
    for (let r = c + 1; r < 4; r++) if (Math.abs(a[r * 4 + c]!) > Math.abs(a[p * 4 + c]!)) p = r;
    const pivot = a[p * 4 + c]!;
    if (pivot === 0 || !Number.isFinite(pivot)) throw new ApiError('INVALID_INPUT', 'The camera view matrix cannot be inverted.');
    if (p !== c) {
      for (let k = 0; k < 4; k++) {
        [a[c * 4 + k], a[p * 4 + k]] = [a[p * 4 + k]!, a[c * 4 + k]!];
        [inv[c * 4 + k], inv[p * 4 + k]] = [inv[p * 4 + k]!, inv[c * 4 + k]!];
      }
    }
    for (let k = 0; k < 4; k++) {
      a[c * 4 + k] = a[c * 4 + k]! / pivot;
      inv[c * 4 + k] = inv[c * 4 + k]! / pivot;
    }
    for (let r = 0; r < 4; r++) {
      if (r === c) continue;
      const f = a[r * 4 + c]!;
      if (f === 0) continue;
      for (let k = 0; k < 4; k++) {
        a[r * 4 + k] = a[r * 4 + k]! - f * a[c * 4 + k]!;
        inv[r * 4 + k] = inv[r * 4 + k]! - f * inv[c * 4 + k]!;
      }
    }
  }
  return inv;
}
