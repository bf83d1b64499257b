import { describe, expect, it } from 'vitest';
import { DILATION_PX2, smoothToSourceFootprint } from '../../../src/main/engine/avatar/footprint-filter.ts';
import type { SplatBuffers } from '../../../src/shared/splats/types.ts';

function splatsAt(points: [number, number, number][], scale: number): SplatBuffers {
  const n = points.length;
  return {
    means: Float32Array.from(points.flat()),
    scales: new Float32Array(n * 3).fill(scale),
    quats: new Float32Array(n * 4).map((_, i) => (i % 4 === 0 ? 1 : 0)),
    opacities: new Float32Array(n).fill(0.5),
    colors: new Float32Array(n * 3).fill(0.2),
  };
}

// A camera 0.7 in front of the origin looking along +z (world-to-camera).
const VIEW = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0.7, 0, 0, 0, 1];

describe('smoothToSourceFootprint', () => {
  it('widens a point splat to the dilation at its depth, in source pixels', () => {
    const fx = 128;
    const out = smoothToSourceFootprint(splatsAt([[0, 0, 0], [0.1, -0.05, 0.3]], 0), VIEW, fx);
    for (const [i, depth] of [[0, 0.7], [1, 1.0]] as const) {
      for (let j = 0; j < 3; j++) expect(out.scales[3 * i + j]).toBeCloseTo(Math.sqrt(DILATION_PX2) * (depth / fx), 7);
    }
  });

  it('adds variance rather than replacing the scale, and shares everything else', () => {
    const input = splatsAt([[0, 0, 0]], 0.01);
    const out = smoothToSourceFootprint(input, VIEW, 100);
    expect(out.scales[0]).toBeCloseTo(Math.sqrt(0.01 ** 2 + DILATION_PX2 * 0.007 ** 2), 8);
    expect(out.means).toBe(input.means);
    expect(out.opacities).toBe(input.opacities);
    expect(input.scales[0]).toBeCloseTo(0.01, 8);
    expect(() => smoothToSourceFootprint(input, VIEW, 0)).toThrow(/fx/);
  });
});
