/**
 * The creator's crop override on a synthetic face (no detection): the crop follows the override,
 * the camera follows the crop, bad overrides are INVALID_INPUT.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { estimateCropCamera, headOrigin, headRotation, matrixFromEuler, projectPoints } from '../../../src/main/engine/face/camera-estimate.ts';
import { cropFromMesh, snapCrop } from '../../../src/main/engine/face/crop.ts';
import type { Face } from '../../../src/main/engine/face/types.ts';
import {
  MIN_CROP_SIZE_PX,
  adjustCrop,
  applyCrop,
  cropToOverride,
  overrideToCrop,
  validateCropOverride,
} from '../../../src/main/engine/portrait/crop-adjust.ts';
import { imageFace, syntheticHeadPoints } from '../face/synthetic-face.ts';

const image = { width: 800, height: 600 };
const size = 256;

/** A slightly turned face 180 px wide (1200 px per metre x 0.15 m) at (420, 280) in an 800x600 picture. */
function syntheticFace(): Face {
  const mesh = imageFace(syntheticHeadPoints(), matrixFromEuler(0.2, -0.1, 0.05), 1200, [420, 280, 0]);
  return { box: [300, 150, 240, 260], score: 0.95, mesh, rotation: headRotation(mesh), faceWidth: 180 };
}

describe('crop override <-> crop', () => {
  it('the automatic crop round-trips through its override exactly', () => {
    const auto = snapCrop(cropFromMesh(syntheticFace().mesh));
    const o = cropToOverride(auto);
    expect(o.size).toBe(auto.size);
    expect(o.centreX).toBe(auto.x + auto.size / 2);
    expect(overrideToCrop(o)).toEqual(auto);
  });

  it('a fractional override snaps to whole pixels as snapCrop does', () => {
    const c = overrideToCrop({ centreX: 400.3, centreY: 300.8, size: 301.6 });
    expect(c).toEqual(snapCrop({ x: 400.3 - 150.8, y: 300.8 - 150.8, size: 301.6 }));
    expect([c.x, c.y, c.size].every(Number.isInteger)).toBe(true);
  });
});

describe('adjustCrop', () => {
  const face = syntheticFace();
  const auto = snapCrop(cropFromMesh(face.mesh));
  const base = adjustCrop(face, cropToOverride(auto), image, size);

  it('without a change gives what the automatic crop gives', () => {
    expect(base).toEqual(applyCrop(face, auto, size));
    expect(base.camera).toEqual(estimateCropCamera(face.mesh, auto, size, face.rotation));
  });

  it('moving the centre moves the crop and shifts the camera translation by the same distance on the head', () => {
    const o = cropToOverride(auto);
    const moved = adjustCrop(face, { ...o, centreX: o.centreX + 40, centreY: o.centreY - 25 }, image, size);
    expect(moved.crop).toEqual({ x: auto.x + 40, y: auto.y - 25, size: auto.size });
    // The head sits 40 px further left and 25 px lower in the crop: translation changes by
    // -40 and +25 source pixels at the head's depth (metresPerPixel), depth unchanged.
    const m = base.camera.metresPerPixel;
    expect(moved.camera.translation[0] - base.camera.translation[0]).toBeCloseTo(-40 * m, 12);
    expect(moved.camera.translation[1] - base.camera.translation[1]).toBeCloseTo(25 * m, 12);
    expect(moved.camera.translation[2]).toBeCloseTo(base.camera.translation[2], 12);
    expect(moved.camera.rotation).toEqual(base.camera.rotation);
  });

  it('a larger crop puts the camera farther away, in proportion', () => {
    const o = cropToOverride(auto);
    const wide = adjustCrop(face, { ...o, size: o.size * 2 }, image, size);
    expect(wide.crop.size).toBe(auto.size * 2);
    expect(wide.camera.translation[2] / base.camera.translation[2]).toBeCloseTo(2, 12);
  });

  it('landmarks are in the new crop; the head origin projects onto its own landmark position', () => {
    const o = cropToOverride(auto);
    const moved = adjustCrop(face, { centreX: o.centreX - 30, centreY: o.centreY + 10, size: 300 }, image, size);
    const k = size / moved.crop.size;
    const nose = face.mesh[1]!;
    expect(moved.landmarks[1]![0]).toBeCloseTo((nose[0] - moved.crop.x) * k, 9);
    expect(moved.landmarks[1]![1]).toBeCloseTo((nose[1] - moved.crop.y) * k, 9);
    const origin = headOrigin(face.mesh);
    const [[u, v]] = projectPoints([[0, 0, 0]], moved.camera.view, moved.camera.intrinsics) as [[number, number, number]];
    expect(u).toBeCloseTo((origin[0] - moved.crop.x) * k, 9);
    expect(v).toBeCloseTo((origin[1] - moved.crop.y) * k, 9);
  });
});

describe('validateCropOverride', () => {
  const expectInvalid = (o: { centreX: number; centreY: number; size: number }, message: RegExp): void => {
    let caught: unknown;
    try {
      validateCropOverride(o, image.width, image.height);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe('INVALID_INPUT');
    expect((caught as ApiError).message).toMatch(message);
  };

  it('refuses non-finite numbers, crops too small or too large, and crops off the picture', () => {
    expectInvalid({ centreX: Number.NaN, centreY: 300, size: 200 }, /finite/);
    expectInvalid({ centreX: 400, centreY: Number.POSITIVE_INFINITY, size: 200 }, /finite/);
    expectInvalid({ centreX: 400, centreY: 300, size: MIN_CROP_SIZE_PX - 1 }, /at least 64 px/);
    expectInvalid({ centreX: 400, centreY: 300, size: 2401 }, /at most 2400 px/);
    expectInvalid({ centreX: -100, centreY: 300, size: 200 }, /outside the 800x600 picture/);
    expectInvalid({ centreX: 400, centreY: 700, size: 200 }, /outside/);
    expect(() => adjustCrop(syntheticFace(), { centreX: 400, centreY: 300, size: 10 }, image, size)).toThrow(ApiError);
  });

  it('accepts crops that overlap the picture, even mostly outside it', () => {
    validateCropOverride({ centreX: -99, centreY: 300, size: 200 }, image.width, image.height);
    validateCropOverride({ centreX: 400, centreY: 300, size: MIN_CROP_SIZE_PX }, image.width, image.height);
    validateCropOverride({ centreX: 400, centreY: 300, size: 2400 }, image.width, image.height);
  });
});
