/**
 * Issue 7: what is inside the preview's safe frame is exactly what the exported video shows. The
 * export's pinhole camera (framePinhole) and the preview's three.js PerspectiveCamera (set up by
 * canvasProjection and camera-rig.ts, as camera-driver.ts does) must put every head-space point at
 * the same place in the frame, for square, landscape and portrait outputs and any canvas shape;
 * and the export's backdrop must show the background card where the preview's card mesh is.
 */
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { drawCard, CardBackdrop } from '../../../src/main/export/export-background.ts';
import { pinholeAt } from '../../../src/main/export/frame-plan.ts';
import { applyCameraState } from '../../../src/renderer/src/preview/camera-rig.ts';
import { BACKDROP_GREY, CARD_UV_MAX, CARD_UV_MIN, cardCorners, cardHomography, drawnCardCorners, type CardCorners } from '../../../src/shared/camera/background-card.ts';
import { cameraAt, cameraState, defaultCameraState, type CameraState } from '../../../src/shared/camera/camera-path.ts';
import { presetKeys } from '../../../src/shared/camera/camera-presets.ts';
import { cvPointToGl } from '../../../src/shared/camera/gl-convention.ts';
import { orbitPosition } from '../../../src/shared/camera/orbit-camera.ts';
import { projectToPixel, worldToCamera } from '../../../src/shared/camera/pinhole.ts';
import { CAMERA_FAR, CAMERA_NEAR, canvasProjection, fovFromVerticalDeg, frameIntrinsics, framePinhole, horizontalFovDeg, safeFrameRect, verticalFovDeg } from '../../../src/shared/camera/projection.ts';
import type { AvatarCamera, Vec3 } from '../../../src/shared/project/types.ts';

type Size = readonly [number, number];

/** Outputs: square, 16:9 and 9:16. Canvases: wider than every frame, taller than every frame, and in between. */
const OUTPUTS: readonly Size[] = [
  [720, 720],
  [1280, 720],
  [720, 1280],
];
const CANVASES: readonly Size[] = [
  [1600, 600],
  [700, 1200],
  [814, 492],
  [900, 900],
];

/** The preview's camera for a state in a canvas whose safe frame has the output's aspect (camera-driver.ts). */
function previewCamera(state: CameraState, canvas: Size, output: Size): THREE.PerspectiveCamera {
  const projection = canvasProjection(state.fovDeg, canvas[0], canvas[1], output[0] / output[1]);
  const camera = new THREE.PerspectiveCamera(25, projection.aspect, projection.near, projection.far);
  applyCameraState(camera, state, projection.fovYDeg);
  camera.aspect = projection.aspect;
  camera.updateProjectionMatrix();
  return camera;
}

/** Where the preview shows a head-space point, as a fraction of the safe frame (0..1 across and down). */
function inPreviewFrame(camera: THREE.PerspectiveCamera, p: Vec3, canvas: Size, output: Size): [number, number] {
  const ndc = new THREE.Vector3(...cvPointToGl(p)).project(camera);
  const px = ((ndc.x + 1) / 2) * canvas[0];
  const py = ((1 - ndc.y) / 2) * canvas[1];
  const frame = safeFrameRect(canvas[0], canvas[1], output[0] / output[1]);
  return [(px - frame.left) / frame.width, (py - frame.top) / frame.height];
}

/** Where the export shows it, the same way. */
function inExportFrame(state: CameraState, p: Vec3, output: Size): [number, number] {
  const pinhole = pinholeAt(state, output[0], output[1]);
  const [x, y] = projectToPixel(pinhole, worldToCamera(pinhole.view, p));
  return [x / output[0], y / output[1]];
}

// Poses around a head at the origin: the source-like front view, a bullet extreme, a rolled close-up.
const STATES: CameraState[] = [
  cameraState(orbitPosition(0, 0, 0.72, [0, 0, 0]), [0, 0, 0], 0, 28.072486935852954),
  cameraState(orbitPosition(-45, -12.5, 0.72, [0, 0, 0]), [0, 0, 0], 0, 28.072486935852954),
  cameraState(orbitPosition(20, 8, 0.5, [0.01, -0.03, 0.02]), [0.01, -0.03, 0.02], 7, 40),
];
// Points on and around the head (the top of the hair, chin, cheeks, nose, a shoulder).
const POINTS: Vec3[] = [
  [0, -0.15, 0],
  [0, 0.09, 0],
  [-0.075, 0, 0],
  [0.075, 0.01, 0.02],
  [0.003, 0.02, -0.1],
  [0.12, 0.2, 0.05],
];

