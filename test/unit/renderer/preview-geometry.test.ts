import { utils } from '@sparkjsdev/spark';
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { backgroundTexels, cardCorners, cardDepth } from '../../../src/renderer/src/preview/background-card.ts';
import { applyCameraState, readCameraState } from '../../../src/renderer/src/preview/camera-rig.ts';
import { FenceTimer, type FenceGl } from '../../../src/renderer/src/preview/fence-timer.ts';
import { FrameTimer, percentile } from '../../../src/renderer/src/preview/frame-timer.ts';
import { frustumCorners, frustumSegments } from '../../../src/renderer/src/preview/path-geometry.ts';
import { packSplats, scaleEncoding, writeCentres } from '../../../src/renderer/src/preview/splat-packing.ts';
import { canvasFovDeg, safeFrameRect } from '../../../src/renderer/src/preview/view-frame.ts';
import { cameraState } from '../../../src/shared/camera/camera-path.ts';
import { intrinsicsFromFovY, projectToPixel, worldToCamera } from '../../../src/shared/camera/pinhole.ts';
import type { AvatarCamera } from '../../../src/shared/project/types.ts';
import { allocateSplats } from '../../../src/shared/splats/types.ts';

describe('splat packing for Spark', () => {
  const splats = allocateSplats(3);
  splats.means.set([0.1, -0.2, 0.3, 0, 0, 0, -0.45, 0.5, 0.25]);
  splats.scales.set([0.01, 0.02, 0.004, 0.05, 0.05, 0.05, 0.003, 0.003, 0.03]);
  const half = Math.SQRT1_2;
  splats.quats.set([1, 0, 0, 0, half, 0, 0, half, half, half, 0, 0]);
  splats.opacities.set([0.9, 0.5, 0.1]);
  splats.colors.set([0.2, 0.4, 0.6, 1.2, -0.1, 0.5, 0.9, 0.8, 0.7]);

  // Tolerances are Spark's packed precision (PackedSplats layout, splat-packing.ts).
  it('round-trips every attribute within the packed precision', () => {
    const head = packSplats(splats);
    expect(head.packed.length).toBe(utils.computeMaxSplats(3) * 4);
    const lnStep = (head.encoding.lnScaleMax! - head.encoding.lnScaleMin!) / 254;
    for (let i = 0; i < 3; i++) {
      const u = utils.unpackSplat(head.packed, i, head.encoding);
      // float16 centres: 2^-11 relative, at most 2.5e-4 here.
      expect(u.center.x).toBeCloseTo(splats.means[3 * i]!, 3);
      expect(u.center.y).toBeCloseTo(splats.means[3 * i + 1]!, 3);
      expect(u.center.z).toBeCloseTo(splats.means[3 * i + 2]!, 3);
      for (const [k, axis] of (['x', 'y', 'z'] as const).entries()) {
        // 8-bit log scales over the avatar's own range: within half a step.
        expect(Math.abs(Math.log(u.scales[axis]) - Math.log(splats.scales[3 * i + k]!))).toBeLessThanOrEqual(lnStep / 2 + 1e-9);
      }
      // Ours are (w, x, y, z); the same rotation up to sign, 8-bit octahedral axis and angle.
      const q = new THREE.Quaternion(splats.quats[4 * i + 1], splats.quats[4 * i + 2], splats.quats[4 * i + 3], splats.quats[4 * i]);
      expect(Math.abs(q.dot(u.quaternion))).toBeGreaterThan(0.995);
      expect(u.opacity).toBeCloseTo(splats.opacities[i]!, 2);
      // Colours go in as they are (display values), clamped to 0..1.
      const want = [0, 1, 2].map((c) => Math.min(1, Math.max(0, splats.colors[3 * i + c]!)));
      expect([u.color.r, u.color.g, u.color.b].map((v) => Math.round(v * 255))).toEqual(want.map((v) => Math.round(v * 255)));
    }
  });

  it('spans the avatar\'s own log-scale range', () => {
    const { lnScaleMin, lnScaleMax } = scaleEncoding(splats.scales);
    expect(lnScaleMin).toBeLessThanOrEqual(Math.log(0.003));
    expect(lnScaleMax).toBeGreaterThanOrEqual(Math.log(0.05));
    expect(lnScaleMax - lnScaleMin).toBeLessThan(3.5);
  });

  it('rewrites centres as means + offsets and leaves the rest of each splat alone', () => {
    const head = packSplats(splats);
    const before = Uint32Array.from(head.packed);
    const offsets = new Float32Array([0.01, 0.02, -0.03, 0, 0, 0, 0.1, 0, 0]);
    writeCentres(head.packed, splats.means, offsets);
    for (let i = 0; i < 3; i++) {
      const u = utils.unpackSplat(head.packed, i, head.encoding);
      expect(u.center.x).toBeCloseTo(splats.means[3 * i]! + offsets[3 * i]!, 3);
      expect(u.center.z).toBeCloseTo(splats.means[3 * i + 2]! + offsets[3 * i + 2]!, 3);
      expect(head.packed[4 * i]).toBe(before[4 * i]);
      expect(head.packed[4 * i + 3]).toBe(before[4 * i + 3]);
      expect(head.packed[4 * i + 2]! >>> 16).toBe(before[4 * i + 2]! >>> 16);
    }
    writeCentres(head.packed, splats.means, null);
    expect(Array.from(head.packed)).toEqual(Array.from(before));
    expect(() => writeCentres(head.packed, splats.means, new Float32Array(3))).toThrow(RangeError);
  });
});

