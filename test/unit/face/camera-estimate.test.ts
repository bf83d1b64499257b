/**
 * Camera maths of the face pipeline on synthetic landmarks: rotation recovery, Euler angles, the
 * crop camera of a frontal face, re-projection, smoothing.
 */
import { describe, expect, it } from 'vitest';
import {
  cropFovDegrees,
  cropIntrinsics,
  estimateCropCamera,
  eulerFromMatrix,
  FACE_WIDTH_M,
  FOCAL_PER_SIZE,
  headRotation,
  isRotation,
  matrixFromEuler,
  meshToHeadPerspective,
  projectPoints,
  smoothViews,
} from '../../../src/main/engine/face/camera-estimate.ts';
import { cropFromMesh, snapCrop } from '../../../src/main/engine/face/crop.ts';
import { mul3, transpose3 } from '../../../src/main/engine/face/geometry.ts';
import type { Mat3 } from '../../../src/main/engine/face/types.ts';
import { imageFace, syntheticHeadPoints } from './synthetic-face.ts';

const deg = Math.PI / 180;
const I3: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** The rotation block of a row-major 4x4. */
function rot(m: readonly number[]): Mat3 {
  const e = (i: number): number => m[i]!;
  return [e(0), e(1), e(2), e(4), e(5), e(6), e(8), e(9), e(10)];
}