describe('one projection for the preview and the export', () => {
  it('fovDeg spans the frame\'s shorter side: square pixels, centred principal point', () => {
    // The source crop's 28.07 degrees (fx = 2 * size) at 16:9: fy = 360 / tan(14.04 deg) = 1440 px.
    const k = frameIntrinsics(28.072486935852954, 1280, 720);
    expect(k.fy).toBeCloseTo(1440, 9);
    expect(k.fx).toBe(k.fy);
    expect([k.cx, k.cy]).toEqual([640, 360]);
    expect(horizontalFovDeg(28.072486935852954, 1280, 720)).toBeCloseTo(47.92, 2);
    // At 9:16 the same 28.07 degrees span the width, so the square crop fits across; more shows above and below.
    const portrait = frameIntrinsics(28.072486935852954, 720, 1280);
    expect(portrait.fx).toBeCloseTo(1440, 9);
    expect([portrait.cx, portrait.cy]).toEqual([360, 640]);
    expect(horizontalFovDeg(28.072486935852954, 720, 1280)).toBeCloseTo(28.072486935852954, 9);
    expect(verticalFovDeg(28.072486935852954, 720, 1280)).toBeCloseTo(47.92, 2);
    expect(verticalFovDeg(40, 1080, 1080)).toBe(40);
    for (const [w, h] of [[720, 1280], [1280, 720], [500, 501]] as const) {
      expect(fovFromVerticalDeg(verticalFovDeg(33, w, h), w, h)).toBeCloseTo(33, 9);
    }
    const pinhole = framePinhole(STATES[0]!, 1280, 720);
    expect([pinhole.near, pinhole.far]).toEqual([CAMERA_NEAR, CAMERA_FAR]);
    expect(pinhole.view).toEqual(STATES[0]!.view);
  });

  it('puts every head-space point at the same place in the frame, for 1:1, 16:9 and 9:16 outputs and any canvas', () => {
    for (const state of STATES) {
      for (const output of OUTPUTS) {
        for (const canvas of CANVASES) {
          const camera = previewCamera(state, canvas, output);
          for (const p of POINTS) {
            const a = inPreviewFrame(camera, p, canvas, output);
            const b = inExportFrame(state, p, output);
            // three.js keeps its matrices in float32: 1e-6 of the frame (a thousandth of a pixel at 1280).
            expect(a[0], `${output} in ${canvas}: x of ${p}`).toBeCloseTo(b[0], 5);
            expect(a[1], `${output} in ${canvas}: y of ${p}`).toBeCloseTo(b[1], 5);
          }
        }
      }
    }
  });

  it('maps the safe frame\'s corners to the export frame\'s corners (nothing more, nothing less is exported)', () => {
    const state = STATES[2]!;
    for (const output of OUTPUTS) {
      for (const canvas of CANVASES) {
        const camera = previewCamera(state, canvas, output);
        const frame = safeFrameRect(canvas[0], canvas[1], output[0] / output[1]);
        const pinhole = pinholeAt(state, output[0], output[1]);
        for (const [fx, fy] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ] as const) {
          // The preview ray through the safe frame's corner, unprojected at NDC depth 0.5.
          const ndc = new THREE.Vector3(((frame.left + fx * frame.width) / canvas[0]) * 2 - 1, 1 - ((frame.top + fy * frame.height) / canvas[1]) * 2, 0.5);
          const gl = ndc.unproject(camera);
          const [x, y] = projectToPixel(pinhole, worldToCamera(pinhole.view, cvPointToGl([gl.x, gl.y, gl.z])));
          expect(x / output[0]).toBeCloseTo(fx, 5);
          expect(y / output[1]).toBeCloseTo(fy, 5);
        }
      }
    }
  });
});

