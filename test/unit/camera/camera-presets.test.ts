/** Presets: keys in orbit mode around the base view; the sampled path keeps the stated extents. */
import { describe, expect, it } from 'vitest';
import { cameraAt, cameraState, keyState, orbitParams, samplePath, unwrapYawNear } from '../../../src/shared/camera/camera-path.ts';
import { CAMERA_PRESETS, presetKeys } from '../../../src/shared/camera/camera-presets.ts';
import { orbitPosition } from '../../../src/shared/camera/orbit-camera.ts';

const target = [0.02, -0.05, 0.1] as [number, number, number];
const base = cameraState(orbitPosition(20, 8, 2.6, target), target, 5, 27);

function relativeAngles(startS: number, endS: number, keys: ReturnType<typeof presetKeys>) {
  return samplePath(keys, startS, endS, 801).map((state) => {
    const o = orbitParams(state.position, state.target);
    return { yaw: unwrapYawNear(o.yawDeg, 20) - 20, pitch: o.pitchDeg - 8, distance: o.distance, state };
  });
}

describe('presetKeys', () => {
  it('every preset keeps the base target, roll and field of view, in orbit mode', () => {
    for (const preset of CAMERA_PRESETS) {
      const keys = presetKeys(preset, { startS: 3, durationS: 4, base });
      expect(keys[0]!.timeS).toBe(3);
      for (const k of keys) {
        expect(k).toMatchObject({ mode: 'orbit', position: null, rollDeg: 5, fovDeg: 27, clipId: null });
        k.target.forEach((v, i) => expect(v).toBeCloseTo(target[i]!, 12));
      }
      if (preset !== 'static') expect(keys[keys.length - 1]!.timeS).toBe(7);
    }
  });

  it('bullet sweeps yaw exactly -45..+45 and pitch -12.5..+12.5 around the base, through the base view', () => {
    const keys = presetKeys('bullet', { startS: 1, durationS: 2, base });
    const samples = relativeAngles(1, 3, keys);
    const yaws = samples.map((s) => s.yaw);
    const pitches = samples.map((s) => s.pitch);
    // Angles recovered through asin/atan2 of positions: 1e-9 degrees.
    expect(Math.min(...yaws)).toBeCloseTo(-45, 9);
    expect(Math.max(...yaws)).toBeCloseTo(45, 9);
    expect(Math.min(...pitches)).toBeCloseTo(-12.5, 9);
    expect(Math.max(...pitches)).toBeCloseTo(12.5, 9);
    samples.forEach((s) => expect(s.distance).toBeCloseTo(2.6, 12));
    const middle = cameraAt(keys, 2)!;
    middle.view.forEach((v, i) => expect(v).toBeCloseTo(base.view[i]!, 12));
  });

  it('orbit turns a full 360 degrees of yaw at a steady rate and comes back to the base', () => {
    const keys = presetKeys('orbit', { startS: 0, durationS: 8, base });
    const samples = relativeAngles(0, 8, keys);
    let total = 0;
    for (let k = 1; k < samples.length; k++) {
      const step = unwrapYawNear(samples[k]!.yaw, samples[k - 1]!.yaw) - samples[k - 1]!.yaw;
      expect(step).toBeCloseTo(360 / 800, 9);
      total += step;
    }
    expect(total).toBeCloseTo(360, 8);
    keyState(keys[keys.length - 1]!).view.forEach((v, i) => expect(v).toBeCloseTo(base.view[i]!, 12));
  });

  it('dolly-in goes from the base distance to 60 percent of it, monotonically', () => {
    const samples = relativeAngles(0, 2, presetKeys('dolly-in', { startS: 0, durationS: 2, base }));
    expect(samples[0]!.distance).toBeCloseTo(2.6, 12);
    expect(samples[samples.length - 1]!.distance).toBeCloseTo(0.6 * 2.6, 12);
    for (let k = 1; k < samples.length; k++) expect(samples[k]!.distance).toBeLessThanOrEqual(samples[k - 1]!.distance + 1e-12);
    samples.forEach((s) => expect(s.yaw).toBeCloseTo(0, 9));
  });

  it('static is one key at the base view; moves need a positive duration', () => {
    const keys = presetKeys('static', { startS: 2, durationS: 0, base });
    expect(keys).toHaveLength(1);
    keyState(keys[0]!).view.forEach((v, i) => expect(v).toBeCloseTo(base.view[i]!, 12));
    expect(() => presetKeys('bullet', { startS: 0, durationS: 0, base })).toThrow(RangeError);
  });
});
