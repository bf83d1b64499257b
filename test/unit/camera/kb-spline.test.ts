/**
 * Kochanek-Bartels splines against slow references: the uniform Catmull-Rom matrix form, and a
 * Hermite in time with finite-difference tangents for unevenly spaced keys.
 */
import { describe, expect, it } from 'vitest';
import { kbAt, type KbKey } from '../../../src/shared/camera/kb-spline.ts';

function keysOf(times: number[], values: number[][], tcb: Partial<KbKey> = {}): KbKey[] {
  return times.map((timeS, i) => ({ timeS, value: values[i]!, tension: 0, continuity: 0, bias: 0, ...tcb }));
}

/** Catmull-Rom, uniform spacing, matrix form: 0.5 [2P1 + (-P0+P2)s + (2P0-5P1+4P2-P3)s^2 + (-P0+3P1-3P2+P3)s^3]. */
function catmullRomUniform(p0: number, p1: number, p2: number, p3: number, s: number): number {
  return 0.5 * (2 * p1 + (-p0 + p2) * s + (2 * p0 - 5 * p1 + 4 * p2 - p3) * s * s + (-p0 + 3 * p1 - 3 * p2 + p3) * s * s * s);
}

/** Cubic Hermite written in time, tangents in value per second. */
function hermiteInTime(t0: number, t1: number, p0: number, p1: number, v0: number, v1: number, t: number): number {
  // The cubic a + b x + c x^2 + d x^3 in x = t - t0 matching value and slope at both ends.
  const h = t1 - t0;
  const x = t - t0;
  const a = p0;
  const b = v0;
  const c = (3 * (p1 - p0)) / (h * h) - (2 * v0 + v1) / h;
  const d = (2 * (p0 - p1)) / (h * h * h) + (v0 + v1) / (h * h);
  return a + b * x + c * x * x + d * x * x * x;
}

describe('Kochanek-Bartels', () => {
  const values = [[0], [1.5], [-0.5], [2], [2.5], [1]];

  it('passes through every key and holds the ends outside', () => {
    const keys = keysOf([0, 0.7, 1.1, 2.5, 3, 4.2], values, { tension: 0.3, continuity: -0.4, bias: 0.6 });
    keys.forEach((key) => expect(kbAt(keys, key.timeS)[0]).toBeCloseTo(key.value[0]!, 14));
    expect(kbAt(keys, -5)).toEqual([0]);
    expect(kbAt(keys, 99)).toEqual([1]);
  });

  it('with t = c = b = 0 and even spacing equals uniform Catmull-Rom (interior segments)', () => {
    const keys = keysOf([0, 1, 2, 3, 4, 5], values);
    for (let i = 1; i + 2 < values.length; i++) {
      for (const s of [0, 0.1, 0.37, 0.5, 0.9]) {
        const p = (k: number) => values[k]![0]!;
        expect(kbAt(keys, i + s)[0]).toBeCloseTo(catmullRomUniform(p(i - 1), p(i), p(i + 1), p(i + 2), s), 13);
      }
    }
  });

  it('with t = c = b = 0 and uneven spacing uses the centred slope (P[i+1] - P[i-1]) / (t[i+1] - t[i-1])', () => {
    const times = [0, 0.4, 1.5, 1.9, 3.6, 4];
    const keys = keysOf(times, values);
    const p = (k: number) => values[k]![0]!;
    const slope = (k: number) => (p(k + 1) - p(k - 1)) / (times[k + 1]! - times[k - 1]!);
    for (let i = 1; i + 2 < values.length; i++) {
      for (const s of [0.1, 0.5, 0.77]) {
        const t = times[i]! + s * (times[i + 1]! - times[i]!);
        expect(kbAt(keys, t)[0]).toBeCloseTo(hermiteInTime(times[i]!, times[i + 1]!, p(i), p(i + 1), slope(i), slope(i + 1), t), 12);
      }
    }
  });

  it('keeps the time derivative continuous at keys when continuity = 0, whatever the tension, bias and spacing', () => {
    const times = [0, 0.3, 1.4, 1.6, 3, 4.5];
    for (const [tension, bias] of [[0, 0], [0.5, -0.3], [-0.6, 0.8]] as const) {
      const keys = keysOf(times, values, { tension, bias });
      const h = 1e-6;
      for (let i = 1; i + 1 < times.length; i++) {
        const t = times[i]!;
        const left = (kbAt(keys, t)[0]! - kbAt(keys, t - h)[0]!) / h;
        const right = (kbAt(keys, t + h)[0]! - kbAt(keys, t)[0]!) / h;
        // One-sided differences: O(h) truncation times the second derivative (< 1e3 here) plus
        // rounding 1e-16 / h; 1e-3 holds both with room.
        expect(Math.abs(left - right)).toBeLessThan(1e-3);
      }
    }
  });

  it('continuity != 0 makes a corner (the check above can fail)', () => {
    const keys = keysOf([0, 1, 2], [[0], [1], [0]], { continuity: 0.8 });
    const h = 1e-6;
    const left = (kbAt(keys, 1)[0]! - kbAt(keys, 1 - h)[0]!) / h;
    const right = (kbAt(keys, 1 + h)[0]! - kbAt(keys, 1)[0]!) / h;
    expect(Math.abs(left - right)).toBeGreaterThan(0.1);
  });

  it('reproduces linear data exactly, vectors component by component', () => {
    const times = [0, 0.5, 2, 2.2, 3];
    const keys = keysOf(times, times.map((t) => [2 * t - 1, -t]));
    for (let t = 0; t <= 3; t += 0.05) {
      const [x, y] = kbAt(keys, t);
      expect(x).toBeCloseTo(2 * t - 1, 12);
      expect(y).toBeCloseTo(-t, 12);
    }
  });

  it('tension 1 stops at every key (zero tangents)', () => {
    const keys = keysOf([0, 1, 2, 3], [[0], [1], [3], [2]], { tension: 1 });
    const h = 1e-6;
    expect(Math.abs(kbAt(keys, 1 + h)[0]! - 1) / h).toBeLessThan(1e-4);
    expect(Math.abs(kbAt(keys, 2 - h)[0]! - 3) / h).toBeLessThan(1e-4);
  });
});