/** Largest absolute element difference. */
function maxDiff(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

describe('Euler angles', () => {
  it('matrixFromEuler and eulerFromMatrix are inverse, and give rotations', () => {
    const cases: [number, number, number][] = [
      [0, 0, 0],
      [20, -10, 5],
      [-45, 30, -25],
      [80, 5, 60],
    ];
    for (const [y, p, r] of cases) {
      const m = matrixFromEuler(y * deg, p * deg, r * deg);
      expect(isRotation(m, 1e-12)).toBe(true);
      const e = eulerFromMatrix(m);
      expect(e.yaw).toBeCloseTo(y * deg, 12);
      expect(e.pitch).toBeCloseTo(p * deg, 12);
      expect(e.roll).toBeCloseTo(r * deg, 12);
    }
  });

  it('sign meanings: yaw > 0 turns the nose to image -x, pitch > 0 tips it down, roll > 0 is clockwise on screen', () => {
    const nose = (m: Mat3) => [-m[2], -m[5], -m[8]]; // head -z (towards the camera) in camera space
    expect(nose(matrixFromEuler(0.3, 0, 0))[0]).toBeLessThan(0);
    expect(nose(matrixFromEuler(0, 0.3, 0))[1]).toBeGreaterThan(0);
    const xAxis = matrixFromEuler(0, 0, 0.3); // head +x in camera space is column 0
    expect(xAxis[3]).toBeGreaterThan(0); // the head's right-hand side moves down the screen
  });
});

describe('headRotation', () => {
  const head = syntheticHeadPoints();

  it('a frontal synthetic face reads the identity', () => {
    const mesh = imageFace(head, I3, 2000, [300, 300, 0]);
    const r = headRotation(mesh);
    // 1e-9: only floating-point rounding separates the construction from the estimate.
    expect(maxDiff(r.matrix, I3)).toBeLessThan(1e-9);
    expect(Math.abs(r.yaw) + Math.abs(r.pitch) + Math.abs(r.roll)).toBeLessThan(1e-9);
  });

  it('recovers known rotations exactly, orthonormal with det +1', () => {
    const cases: [number, number, number][] = [
      [25, 0, 0],
      [0, -20, 0],
      [0, 0, 15],
      [-35, 15, -10],
      [50, -25, 20],
    ];
    for (const [y, p, rl] of cases) {
      const truth = matrixFromEuler(y * deg, p * deg, rl * deg);
      const mesh = imageFace(head, truth, 1500, [400, 350, 50]);
      const r = headRotation(mesh);
      expect(isRotation(r.matrix, 1e-9)).toBe(true);
      expect(maxDiff(r.matrix, truth)).toBeLessThan(1e-9);
      expect(r.yaw).toBeCloseTo(y * deg, 9);
      expect(r.pitch).toBeCloseTo(p * deg, 9);
      expect(r.roll).toBeCloseTo(rl * deg, 9);
    }
  });
});

describe('estimateCropCamera', () => {
  const head = syntheticHeadPoints();

  it('intrinsics: fx = fy = 2 size, principal point at the centre, 28.07 degrees', () => {
    expect(cropIntrinsics(256)).toEqual({ fx: 512, fy: 512, cx: 128, cy: 128 });
    expect(FOCAL_PER_SIZE).toBe(2);
    expect(cropFovDegrees()).toBeCloseTo(28.0725, 3);
  });

  it('a frontal face at the crop centre gives view = [I | (0, 0, d)], d from the face width', () => {
    const pxPerMetre = 2000; // face width 300 px
    const mesh = imageFace(head, I3, pxPerMetre, [500, 400, 0]);
    const size = 256;
    const crop = { x: 500 - 360, y: 400 - 360, size: 720 }; // centred on the head origin
    const cam = estimateCropCamera(mesh, crop, size);
    const widthOut = FACE_WIDTH_M * pxPerMetre * (size / crop.size);
    const d = (FOCAL_PER_SIZE * size * FACE_WIDTH_M) / widthOut;
    const expected = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, d, 0, 0, 0, 1];
    expect(maxDiff(cam.view, expected)).toBeLessThan(1e-9);
    // A crop of 2.4 face widths: the face is 256 / 2.4 px wide, d = 512 * 0.15 / (256 / 2.4) = 0.72 m.
    expect(d).toBeCloseTo(0.72, 12);
  });

  it('the head origin off centre moves the translation laterally, keeping its pixel', () => {
    const mesh = imageFace(head, matrixFromEuler(0.2, -0.1, 0.05), 1000, [260, 240, 0]);
    const crop = snapCrop(cropFromMesh(mesh));
    const cam = estimateCropCamera(mesh, crop, 256);
    expect(cam.translation[2]).toBeGreaterThan(0);
    const origin = projectPoints([[0, 0, 0]], cam.view, cam.intrinsics)[0]!;
    const k = 256 / crop.size;
    expect(origin[0]).toBeCloseTo((260 - crop.x) * k, 9);
    expect(origin[1]).toBeCloseTo((240 - crop.y) * k, 9);
  });

  it('meshToHeadPerspective then projectPoints gives back the landmarks of the same frame', () => {
    const mesh = imageFace(head, matrixFromEuler(-0.3, 0.15, -0.1), 1200, [333, 277, 20]);
    const crop = snapCrop(cropFromMesh(mesh));
    const cam = estimateCropCamera(mesh, crop, 256);
    const back = projectPoints(meshToHeadPerspective(mesh, crop, 256, cam), cam.view, cam.intrinsics);
    const k = 256 / crop.size;
    for (const i of [1, 2, 10, 33, 133, 234, 263, 362, 454]) {
      const b = back[i]!;
      const m = mesh[i]!;
      expect(b[0]).toBeCloseTo((m[0] - crop.x) * k, 9);
      expect(b[1]).toBeCloseTo((m[1] - crop.y) * k, 9);
      expect(b[2]).toBeGreaterThan(0);
    }
  });
});

describe('smoothViews', () => {
  it('keeps a constant sequence, keeps translations per frame, gives rotations', () => {
    const v = [1, 0, 0, 0.1, 0, 1, 0, 0.2, 0, 0, 1, 0.7, 0, 0, 0, 1];
    expect(smoothViews([v, v, v]).every((s) => maxDiff(s, v) < 1e-12)).toBe(true);
    const views = [0, 0.1, 0.2, 0.3].map((a, i) => {
      const r = matrixFromEuler(a, 0, 0);
      return [r[0], r[1], r[2], i, r[3], r[4], r[5], 0, r[6], r[7], r[8], 1, 0, 0, 0, 1];
    });
    const s = smoothViews(views, 1);
    for (const [i, m] of s.entries()) {
      expect(isRotation(rot(m), 1e-12)).toBe(true);
      expect(m[3]).toBe(i);
    }
    // Middle frames of a constant-rate turn stay on the turn (the mean of a-0.1, a, a+0.1 is a).
    const r1 = rot(s[1]!);
    expect(eulerFromMatrix(r1).yaw).toBeCloseTo(0.1, 9);
    expect(maxDiff(mul3(r1, transpose3(matrixFromEuler(0.1, 0, 0))), I3)).toBeLessThan(1e-9);
  });
});
