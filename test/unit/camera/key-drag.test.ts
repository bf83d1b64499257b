/**
 * Dragging a key's frustum: the key lands where the pointer's ray says, on its orbit sphere (orbit
 * keys) or in the plane facing the viewer (free keys), checked by putting the result back through
 * keyPosition, the function the path, the preview and the export all use.
 */
import { describe, expect, it } from 'vitest';
import { keyPosition, type PathKey } from '../../../src/shared/camera/camera-path.ts';
import { dragKey, rayPlanePoint, raySpherePoint, type Ray } from '../../../src/shared/camera/key-drag.ts';
import { orbitPosition } from '../../../src/shared/camera/orbit-camera.ts';
import { cross, dot, sub } from '../../../src/shared/camera/vec3.ts';

const orbitKey = (patch: Partial<PathKey> = {}): PathKey => ({
  timeS: 0, mode: 'orbit', yawDeg: 20, pitchDeg: 5, distance: 2.7, position: null, target: [0, 0.05, 0], rollDeg: 0, fovDeg: 25,
  interpolation: 'smooth', tension: 0, continuity: 0, bias: 0, easing: 'none', ...patch,
});

/** A viewer at `eye` looking through `point`. */
const rayThrough = (eye: readonly number[], point: readonly number[]): Ray => ({ origin: eye, direction: sub(point, eye) });
const distanceToRay = (p: readonly number[], ray: Ray): number => {
  const c = cross(sub(p, ray.origin), ray.direction);
  return Math.hypot(...c) / Math.hypot(...(ray.direction as [number, number, number]));
};

const viewer = orbitPosition(-10, 15, 6, [0, 0, 0]);

describe('raySpherePoint', () => {
  it('takes the meeting nearer the given point, and the silhouette on a miss', () => {
    const ray: Ray = { origin: [0, 0, -5], direction: [0, 0, 1] };
    expect(raySpherePoint(ray, [0, 0, 0], 1, [0, 0, -2])).toEqual([0, 0, -1]);
    expect(raySpherePoint(ray, [0, 0, 0], 1, [0, 0, 3])).toEqual([0, 0, 1]);
    const miss = raySpherePoint({ origin: [2, 0, -5], direction: [0, 0, 1] }, [0, 0, 0], 1, [0, 0, -1])!;
    expect(miss[0]).toBeCloseTo(1, 12);
    expect(Math.hypot(...miss)).toBeCloseTo(1, 12);
  });
});

describe('rayPlanePoint', () => {
  it('meets the plane, and refuses a parallel ray or one pointing away', () => {
    expect(rayPlanePoint({ origin: [0, 0, 0], direction: [1, 1, 2] }, [0, 0, 4], [0, 0, 1])).toEqual([2, 2, 4]);
    expect(rayPlanePoint({ origin: [0, 0, 0], direction: [1, 0, 0] }, [0, 0, 4], [0, 0, 1])).toBeNull();
    expect(rayPlanePoint({ origin: [0, 0, 0], direction: [0, 0, -1] }, [0, 0, 4], [0, 0, 1])).toBeNull();
  });
});

describe('dragKey', () => {
  it('leaves an orbit key where it is when the ray passes through it', () => {
    const key = orbitKey();
    const patch = dragKey(key, rayThrough(viewer, keyPosition(key)), sub([0, 0, 0], viewer))!;
    expect(patch.yawDeg).toBeCloseTo(key.yawDeg, 9);
    expect(patch.pitchDeg).toBeCloseTo(key.pitchDeg, 9);
  });

  it('puts an orbit key on the pointer ray, at its distance from its target', () => {
    const key = orbitKey();
    for (const [yaw, pitch] of [[40, 10], [-35, -12.5], [5, 30], [170, 0]] as const) {
      const aim = orbitPosition(yaw, pitch, key.distance, key.target);
      const ray = rayThrough(viewer, aim);
      const moved = { ...key, ...dragKey(key, ray, sub([0, 0, 0], viewer)) };
      const p = keyPosition(moved);
      expect(distanceToRay(p, ray), `${yaw},${pitch}`).toBeLessThan(1e-9);
      expect(Math.hypot(...sub(p, key.target))).toBeCloseTo(key.distance, 9);
      expect(moved.target).toEqual(key.target);
    }
  });

  it('keeps yaw continuous past 180 degrees instead of jumping by 360', () => {
    const key = orbitKey({ yawDeg: 179 });
    const aim = orbitPosition(-178, 5, key.distance, key.target);
    const behind = orbitPosition(180, 0, 8, [0, 0, 0]);
    const patch = dragKey(key, rayThrough(behind, aim), sub([0, 0, 0], behind))!;
    expect(patch.yawDeg).toBeCloseTo(182, 6);
  });

  it('keeps the pitch inside the contract\'s bound', () => {
    const key = orbitKey();
    const above: Ray = { origin: [key.target[0], key.target[1] - 10, key.target[2]], direction: [0, 1, 0] };
    const patch = dragKey(key, above, [0, 1, 0])!;
    expect(Math.abs(patch.pitchDeg!)).toBeLessThanOrEqual(89.9);
  });

  it('moves a free key in the plane facing the viewer, onto the ray', () => {
    const key = orbitKey({ mode: 'free', position: [0.5, -0.2, -2.4] });
    const forward = sub([0, 0, 0], viewer);
    const ray = rayThrough(viewer, [0.9, 0.1, -2.2]);
    const p = dragKey(key, ray, forward)!.position!;
    expect(distanceToRay(p, ray)).toBeLessThan(1e-9);
    expect(dot(sub(p, key.position!), forward)).toBeCloseTo(0, 9);
  });
});
