/**
 * Portrait file -> everything the static generator and the crop UI need, as plain data:
 * loadImage (decode, orientation, sRGB) -> analysePortrait (faces, automatic crop, camera) ->
 * the chosen face and crop (faceIndex, cropOverride) -> modelInput (tensors as training made them).
 * A picture the studio cannot use for a face (none found, too small) is a result, not an error;
 * files it cannot read and bad options are ApiErrors.
 */
import { ApiError } from '../../../shared/api/errors.ts';
import { cropFovDegrees } from '../face/camera-estimate.ts';
import { cropFromMesh, cropOverflow, snapCrop, type CropRect } from '../face/crop.ts';
import { MIN_FACE_WIDTH_PX, analysePortrait } from '../face/portrait.ts';
import type { Face } from '../face/types.ts';
import { adjustCrop, applyCrop, cropToOverride, validateCropOverride, type AdjustedCrop, type CropOverride } from './crop-adjust.ts';
import { loadImage } from './load-image.ts';
import { cropSizeFor, modelInput, validateResolution, type ModelInput } from './model-input.ts';

export interface ImportPortraitOptions {
  /** Model input side R, pixels (model.json input.resolution). */
  resolution: number;
  /** The creator's framing; default: the automatic crop of the chosen face. */
  cropOverride?: CropOverride;
  /** Which detected face: an index into `faces` (largest first). Default 0, the largest. */
  faceIndex?: number;
  /** Checked between stages (decode, detection, crop); aborting throws CANCELLED. */
  signal?: AbortSignal;
}

/** A detected face, enough to list it and switch to it. */
export interface FaceSummary {
  index: number;
  /** [x, y, width, height], source pixels. */
  box: [number, number, number, number];
  /** Detection confidence 0..1. */
  score: number;
  /** 3D face width (mesh 234-454), source pixels. */
  faceWidth: number;
  /** The automatic crop of this face, as the UI edits it. */
  autoCrop: CropOverride;
}

export type ImportWarning =
  | { kind: 'several-faces'; message: string; others: FaceSummary[] }
  | { kind: 'face-cut-by-border'; message: string; overflow: { left: number; top: number; right: number; bottom: number } };

/** The camera of the crop: world = head space, OpenCV axes (camera-estimate.ts). */
export interface PortraitCamera {
  /** Head rotation, radians (types.ts HeadRotation: matrix = Ry(yaw) Rx(pitch) Rz(roll)). */
  yaw: number;
  pitch: number;
  roll: number;
  /** Camera-space position of the head origin, metres-like units. */
  translation: [number, number, number];
  /** World-to-camera 4x4, row-major. */
  view: number[];
  /** Field of view of the crop (both axes), degrees. */
  fovDegrees: number;
}

export type PortraitImport =
  | {
      status: 'ok';
      /** Upright picture size, pixels (after EXIF orientation). */
      image: { width: number; height: number };
      /** Every detected face, largest first; `faceIndex` is the one used. */
      faces: FaceSummary[];
      faceIndex: number;
      /** The crop used, integer source pixels (may leave the picture: edge pixels replicated). */
      crop: CropRect;
      /** The same crop as the UI edits it. */
      cropOverride: CropOverride;
      /** The automatic crop of the chosen face, for a "reset framing" button. */
      autoCrop: CropOverride;
      camera: PortraitCamera;
      /** 478 landmarks in pixels of cropPng (modelInput.cropSize square). */
      landmarks: [number, number][];
      warnings: ImportWarning[];
      modelInput: ModelInput;
    }
  | { status: 'no-face'; message: string }
  | { status: 'face-too-small'; message: string; faceWidth: number; minFaceWidth: number };

