/**
 * One portrait -> the chosen face, its square head crop and its approximate camera, with the
 * problems a creator should hear about as plain results (never thrown): no face, several faces
 * (the largest is chosen, the others listed), face too small, face cut by the image border.
 */
import { estimateCropCamera, type CropCamera } from './camera-estimate.ts';
import { cropFromMesh, cropOverflow, cropToPng, snapCrop, toCropPixels, type CropRect } from './crop.ts';
import { detectFaces } from './detect.ts';
import type { Face, RgbImage } from './types.ts';

/** Model input side (pixels) unless a model pack says otherwise. */
export const DEFAULT_CROP_SIZE = 256;

/**
 * Smallest accepted 3D face width (mesh 234-454), source pixels. The crop is 2.4 face widths, so
 * 64 px of face width is a 154 px crop: upscaled 1.7x to 256. Below it the crop would be mostly
 * interpolation and the mesh (integer pixel coordinates) too coarse for a stable camera.
 */
export const MIN_FACE_WIDTH_PX = 64;

export type PortraitWarning =
  | { kind: 'several-faces'; message: string; others: Face[] }
  | { kind: 'face-cut-by-border'; message: string; overflow: { left: number; top: number; right: number; bottom: number } };

export type PortraitAnalysis =
  | {
      status: 'ok';
      face: Face;
      /** Square crop in source pixels (integer, may leave the image: padded by edge replication). */
      crop: CropRect;
      size: number;
      camera: CropCamera;
      /** 2D landmarks in crop pixels (size x size). */
      landmarks: [number, number][];
      warnings: PortraitWarning[];
    }
  | { status: 'no-face'; message: string }
  | { status: 'face-too-small'; message: string; face: Face; minFaceWidth: number };

/** Detect, choose the largest face, crop and estimate the camera. */
export async function analysePortrait(img: RgbImage, size = DEFAULT_CROP_SIZE): Promise<PortraitAnalysis> {
  const faces = await detectFaces(img);
  if (faces.length === 0) return { status: 'no-face', message: 'No face was found in the picture. Use a portrait where one face is clearly visible.' };
  const [face, ...others] = faces;
  if (!face) return { status: 'no-face', message: 'No face was found in the picture. Use a portrait where one face is clearly visible.' };
  if (face.faceWidth < MIN_FACE_WIDTH_PX) {
    return {
      status: 'face-too-small',
      face,
      minFaceWidth: MIN_FACE_WIDTH_PX,
      message: `The face is ${Math.round(face.faceWidth)} px wide; at least ${MIN_FACE_WIDTH_PX} px is needed. Use a larger or closer portrait.`,
    };
  }
  const warnings: PortraitWarning[] = [];
  if (others.length > 0) {
    warnings.push({ kind: 'several-faces', others, message: `${faces.length} faces were found; the largest one is used.` });
  }
  const crop = snapCrop(cropFromMesh(face.mesh));
  const overflow = cropOverflow(crop, img.width, img.height);
  if (overflow.left + overflow.top + overflow.right + overflow.bottom > 0) {
    warnings.push({
      kind: 'face-cut-by-border',
      overflow,
      message: 'The head reaches the edge of the picture; the missing part is filled from the edge pixels.',
    });
  }
  return {
    status: 'ok',
    face,
    crop,
    size,
    camera: estimateCropCamera(face.mesh, crop, size, face.rotation),
    landmarks: toCropPixels(face.mesh, crop, size),
    warnings,
  };
}

/** The crop of an analysed portrait as PNG bytes. */
export function portraitCropPng(img: RgbImage, analysis: Extract<PortraitAnalysis, { status: 'ok' }>): Promise<Buffer> {
  return cropToPng(img, analysis.crop, analysis.size);
}