describe('the background card, in the preview and in the export', () => {
  // A source camera (camera-estimate.ts: fx = 2 * size, centred), slightly turned, 0.72 away.
  const resolution = 64;
  const source: AvatarCamera = {
    view: cameraState([0.02, -0.05, -0.72], [0, 0, 0], 1.5, 28.072486935852954).view,
    camToWorld: [],
    intrinsics: [128, 128, 32, 32],
    resolution,
    yawDeg: 0,
    pitchDeg: 0,
    rollDeg: 0,
  };
  const corners: CardCorners = cardCorners(source, 0.95);
  /** The card point at texture coordinates (u, v) (top-left 0, 0): what the preview's quad shows there. */
  const cardPoint = (u: number, v: number): Vec3 =>
    [0, 1, 2].map((k) => corners[0][k]! + u * (corners[1][k]! - corners[0][k]!) + v * (corners[2][k]! - corners[0][k]!)) as Vec3;

  /** Background bytes whose red and green levels code the texel column and row (4 levels a texel). */
  function rampBackground(): Uint8Array {
    const floats = new Float32Array(resolution * resolution * 3);
    for (let j = 0; j < resolution; j++) {
      for (let i = 0; i < resolution; i++) {
        floats[3 * (j * resolution + i)] = (4 * i) / 255;
        floats[3 * (j * resolution + i) + 1] = (4 * j) / 255;
      }
    }
    return new Uint8Array(floats.buffer);
  }

  it('the homography gives each pixel the card coordinates the preview shows there', () => {
    for (const state of [defaultCameraState(source), ...STATES]) {
      for (const output of OUTPUTS) {
        const pinhole = pinholeAt(state, output[0], output[1]);
        const h = cardHomography(corners, pinhole)!;
        expect(h).not.toBeNull();
        for (const [u, v] of [
          [0.5, 0.5],
          [0.1, 0.2],
          [0.9, 0.75],
          [0.3, 0.95],
        ] as const) {
          // Where the preview's camera shows this card point, in export pixels.
          const camera = previewCamera(state, [900, 900], output);
          const [fx, fy] = inPreviewFrame(camera, cardPoint(u, v), [900, 900], output);
          const x = fx * output[0];
          const y = fy * output[1];
          const w = h[6]! * x + h[7]! * y + h[8]!;
          expect(w).toBeGreaterThan(0);
          expect((h[0]! * x + h[1]! * y + h[2]!) / w, `${output} u`).toBeCloseTo(u, 4);
          expect((h[3]! * x + h[4]! * y + h[5]!) / w, `${output} v`).toBeCloseTo(v, 4);
        }
      }
    }
  });

  it('sees nothing of the card from behind its plane (the preview draws its front side only)', () => {
    const behind = cameraState([0, 0, 2], [0, 0, 0], 0, 30);
    expect(cardHomography(corners, pinholeAt(behind, 64, 36))).toBeNull();
    const out = new Float32Array(4 * 3 * 3);
    drawCard(new Float32Array(resolution * resolution * 3), resolution, null, 4, 3, out);
    expect(Array.from(out).every((v) => v === Math.fround(BACKDROP_GREY / 255))).toBe(true);
  });

  it('the export\'s backdrop shows the card\'s texel where the preview shows it, its edge texels beside it, at 16:9 and 9:16', () => {
    const means = new Float32Array([0, 0, 0, 0.05, -0.1, 0.1]);
    for (const output of [OUTPUTS[1]!, OUTPUTS[2]!]) {
      const backdrop = new CardBackdrop(rampBackground(), source, means, output[0], output[1]);
      const state = defaultCameraState(source);
      const pinhole = pinholeAt(state, output[0], output[1]);
      const image = backdrop.at(pinhole);
      const camera = previewCamera(state, [900, 900], output);
      for (const [u, v] of [
        [0.5, 0.5],
        [0.35, 0.2],
        [0.65, 0.8],
      ] as const) {
        const [fx, fy] = inPreviewFrame(camera, cardPoint(u, v), [900, 900], output);
        for (const f of [fx, fy]) expect(f >= 0 && f < 1).toBe(true);
        const x = Math.floor(fx * output[0]);
        const y = Math.floor(fy * output[1]);
        const o = 3 * (y * output[0] + x);
        // Levels / 4 are texel coordinates (centres at +0.5); one pixel is 1/11 of a texel here, and
        // linear-light filtering of 4-level steps is within 0.05 level of the straight ramp.
        expect((image[o]! * 255) / 4 + 0.5, `${output} u`).toBeCloseTo(u * resolution, 0);
        expect((image[o + 1]! * 255) / 4 + 0.5, `${output} v`).toBeCloseTo(v * resolution, 0);
      }
      // From the source view the frame shows the source view's whole square across its shorter
      // side: a 16:9 frame has the card's clamped edge beside it, a 9:16 frame above and below it.
      // Either way the middle row starts on the first texel column (red level 0) and ends on the
      // last (red level 4 * 63), its rows as in the middle. No grey anywhere.
      const grey = Math.fround(BACKDROP_GREY / 255);
      const row = Math.floor(output[1] / 2);
      const left = 3 * (row * output[0]);
      const right = 3 * (row * output[0] + output[0] - 1);
      expect(image[left]! * 255).toBeCloseTo(0, 1);
      expect(image[right]! * 255).toBeCloseTo(4 * (resolution - 1), 1);
      // The row is the card's v there (the source is rolled a little), clamped to the texel range.
      const h = cardHomography(backdrop.corners!, pinhole)!;
      for (const [o, x] of [[left, 0.5], [right, output[0] - 0.5]] as const) {
        const y = row + 0.5;
        const v = (h[3]! * x + h[4]! * y + h[5]!) / (h[6]! * x + h[7]! * y + h[8]!);
        const level = 4 * Math.min(resolution - 1, Math.max(0, Math.min(1, Math.max(0, v)) * resolution - 0.5));
        expect(image[o + 1]! * 255, 'row level').toBeCloseTo(level, 0);
      }
      expect(image.some((v) => v === grey)).toBe(false);
    }
  });

  it('keeps the source view\'s square exactly as the texels (the extension only adds the clamped edge around it)', () => {
    // The source camera at the texels' own size: every pixel centre is a texel centre, and the
    // linear-light round trip gives back the 8-bit level.
    const backdrop = new CardBackdrop(rampBackground(), source, new Float32Array([0, 0, 0.1]), resolution, resolution);
    const [fx, fy, cx, cy] = source.intrinsics as [number, number, number, number];
    const image = backdrop.at({ fx, fy, cx, cy, view: source.view });
    for (let j = 0; j < resolution; j += 7) {
      for (let i = 0; i < resolution; i += 5) {
        const o = 3 * (j * resolution + i);
        expect(Math.round(image[o]! * 255), `${i}, ${j}`).toBe(4 * i);
        expect(Math.round(image[o + 1]! * 255), `${i}, ${j}`).toBe(4 * j);
      }
    }
  });

  it('the drawn card is CARD_EXTENT times the source view in the same plane, and grey shows only beyond it', () => {
    const drawn = drawnCardCorners(corners);
    expect(drawn[0]).toEqual(cardPoint(CARD_UV_MIN, CARD_UV_MIN).map((c) => expect.closeTo(c, 12)));
    expect(drawn[3]).toEqual(cardPoint(CARD_UV_MAX, CARD_UV_MAX).map((c) => expect.closeTo(c, 12)));
    // A homography that maps pixel x to card coordinate u = (x - 4) (and v = 0.5): grey only beyond CARD_UV_MAX.
    const h = [1, 0, -4, 0, 0, 0.5, 0, 0, 1];
    const width = Math.ceil(CARD_UV_MAX) + 6;
    const out = new Float32Array(width * 3);
    drawCard(new Float32Array((resolution + 2) * (resolution + 2) * 3).fill(0.25), resolution, h, width, 1, out);
    const grey = Math.fround(BACKDROP_GREY / 255);
    for (let x = 0; x < width; x++) expect(out[3 * x] === grey, `pixel ${x}, u ${x + 0.5 - 4}`).toBe(x + 0.5 - 4 > CARD_UV_MAX);
  });

  it('shows no grey through the bullet preset\'s extreme views at 16:9 (the edge texels fill the frame)', () => {
    const grey = Math.fround(BACKDROP_GREY / 255);
    // A head 0.2 deep behind its origin: the card stands about 0.97 from the source camera.
    const means = new Float32Array([0, 0, 0, 0.05, -0.1, 0.2]);
    const output: Size = [320, 180];
    const backdrop = new CardBackdrop(rampBackground(), source, means, output[0], output[1]);
    const keys = presetKeys('bullet', { startS: 0, durationS: 2, base: defaultCameraState(source) });
    for (const tS of [0, 0.5, 1.5, 2]) {
      const image = backdrop.at(pinholeAt(cameraAt(keys, tS)!, output[0], output[1]));
      expect(image.some((v) => v === grey), `at ${tS} s`).toBe(false);
    }
  });

  it('redraws only when the camera moves', () => {
    const backdrop = new CardBackdrop(rampBackground(), source, new Float32Array([0, 0, 0]), 32, 18);
    const a = pinholeAt(defaultCameraState(source), 32, 18);
    const first = Float32Array.from(backdrop.at(a));
    expect(backdrop.at({ ...a, view: [...a.view] })).toEqual(first);
    const moved = pinholeAt(cameraState(orbitPosition(10, 0, 0.72, [0, 0, 0]), [0, 0, 0], 0, 28.07), 32, 18);
    expect(Array.from(backdrop.at(moved))).not.toEqual(Array.from(first));
  });
});