describe('the safe frame', () => {
  it('is the largest centred rectangle of the aspect', () => {
    expect(safeFrameRect(1600, 600, 16 / 9)).toEqual({ left: (1600 - 600 * (16 / 9)) / 2, top: 0, width: 600 * (16 / 9), height: 600 });
    expect(safeFrameRect(800, 800, 16 / 9)).toEqual({ left: 0, top: (800 - 450) / 2, width: 800, height: 450 });
  });

  it('keeps the camera\'s field of view inside the frame when the frame is letterboxed', () => {
    expect(canvasFovDeg(30, 1600, 600, 16 / 9)).toBeCloseTo(30, 9);
    // A 9:16 frame filling a tall canvas's width: the 30 degrees span the frame's width.
    expect(canvasFovDeg(30, 600, 1600, 9 / 16)).toBeCloseTo((2 * Math.atan(Math.tan((15 * Math.PI) / 180) * (1600 / 600)) * 180) / Math.PI, 9);
    const fov = canvasFovDeg(30, 800, 800, 16 / 9);
    // The frame's top edge (225 px above the centre of a 450 px frame) must sit at 15 degrees.
    const fy = 400 / Math.tan((fov * Math.PI) / 360);
    expect((Math.atan(225 / fy) * 360) / Math.PI).toBeCloseTo(30, 9);
  });
});

