/**
 * Orbit camera and pinhole helpers: the conventions of DESIGN.md "Cameras" (OpenCV view, world =
 * head space with +y down and the face towards -z, row-major world-to-camera).
 */
import { describe, expect, it } from 'vitest';
import { lookAtView, orbitCamera, orbitPosition } from '../../../src/shared/camera/orbit-camera.ts';
import { cameraCentre, fovYFromIntrinsics, intrinsicsFromFovY, projectToPixel, worldToCamera } from '../../../src/shared/camera/pinhole.ts';

type Vec3 = [number, number, number];

function rotationOf(view: number[]): number[][] {
  return [0, 1, 2].map((r) => view.slice(4 * r, 4 * r + 3));
}

describe('pinhole helpers', () => {
  it('intrinsics from the vertical field of view, and back', () => {
    expect(intrinsicsFromFovY(90, 200, 100)).toEqual({ fx: expect.closeTo(50, 12), fy: expect.closeTo(50, 12), cx: 100, cy: 50 });
    expect(fovYFromIntrinsics(intrinsicsFromFovY(37, 640, 480).fy, 480)).toBeCloseTo(37, 12);
    expect(() => intrinsicsFromFovY(0, 10, 10)).toThrow(RangeError);
    expect(() => intrinsicsFromFovY(180, 10, 10)).toThrow(RangeError);
  });
});

describe('orbitCamera', () => {
  it('the default camera looks along +z at the target with the identity rotation', () => {
    const camera = orbitCamera({ distance: 2, target: [0.1, 0.2, 0.3], width: 64, height: 48 });
    expect(rotationOf(camera.view)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(cameraCentre(camera.view)).toEqual([expect.closeTo(0.1, 12), expect.closeTo(0.2, 12), expect.closeTo(-1.7, 12)]);
    const t = worldToCamera(camera.view, [0.1, 0.2, 0.3]);
    expect(t[2]).toBeCloseTo(2, 12);
    expect(projectToPixel(camera, t)).toEqual([expect.closeTo(32, 9), expect.closeTo(24, 9)]);
    expect(camera).toMatchObject({ width: 64, height: 48, near: 0.01, far: 100, cx: 32, cy: 24 });
    expect(camera.view.slice(12)).toEqual([0, 0, 0, 1]);
  });

  it('keeps the image upright and the target centred for any yaw and pitch', () => {
    for (const yawDeg of [-170, -45, 0, 30, 90, 135]) {
      for (const pitchDeg of [-60, -10, 0, 20, 75]) {
        const target: Vec3 = [0.05, -0.02, 0.01];
        const camera = orbitCamera({ yawDeg, pitchDeg, distance: 1.5, target, width: 100, height: 80 });
        const R = rotationOf(camera.view);
        // Orthonormal, right-handed.
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(R[a]!.reduce((s, v, k) => s + v * R[b]![k]!, 0)).toBeCloseTo(a === b ? 1 : 0, 12);
        const det = R[0]![0]! * (R[1]![1]! * R[2]![2]! - R[1]![2]! * R[2]![1]!) - R[0]![1]! * (R[1]![0]! * R[2]![2]! - R[1]![2]! * R[2]![0]!) + R[0]![2]! * (R[1]![0]! * R[2]![1]! - R[1]![1]! * R[2]![0]!);
        expect(det).toBeCloseTo(1, 12);
        // The camera sits where orbitPosition says, at the distance, the target on the optical axis.
        const centre = cameraCentre(camera.view);
        orbitPosition(yawDeg, pitchDeg, 1.5, target).forEach((v, k) => expect(centre[k]).toBeCloseTo(v, 12));
        const t = worldToCamera(camera.view, target);
        expect(t[0]).toBeCloseTo(0, 12);
        expect(t[1]).toBeCloseTo(0, 12);
        expect(t[2]).toBeCloseTo(1.5, 12);
        // Upright: a point below the target (world +y) is lower in the image, at the same column.
        const [u, v] = projectToPixel(camera, worldToCamera(camera.view, [target[0], target[1] + 0.1, target[2]]));
        expect(u).toBeCloseTo(50, 9);
        expect(v).toBeGreaterThan(40);
      }
    }
  });

  it('positive yaw moves the camera towards +x, positive pitch above the head', () => {
    expect(orbitPosition(90, 0, 1, [0, 0, 0])).toEqual([expect.closeTo(1, 12), expect.closeTo(0, 12), expect.closeTo(0, 12)]);
    expect(orbitPosition(0, 30, 1, [0, 0, 0])[1]).toBeCloseTo(-0.5, 12);
    // From the +x side the face (at -z) is on the image's left.
    const side = orbitCamera({ yawDeg: 90, width: 100, height: 100 });
    const [u] = projectToPixel(side, worldToCamera(side.view, [0, 0, -0.1]));
    expect(u).toBeLessThan(50);
  });

  it('refuses impossible settings', () => {
    expect(() => orbitCamera({ pitchDeg: 90 })).toThrow(/pitch/);
    expect(() => orbitCamera({ distance: 0 })).toThrow(/distance/);
    expect(() => orbitCamera({ width: 0 })).toThrow(/image size/);
    expect(() => orbitCamera({ near: 1, far: 1 })).toThrow(/near < far/);
  });

  it('lookAtView maps the eye to the origin and the target onto +z', () => {
    const view = lookAtView([1, -2, 3], [0, 0, 0]);
    worldToCamera(view, [1, -2, 3]).forEach((v) => expect(v).toBeCloseTo(0, 12));
    const t = worldToCamera(view, [0, 0, 0]);
    expect(t[2]).toBeCloseTo(Math.hypot(1, 2, 3), 12);
  });
});
