/**
 * Camera paths from keyframes: exact at keys (matching orbitCamera), hold and linear exact,
 * smooth continuous, orbit sweeps going round the head the short way, roll's sign, defaults.
 */
import { describe, expect, it } from 'vitest';
import {
  cameraAt,
  cameraRotationAt,
  cameraState,
  defaultCameraState,
  keyFromState,
  keyState,
  samplePath,
  stateFromView,
  viewOrientation,
  type CameraState,
} from '../../../src/shared/camera/camera-path.ts';
import { orbitCamera, orbitPosition } from '../../../src/shared/camera/orbit-camera.ts';
import { cameraCentre, intrinsicsFromFovY, worldToCamera } from '../../../src/shared/camera/pinhole.ts';
import { quatAngle } from '../../../src/shared/camera/quaternion.ts';
import type { AvatarCamera, CameraKeyframe, Vec3 } from '../../../src/shared/project/types.ts';
import { orbitKey } from '../../helpers/camera-keys.ts';

let nextId = 0;
function key(fields: Partial<CameraKeyframe> & { timeS: number }): CameraKeyframe {
  return { id: `k${nextId++}`, ...orbitKey(fields.timeS, { yawDeg: 0, pitchDeg: 0, distance: 2.5, ...fields }) };
}

function expectClose(actual: readonly number[], expected: readonly number[], digits: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

function expectRigid(view: readonly number[]): void {
  const rows = [0, 1, 2].map((r) => view.slice(4 * r, 4 * r + 3));
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) expect(rows[r]!.reduce((s, v, k) => s + v * rows[c]![k]!, 0)).toBeCloseTo(r === c ? 1 : 0, 12);
  const [a, b, c] = rows as [number[], number[], number[]];
  const det = a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) + a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!);
  expect(det).toBeCloseTo(1, 12);
  expect(view.slice(12)).toEqual([0, 0, 0, 1]);
}

const mixedKeys = [
  key({ timeS: 0, yawDeg: -30, pitchDeg: 5, distance: 2.2, target: [0, 0.05, 0], rollDeg: 0, fovDeg: 25 }),
  key({ timeS: 1.5, yawDeg: 20, pitchDeg: -10, distance: 2.8, target: [0.02, 0, 0.1], rollDeg: 10, fovDeg: 30, tension: 0.3, bias: -0.2 }),
  key({ timeS: 2, mode: 'free', position: [1.2, -0.4, -1.5], target: [0, 0, 0], rollDeg: -5, fovDeg: 20, interpolation: 'linear' }),
  key({ timeS: 3.2, yawDeg: 100, pitchDeg: 20, distance: 2, rollDeg: 0, easing: 'ease-in-out' }),
  key({ timeS: 4, yawDeg: 170, pitchDeg: 0, distance: 2.4, interpolation: 'hold' }),
  key({ timeS: 5, yawDeg: 190, pitchDeg: 0, distance: 2.4 }),
];

