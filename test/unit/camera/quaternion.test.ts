/**
 * Quaternions against slow references: Rodrigues' formula for matrices, the matrix product for
 * the Hamilton product, angles measured between rotations for slerp and squad.
 */
import { describe, expect, it } from 'vitest';
import {
  quatAngle,
  quatFromMatrix,
  quatMultiply,
  quatNormalize,
  quatSlerp,
  quatSquad,
  quatToMatrix,
  type Quat,
} from '../../../src/shared/camera/quaternion.ts';

/** Rodrigues: rotation by angle about a unit axis, 3x3 row-major. */
function axisAngleMatrix(axis: [number, number, number], angle: number): number[] {
  const n = Math.hypot(...axis);
  const [x, y, z] = axis.map((v) => v / n) as [number, number, number];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const k = 1 - c;
  return [c + x * x * k, x * y * k - z * s, x * z * k + y * s, y * x * k + z * s, c + y * y * k, y * z * k - x * s, z * x * k - y * s, z * y * k + x * s, c + z * z * k];
}

function axisAngleQuat(axis: [number, number, number], angle: number): Quat {
  const n = Math.hypot(...axis);
  const s = Math.sin(angle / 2) / n;
  return [Math.cos(angle / 2), axis[0] * s, axis[1] * s, axis[2] * s];
}

function matMul(a: number[], b: number[]): number[] {
  const out: number[] = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out.push(a[3 * r]! * b[c]! + a[3 * r + 1]! * b[3 + c]! + a[3 * r + 2]! * b[6 + c]!);
  return out;
}

/** Deterministic pseudo-random numbers in [-1, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function randomAxisAngle(next: () => number): { axis: [number, number, number]; angle: number } {
  return { axis: [next(), next(), next() + 0.01], angle: Math.PI * next() };
}

function expectClose(actual: readonly number[], expected: readonly number[], digits: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

/** Same rotation: q or -q. */
function expectSameRotation(a: readonly number[], b: readonly number[], digits: number): void {
  expect(Math.abs(a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!)).toBeCloseTo(1, digits);
}

describe('quaternion <-> matrix', () => {
  it('matches Rodrigues both ways, including angles near 180 degrees', () => {
    const next = rng(1);
    const cases = Array.from({ length: 50 }, () => randomAxisAngle(next));
    cases.push({ axis: [0, 1, 0], angle: Math.PI }, { axis: [1, 0, 0], angle: Math.PI - 1e-9 }, { axis: [0, 0, 1], angle: 0 });
    for (const { axis, angle } of cases) {
      const m = axisAngleMatrix(axis, angle);
      // float64 throughout: 1e-12 leaves room for a few roundings of unit-size numbers.
      expectClose(quatToMatrix(axisAngleQuat(axis, angle)), m, 12);
      expectSameRotation(quatFromMatrix(m), axisAngleQuat(axis, angle), 12);
      expectClose(quatToMatrix(quatFromMatrix(m)), m, 12);
    }
  });

  it('the Hamilton product composes like the matrix product', () => {
    const next = rng(2);
    for (let k = 0; k < 20; k++) {
      const a = randomAxisAngle(next);
      const b = randomAxisAngle(next);
      const product = quatMultiply(axisAngleQuat(a.axis, a.angle), axisAngleQuat(b.axis, b.angle));
      expectClose(quatToMatrix(product), matMul(axisAngleMatrix(a.axis, a.angle), axisAngleMatrix(b.axis, b.angle)), 12);
    }
  });
});

describe('slerp', () => {
  it('hits the ends and turns at a constant rate along the arc', () => {
    const a = axisAngleQuat([0.3, 1, 0.2], 0.4);
    const b = axisAngleQuat([1, -0.5, 0.1], 2.1);
    expectSameRotation(quatSlerp(a, b, 0), a, 12);
    expectSameRotation(quatSlerp(a, b, 1), b, 12);
    const total = quatAngle(a, b);
    for (const u of [0.1, 0.25, 0.5, 0.8]) {
      expect(quatAngle(a, quatSlerp(a, b, u))).toBeCloseTo(u * total, 10);
      expect(quatAngle(quatSlerp(a, b, u), b)).toBeCloseTo((1 - u) * total, 10);
    }
  });

  it('takes the shorter arc: 170 -> 190 degrees about y passes 180, whatever the sign of q', () => {
    const a = axisAngleQuat([0, 1, 0], (170 * Math.PI) / 180);
    const b = axisAngleQuat([0, 1, 0], (190 * Math.PI) / 180);
    // b's w is negative: the raw 4-vectors are far apart though the rotations are 20 degrees apart.
    expect(b[0]).toBeLessThan(0);
    for (const other of [b, b.map((v) => -v)]) {
      const mid = quatSlerp(a, other, 0.5);
      expectSameRotation(mid, axisAngleQuat([0, 1, 0], Math.PI), 12);
      for (const u of [0.1, 0.3, 0.7, 0.9]) expect(quatAngle(a, quatSlerp(a, other, u))).toBeCloseTo((u * 20 * Math.PI) / 180, 10);
    }
  });
});

describe('squad', () => {
  const keys = [0, 50, 130, 175, 260].map((deg, i) => axisAngleQuat([0.2 * i, 1, 0.1], (deg * Math.PI) / 180));

  function squadAt(qs: readonly Quat[], s: number): Quat {
    const i = Math.min(qs.length - 2, Math.floor(s));
    return quatSquad(qs[i - 1] ?? qs[i]!, qs[i]!, qs[i + 1]!, qs[i + 2] ?? qs[i + 1]!, s - i);
  }

  it('passes through every key', () => {
    for (let i = 0; i + 1 < keys.length; i++) {
      expectSameRotation(squadAt(keys, i), keys[i]!, 12);
      expectSameRotation(squadAt(keys, i + 1 - 1e-12), keys[i + 1]!, 9);
    }
  });

  it('is continuous and turns at a continuous rate through the keys', () => {
    const h = 1e-5;
    for (let i = 1; i + 1 < keys.length; i++) {
      const before = quatAngle(squadAt(keys, i - h), keys[i]!) / h;
      const after = quatAngle(keys[i]!, squadAt(keys, i + h)) / h;
      // Finite differences of step 1e-5: the rates agree to O(h) plus rounding ~1e-16 / 1e-5.
      expect(after).toBeCloseTo(before, 3);
      expect(quatAngle(squadAt(keys, i - h), squadAt(keys, i + h))).toBeLessThan(10 * h);
    }
  });

  it('gives the same rotations when any key is given with the opposite sign', () => {
    const flipped = keys.map((q, i) => (i % 2 ? (q.map((v) => -v) as Quat) : q));
    for (let s = 0; s <= 4; s += 0.125) expectSameRotation(squadAt(flipped, s), squadAt(keys, s), 10);
    // And it never swings more than the keys' own spacing: a small step stays small.
    for (let s = 0; s < 4; s += 0.01) expect(quatAngle(squadAt(flipped, s), squadAt(flipped, s + 0.01))).toBeLessThan(0.05);
  });

  it('normalizes its result', () => {
    const q = squadAt(keys, 1.37);
    expect(Math.hypot(...q)).toBeCloseTo(1, 14);
    expect(quatNormalize(q)).toEqual(q.map((v) => expect.closeTo(v, 14)));
  });
});