/** Decode, find the face, frame it and make the generator's inputs. */
export async function importPortrait(bytes: Uint8Array, name: string, options: ImportPortraitOptions): Promise<PortraitImport> {
  const { resolution, cropOverride, faceIndex = 0, signal } = options;
  validateResolution(resolution);
  if (!Number.isInteger(faceIndex) || faceIndex < 0) throw new ApiError('INVALID_INPUT', `faceIndex must be a whole number from 0; got ${faceIndex}.`);
  const img = await loadImage(bytes, name);
  throwIfAborted(signal);
  if (cropOverride) validateCropOverride(cropOverride, img.width, img.height);
  const cropSize = cropSizeFor(resolution);
  const analysis = await analysePortrait(img, cropSize);
  throwIfAborted(signal);
  if (analysis.status === 'no-face') return { status: 'no-face', message: analysis.message };
  if (analysis.status === 'face-too-small') {
    return { status: 'face-too-small', message: analysis.message, faceWidth: analysis.face.faceWidth, minFaceWidth: analysis.minFaceWidth };
  }

  const several = analysis.warnings.find((w) => w.kind === 'several-faces');
  const faces: Face[] = [analysis.face, ...(several?.kind === 'several-faces' ? several.others : [])];
  const face = faces[faceIndex];
  if (!face) throw new ApiError('INVALID_INPUT', `Face ${faceIndex + 1} was asked for, but the picture has ${faces.length}.`, { faceIndex, faces: faces.length });
  if (face.faceWidth < MIN_FACE_WIDTH_PX) {
    return {
      status: 'face-too-small',
      faceWidth: face.faceWidth,
      minFaceWidth: MIN_FACE_WIDTH_PX,
      message: `Face ${faceIndex + 1} is ${Math.round(face.faceWidth)} px wide; at least ${MIN_FACE_WIDTH_PX} px is needed. Choose a larger face or a closer portrait.`,
    };
  }
  const summaries = faces.map(summarise);
  const autoCrop = faceIndex === 0 ? analysis.crop : snapCrop(cropFromMesh(face.mesh));
  const framed: AdjustedCrop = cropOverride ? adjustCrop(face, cropOverride, img, cropSize) : applyCrop(face, autoCrop, cropSize);
  const input = await modelInput(img, framed.crop, framed.camera, resolution);
  throwIfAborted(signal);
  const { rotation, translation, view } = framed.camera;
  return {
    status: 'ok',
    image: { width: img.width, height: img.height },
    faces: summaries,
    faceIndex,
    crop: framed.crop,
    cropOverride: cropToOverride(framed.crop),
    autoCrop: cropToOverride(autoCrop),
    camera: { yaw: rotation.yaw, pitch: rotation.pitch, roll: rotation.roll, translation: [...translation], view: [...view], fovDegrees: cropFovDegrees() },
    landmarks: framed.landmarks,
    warnings: warningsFor(summaries, faceIndex, framed.crop, img),
    modelInput: input,
  };
}

function summarise(face: Face, index: number): FaceSummary {
  return { index, box: [...face.box], score: face.score, faceWidth: face.faceWidth, autoCrop: cropToOverride(snapCrop(cropFromMesh(face.mesh))) };
}

function warningsFor(faces: FaceSummary[], faceIndex: number, crop: CropRect, img: { width: number; height: number }): ImportWarning[] {
  const warnings: ImportWarning[] = [];
  if (faces.length > 1) {
    const which = faceIndex === 0 ? 'the largest one' : `face ${faceIndex + 1} (by size)`;
    warnings.push({
      kind: 'several-faces',
      others: faces.filter((f) => f.index !== faceIndex),
      message: `${faces.length} faces were found; ${which} is used. Another can be chosen.`,
    });
  }
  const overflow = cropOverflow(crop, img.width, img.height);
  if (overflow.left + overflow.top + overflow.right + overflow.bottom > 0) {
    warnings.push({
      kind: 'face-cut-by-border',
      overflow,
      message: 'The crop reaches past the edge of the picture; the missing part is filled by repeating the edge pixels.',
    });
  }
  return warnings;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ApiError('CANCELLED', 'The portrait import was cancelled.');
}