describe('frame timing', () => {
  it('takes the median of the last frames only', () => {
    const timer = new FrameTimer(3);
    expect(timer.median()).toBeNull();
    for (const ms of [100, 1, 2, 3]) timer.add(ms);
    expect(timer.median()).toBe(2);
    timer.add(Number.NaN);
    expect(timer.count).toBe(3);
  });

  it('interpolates percentiles as numpy does', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('times frames to their fence without blocking, in order', async () => {
    const signalled = new Set<object>();
    const gl = {
      SYNC_GPU_COMMANDS_COMPLETE: 1,
      ALREADY_SIGNALED: 2,
      CONDITION_SATISFIED: 3,
      WAIT_FAILED: 4,
      fenceSync: () => ({}),
      clientWaitSync: (sync: object) => (signalled.has(sync) ? 2 : 5),
      deleteSync: () => undefined,
      flush: () => undefined,
    };
    const fences: object[] = [];
    const fenceSync = gl.fenceSync;
    gl.fenceSync = () => {
      const f = fenceSync();
      fences.push(f);
      return f;
    };
    let now = 100;
    const seen: number[] = [];
    const timer = new FenceTimer(gl as unknown as FenceGl, (ms) => seen.push(ms), () => now);
    timer.frameSubmitted(90);
    timer.frameSubmitted(95);
    await new Promise((done) => setTimeout(done, 10));
    expect(seen).toEqual([]);
    now = 130;
    signalled.add(fences[1]!);
    await new Promise((done) => setTimeout(done, 10));
    // The second cannot be reported before the first (fences signal in order).
    expect(seen).toEqual([]);
    now = 140;
    signalled.add(fences[0]!);
    await new Promise((done) => setTimeout(done, 10));
    // The second frame waited for the first: its own time starts where the first one ended.
    expect(seen).toEqual([50, 0]);
    timer.frameSubmitted(150);
    now = 170;
    signalled.add(fences[2]!);
    await new Promise((done) => setTimeout(done, 10));
    expect(seen).toEqual([50, 0, 20]);
    timer.dispose();
  });
});

describe('the background card', () => {
  const resolution = 256;
  const k = intrinsicsFromFovY(30, resolution, resolution);
  const camera: AvatarCamera = {
    view: cameraState([0.1, -0.05, -2.5], [0, 0, 0], 4, 30).view,
    camToWorld: [],
    intrinsics: [k.fx, k.fy, k.cx, k.cy],
    resolution,
    yawDeg: 0,
    pitchDeg: 0,
    rollDeg: 0,
  };

  it('fills the source camera\'s image exactly, just behind the farthest splat', () => {
    const means = new Float32Array([0, 0, 0, 0.1, 0.2, 0.3, -0.2, 0.1, -0.2]);
    const depth = cardDepth(camera, means)!;
    const far = Math.max(...[0, 1, 2].map((i) => worldToCamera(camera.view, [means[3 * i]!, means[3 * i + 1]!, means[3 * i + 2]!])[2]));
    expect(depth).toBeGreaterThan(far);
    expect(depth).toBeLessThan(far * 1.1);
    const pixels = cardCorners(camera, depth).map((c) => {
      const p = worldToCamera(camera.view, c);
      expect(p[2]).toBeCloseTo(depth, 9);
      return projectToPixel(k, p);
    });
    const expected = [
      [0, 0],
      [resolution, 0],
      [0, resolution],
      [resolution, resolution],
    ];
    pixels.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(expected[i]![0]!, 6);
      expect(p[1]).toBeCloseTo(expected[i]![1]!, 6);
    });
  });

  it('turns float RGB into the 8-bit texels the export writes', () => {
    const bytes = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
    expect(Array.from(backgroundTexels(bytes([0, 0.5, 1]), 1))).toEqual([0, 128, 255, 255]);
    // Clamped, then rounded as png-writer.ts does.
    expect(Array.from(backgroundTexels(bytes([1.5, -0.2, 0.25]), 1))).toEqual([255, 0, 64, 255]);
    expect(() => backgroundTexels(bytes([0, 0, 0]), 2)).toThrow(RangeError);
  });
});

describe('camera frustums and the three.js camera', () => {
  it('draws a frustum whose image rectangle has the field of view and aspect', () => {
    const state = cameraState([0, 0, -2], [0, 0, 0], 0, 40);
    const [tl, tr, br] = frustumCorners(state, 16 / 9, 0.5);
    const height = Math.hypot(br[0] - tr[0], br[1] - tr[1], br[2] - tr[2]);
    const width = Math.hypot(tr[0] - tl[0], tr[1] - tl[1], tr[2] - tl[2]);
    expect(height).toBeCloseTo(2 * 0.5 * Math.tan((20 * Math.PI) / 180), 9);
    expect(width / height).toBeCloseTo(16 / 9, 9);
    // Image up is world -y (OpenCV y down): the top corners have the smaller y.
    expect(tl[1]).toBeLessThan(br[1]);
    expect(frustumSegments(state, 1, 0.5).length).toBe((4 + 4 + 2) * 2 * 3);
  });

  it('puts a three.js camera where a CameraState says and reads the same state back', () => {
    const state = cameraState([0.4, -0.3, -2.2], [0.05, 0.02, 0.1], 12, 28);
    const camera = new THREE.PerspectiveCamera();
    applyCameraState(camera, state, 28);
    const back = readCameraState(camera, 28, null, Math.hypot(0.35, 0.32, 2.3));
    for (let i = 0; i < 16; i++) expect(back.view[i]).toBeCloseTo(state.view[i]!, 9);
    expect(back.rollDeg).toBeCloseTo(12, 9);
    // A head-space point in front of the camera projects through three.js (GL world = CV world
    // turned 180 degrees about x) where the pinhole model puts it.
    const world: [number, number, number] = [0.1, 0.15, 0.05];
    const cv = worldToCamera(state.view, world);
    const ndc = new THREE.Vector3(world[0], -world[1], -world[2]).project(camera);
    const f = 1 / Math.tan((28 * Math.PI) / 360);
    expect(ndc.x).toBeCloseTo((f * cv[0]) / cv[2] / camera.aspect, 6);
    expect(ndc.y).toBeCloseTo((-f * cv[1]) / cv[2], 6);
  });
});
