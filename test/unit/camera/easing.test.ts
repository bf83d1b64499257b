import { describe, expect, it } from 'vitest';
import { CAMERA_EASINGS, ease } from '../../../src/shared/camera/easing.ts';

describe('ease', () => {
  it('fixes the endpoints and is monotone for every easing', () => {
    for (const easing of CAMERA_EASINGS) {
      expect(ease(easing, 0)).toBe(0);
      expect(ease(easing, 1)).toBe(1);
      let last = 0;
      for (let k = 1; k <= 1000; k++) {
        const v = ease(easing, k / 1000);
        expect(v).toBeGreaterThanOrEqual(last);
        last = v;
      }
    }
  });

  it('none is the identity; in is slow first, out slow last, in-out symmetric about the middle', () => {
    expect(ease('none', 0.3)).toBe(0.3);
    expect(ease('ease-in', 0.5)).toBeCloseTo(0.25, 15);
    expect(ease('ease-out', 0.5)).toBeCloseTo(0.75, 15);
    expect(ease('ease-in-out', 0.5)).toBeCloseTo(0.5, 15);
    for (const u of [0.1, 0.2, 0.4]) expect(ease('ease-in-out', u) + ease('ease-in-out', 1 - u)).toBeCloseTo(1, 14);
  });

  it('clamps outside [0, 1]', () => {
    expect(ease('ease-in', -1)).toBe(0);
    expect(ease('ease-out', 2)).toBe(1);
  });
});
