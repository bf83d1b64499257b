import { describe, expect, it } from 'vitest';
import { fillGaps } from '../../../src/main/eval/face-probe.ts';

describe('fillGaps (frames where no face was found)', () => {
  it('interpolates inside, holds flat at the ends, keeps found values', () => {
    expect(fillGaps([NaN, 1, NaN, NaN, 4, NaN])).toEqual([1, 1, 2, 3, 4, 4]);
    expect(fillGaps([0, 2, NaN, 6])).toEqual([0, 2, 4, 6]);
  });

  it('leaves an all-missing or complete series as it is', () => {
    expect(fillGaps([NaN, NaN]).every(Number.isNaN)).toBe(true);
    expect(fillGaps([3, 1, 2])).toEqual([3, 1, 2]);
  });
});
