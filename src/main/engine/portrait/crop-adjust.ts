/**
 * The creator's own framing of the head: a square given as centre and side in source pixels (what a
 * drag-and-zoom box in the UI edits), applied to a detected face. The camera follows the crop: the
 * same head moved off-centre in the crop gets a lateral translation, a larger crop a larger
 * distance (estimateCropCamera), so the generator sees a crop and a camera that agree.
 */
import { ApiError } from '../../../shared/api/errors.ts';
import { estimateCropCamera, type CropCamera } from '../face/camera-estimate.ts';
import { snapCrop, toCropPixels, type CropRect } from '../face/crop.ts';
import type { Face } from '../face/types.ts';

/** A square crop as the UI edits it: centre and side, source pixels (image axes, pixel edges at integers). */
export interface CropOverride {
  centreX: number;
  centreY: number;
  size: number;
}

/**
 * Smallest crop side a creator may choose, source pixels. The automatic crop of the smallest
 * accepted face is 2.4 x 64 = 154 px (portrait.ts MIN_FACE_WIDTH_PX); a tighter manual framing is
 * allowed down to 64 px, a 4x upscale to the 256 px dataset crop, beyond which the input is mostly
 * interpolation.
 */
export const MIN_CROP_SIZE_PX = 64;

/**
 * Largest crop side, as a multiple of the picture's longer side. Beyond it the crop is mostly
 * replicated edge pixels, and its cut-out (size^2 x 3 bytes before resizing) grows without use.
 * 3, not less: the automatic crop (2.4 face widths) of a face that fills its picture is already
 * about 2.4 times the picture's side, and nudging it must stay allowed.
 */
export const MAX_CROP_SIZE_PER_IMAGE_SIDE = 3;

/** What an override gives: the crop, its camera and the face's landmarks in crop pixels. */
export interface AdjustedCrop {
  /** Integer source pixels, as snapCrop makes them (what cropImage cuts). */
  crop: CropRect;
  camera: CropCamera;
  /** Landmarks (478) in pixels of the `size` x `size` crop. */
  landmarks: [number, number][];
}

/** The crop expressed as an override (its centre and side), e.g. to show the automatic crop in the UI. */
export function cropToOverride(crop: CropRect): CropOverride {
  return { centreX: crop.x + crop.size / 2, centreY: crop.y + crop.size / 2, size: crop.size };
}

/** The override as a crop rectangle, snapped to whole pixels like the automatic crop. */
export function overrideToCrop(override: CropOverride): CropRect {
  return snapCrop({ x: override.centreX - override.size / 2, y: override.centreY - override.size / 2, size: override.size });
}

/**
 * Throws INVALID_INPUT unless the override is finite, at least MIN_CROP_SIZE_PX and at most
 * MAX_CROP_SIZE_PER_IMAGE_SIDE times the longer side, and overlaps the picture (centre within
 * half a side of it).
 */
export function validateCropOverride(override: CropOverride, width: number, height: number): void {
  const { centreX, centreY, size } = override;
  if (![centreX, centreY, size].every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new ApiError('INVALID_INPUT', `The crop needs a finite centre and size; got centre (${centreX}, ${centreY}), size ${size}.`);
  }
  if (size < MIN_CROP_SIZE_PX) {
    throw new ApiError('INVALID_INPUT', `The crop is ${Math.round(size)} px wide; it must be at least ${MIN_CROP_SIZE_PX} px of the picture.`, { size, min: MIN_CROP_SIZE_PX });
  }
  const max = MAX_CROP_SIZE_PER_IMAGE_SIDE * Math.max(width, height);
  if (size > max) {
    throw new ApiError('INVALID_INPUT', `The crop is ${Math.round(size)} px wide; at most ${max} px (${MAX_CROP_SIZE_PER_IMAGE_SIDE} times the picture's longer side) is allowed.`, { size, max });
  }
  const half = size / 2;
  if (centreX <= -half || centreX >= width + half || centreY <= -half || centreY >= height + half) {
    throw new ApiError(
      'INVALID_INPUT',
      `The crop centred at (${Math.round(centreX)}, ${Math.round(centreY)}) with size ${Math.round(size)} lies outside the ${width}x${height} picture.`,
      { centreX, centreY, size, width, height },
    );
  }
}

/**
 * An override applied to a face of an `image.width` x `image.height` picture (validated here:
 * INVALID_INPUT): the crop, its camera for a `size` x `size` crop (estimateCropCamera with the
 * face's own rotation) and the landmarks.
 */
export function adjustCrop(face: Face, override: CropOverride, image: { width: number; height: number }, size: number): AdjustedCrop {
  validateCropOverride(override, image.width, image.height);
  return applyCrop(face, overrideToCrop(override), size);
}

/** Camera and landmarks of a face for a given crop (no validation: for the automatic crop). */
export function applyCrop(face: Face, cropRect: CropRect, size: number): AdjustedCrop {
  const crop = snapCrop(cropRect);
  return {
    crop,
    camera: estimateCropCamera(face.mesh, crop, size, face.rotation),
    landmarks: toCropPixels(face.mesh, crop, size),
  };
}
