import { describe, expect, it } from 'vitest';
import { cosineSimilarity, meanOrNull } from '../../../src/main/eval/metrics/identity.ts';

describe('cosineSimilarity', () => {
  it('gives known angles, independent of length', () => {
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0);
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 15);
    expect(cosineSimilarity([1, 2, 3], [-1, -2, -3])).toBeCloseTo(-1, 15);
    expect(cosineSimilarity(new Float32Array([1, 1]), [1, 0])).toBeCloseTo(Math.SQRT1_2, 7);
  });

  it('throws on a length mismatch or a zero vector', () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(/differ in length/);
    expect(() => cosineSimilarity([0, 0], [1, 2])).toThrow(/zero/);
    expect(() => cosineSimilarity([], [])).toThrow(/zero/);
  });
});

describe('meanOrNull', () => {
  it('averages the finite values, skipping null and NaN', () => {
    expect(meanOrNull([1, null, 2, Number.NaN, 6])).toBe(3);
    expect(meanOrNull([0.5])).toBe(0.5);
  });

  it('is null when nothing is left', () => {
    expect(meanOrNull([])).toBeNull();
    expect(meanOrNull([null, Number.NaN, Number.POSITIVE_INFINITY])).toBeNull();
  });
});