describe('cameraAt', () => {
  it('is null without keys, and the first / last key outside the keys', () => {
    expect(cameraAt([], 1)).toBeNull();
    expect(samplePath([], 0, 1, 10)).toEqual([]);
    expect(cameraAt(mixedKeys, -3)).toEqual(keyState(mixedKeys[0]!));
    expect(cameraAt(mixedKeys, 99)).toEqual(keyState(mixedKeys[5]!));
    expect(cameraAt([mixedKeys[2]!], 7)).toEqual(keyState(mixedKeys[2]!));
  });

  it('at orbit key times gives exactly orbitCamera()', () => {
    for (const k of mixedKeys.filter((k) => k.mode === 'orbit' && k.rollDeg === 0)) {
      const state = cameraAt(mixedKeys, k.timeS)!;
      const reference = orbitCamera({ yawDeg: k.yawDeg, pitchDeg: k.pitchDeg, distance: k.distance, target: k.target });
      // Same formula, different order of float64 operations: 1e-12.
      expectClose(state.view, reference.view, 12);
      expect(state.fovDeg).toBe(k.fovDeg);
    }
  });

  it('does not depend on the order keys are listed in', () => {
    const shuffled = [mixedKeys[3]!, mixedKeys[0]!, mixedKeys[5]!, mixedKeys[1]!, mixedKeys[4]!, mixedKeys[2]!];
    for (let t = -0.5; t < 5.5; t += 0.173) expect(cameraAt(shuffled, t)).toEqual(cameraAt(mixedKeys, t));
  });

  it('always gives a rigid view (orthonormal, det +1) centred at the position, looking at the target', () => {
    for (const state of samplePath(mixedKeys, -0.5, 5.5, 200)) {
      expectRigid(state.view);
      expectClose(cameraCentre(state.view), state.position, 12);
      const t = worldToCamera(state.view, state.target);
      expect(Math.hypot(t[0], t[1])).toBeLessThan(1e-12);
      expect(t[2]).toBeGreaterThan(0);
    }
  });

  it('is continuous at every key, whatever the interpolation and mode either side', () => {
    const h = 1e-7;
    for (const k of mixedKeys.slice(1)) {
      const before = cameraAt(mixedKeys, k.timeS - h)!;
      const at = cameraAt(mixedKeys, k.timeS)!;
      expectClose(at.view, keyState(k).view, 12);
      // The key before key 5 holds, so only there the camera jumps at the key.
      if (k !== mixedKeys[5]) expectClose(before.view, at.view, 5);
    }
  });

  it('hold keeps the key exactly until the next key time', () => {
    const held = keyState(mixedKeys[4]!);
    for (const t of [4, 4.3, 4.999999999]) expect(cameraAt(mixedKeys, t)).toEqual(held);
    expect(cameraAt(mixedKeys, 5)).toEqual(keyState(mixedKeys[5]!));
  });

  it('linear is exact at the midpoint: orbit parameters between orbit keys, position and target once a key is free', () => {
    const a = key({ timeS: 1, yawDeg: 10, pitchDeg: -20, distance: 2, target: [0, 0.1, 0], rollDeg: 4, fovDeg: 20, interpolation: 'linear' });
    const b = key({ timeS: 3, yawDeg: 70, pitchDeg: 10, distance: 3, target: [0.2, -0.1, 0.4], rollDeg: -8, fovDeg: 30 });
    const mid = cameraAt([a, b], 2)!;
    expectClose(mid.position, orbitPosition(40, -5, 2.5, [0.1, 0, 0.2]), 12);
    expectClose(mid.target, [0.1, 0, 0.2], 12);
    expect(mid.rollDeg).toBeCloseTo(-2, 12);
    expect(mid.fovDeg).toBeCloseTo(25, 12);
    const free = key({ ...b, mode: 'free', position: [1, -1, -2] });
    const freeMid = cameraAt([a, free], 2.5)!;
    const pa = orbitPosition(10, -20, 2, [0, 0.1, 0]);
    expectClose(freeMid.position, pa.map((v, i) => v + 0.75 * ([1, -1, -2][i]! - v)), 12);
  });

  it('easing remaps the segment parameter', () => {
    const a = key({ timeS: 0, yawDeg: 0, interpolation: 'linear', easing: 'ease-in' });
    const b = key({ timeS: 2, yawDeg: 80 });
    expectClose(cameraAt([a, b], 1)!.position, orbitPosition(20, 0, 2.5, [0, 0, 0]), 12);
  });

  it('yaw 170 -> 190 goes round the back through 180, never through the face', () => {
    const keys = [key({ timeS: 0, yawDeg: 170 }), key({ timeS: 1, yawDeg: 190 })];
    expectClose(cameraAt(keys, 0.5)!.position, orbitPosition(180, 0, 2.5, [0, 0, 0]), 12);
    for (const state of samplePath(keys, 0, 1, 101)) {
      expect(state.position[2]).toBeGreaterThan(2.4); // behind the head (+z), at distance 2.5
      expect(Math.abs(state.position[0])).toBeLessThan(0.45); // within +-10 degrees of the back
    }
  });

  it('orbit segments stay at the orbit distance: they go round the head, not through it', () => {
    const keys = [key({ timeS: 0, yawDeg: -90 }), key({ timeS: 1, yawDeg: 0 }), key({ timeS: 2, yawDeg: 90 })];
    for (const state of samplePath(keys, 0, 2, 50)) expect(Math.hypot(...state.position)).toBeCloseTo(2.5, 12);
  });

  it('smooth with continuity 0 has a continuous velocity at interior keys', () => {
    const keys = [
      key({ timeS: 0, yawDeg: -40, pitchDeg: 10 }),
      key({ timeS: 0.8, yawDeg: 0, pitchDeg: -5, distance: 2, tension: 0.4, bias: 0.3 }),
      key({ timeS: 2.5, yawDeg: 60, pitchDeg: 15, distance: 3, rollDeg: 20 }),
      key({ timeS: 3, yawDeg: 65, pitchDeg: 0 }),
    ];
    const h = 1e-6;
    for (const k of keys.slice(1, 3)) {
      const p = (t: number) => cameraAt(keys, t)!.position;
      const left = p(k.timeS).map((v, i) => (v - p(k.timeS - h)[i]!) / h);
      const right = p(k.timeS + h).map((v, i) => (v - p(k.timeS)[i]!) / h);
      // One-sided differences: O(h) truncation, ~1e-10 rounding.
      expectClose(left, right, 3);
    }
  });

  it('positive roll turns the picture clockwise', () => {
    const upright = cameraAt([key({ timeS: 0 })], 0)!;
    const rolled = cameraAt([key({ timeS: 0, rollDeg: 90 })], 0)!;
    const aboveTarget: Vec3 = [0, -0.3, 0]; // world y down: above the head's centre
    const seen = worldToCamera(upright.view, aboveTarget);
    expect(seen[1]).toBeLessThan(0); // at the top of the picture
    const seenRolled = worldToCamera(rolled.view, aboveTarget);
    expect(seenRolled[0]).toBeCloseTo(-seen[1], 12); // top -> right: clockwise
    expect(seenRolled[1]).toBeCloseTo(0, 12);
  });
});

describe('cameraRotationAt', () => {
  it('matches the keys and turns continuously between them', () => {
    const keys = mixedKeys.slice(0, 4);
    for (const k of keys) expect(quatAngle(cameraRotationAt(keys, k.timeS)!, viewOrientation(keyState(k).view))).toBeLessThan(1e-7);
    let last = cameraRotationAt(keys, -0.1)!;
    for (let t = 0; t <= 3.3; t += 0.01) {
      const q = cameraRotationAt(keys, t)!;
      expect(quatAngle(last, q)).toBeLessThan(0.05);
      last = q;
    }
    expect(cameraRotationAt([], 0)).toBeNull();
  });
});

describe('states and keys', () => {
  it('keyFromState gives a key whose camera is the state, in either mode', () => {
    const state = cameraState([0.7, -0.5, -2.1], [0.05, 0.02, 0.1], 12, 31);
    for (const mode of ['orbit', 'free'] as const) {
      const k = keyFromState(state, 2, mode);
      expect(k).toMatchObject({ timeS: 2, mode, interpolation: 'smooth', tension: 0, continuity: 0, bias: 0, easing: 'none', clipId: null });
      const again = keyState(k);
      expectClose(again.view, state.view, 12);
      expectClose(again.position, state.position, 12);
      expect(again.fovDeg).toBe(31);
    }
    expect(keyFromState(state, 0, 'orbit').position).toBeNull();
    expect(() => keyFromState(cameraState([0, 0, 0], [0, 0, 0], 0, 25), 0)).toThrow(RangeError);
  });

  it('stateFromView recovers position, target and roll of any rigid view', () => {
    for (const roll of [0, 37, -120, 179]) {
      const state = cameraState([1, -0.8, -1.9], [0.1, 0.1, 0], roll, 28);
      const back = stateFromView(state.view, 28, Math.hypot(...[0.9, -0.9, -1.9]));
      expectClose(back.position, state.position, 12);
      expectClose(back.target, state.target, 12);
      expect(back.rollDeg).toBeCloseTo(roll, 10);
      expectClose(back.view, state.view, 12);
    }
  });

  it('looking straight down stays a rotation', () => {
    expectRigid(cameraState([0, -2, 0], [0, 0, 0], 10, 25).view);
  });

  it('defaultCameraState: the avatar camera centre looking at the head origin, fov from fy', () => {
    const front = defaultCameraState(null);
    expectClose(front.position, [0, 0, -2.7], 15);
    expect(front.fovDeg).toBe(25);
    expectClose(front.view, orbitCamera({ distance: 2.7 }).view, 15);

    const source = orbitCamera({ yawDeg: 12, pitchDeg: -4, distance: 2.4, width: 256, height: 256, fovYDeg: 18 });
    const { fx, fy, cx, cy } = intrinsicsFromFovY(18, 256, 256);
    const avatar: AvatarCamera = { view: source.view, camToWorld: [], intrinsics: [fx, fy, cx, cy], resolution: 256, yawDeg: 0, pitchDeg: 0, rollDeg: 0 };
    const state: CameraState = defaultCameraState(avatar);
    expectClose(state.position, orbitPosition(12, -4, 2.4, [0, 0, 0]), 12);
    expect(state.target).toEqual([0, 0, 0]);
    expect(state.fovDeg).toBeCloseTo(18, 12);
    expectClose(state.view, source.view, 12);
  });

  it('samplePath spans start to end inclusive', () => {
    const states = samplePath(mixedKeys, 0, 5, 11);
    expect(states).toHaveLength(11);
    expect(states[0]).toEqual(cameraAt(mixedKeys, 0));
    expect(states[10]).toEqual(cameraAt(mixedKeys, 5));
    expect(states[3]).toEqual(cameraAt(mixedKeys, 1.5));
  });
});
