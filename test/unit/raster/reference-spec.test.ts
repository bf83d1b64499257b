/**
 * The reference rasterizer against SPEC.md on scenes small enough to work out by hand: the
 * projection and blending formulas, the tile rule, the stop rule, the order of equal depths, the
 * outputs; and its threshold diagnostics and the comparison helper the native tests rely on.
 */
import { describe, expect, it } from 'vitest';
import { compareImages, ONE_MINUS_T_ERROR } from '../../reference/compare.ts';
import {
  ALPHA_MAX,
  ALPHA_MIN,
  LOW_PASS,
  NEAR_THRESHOLD,
  TILE,
  projectSplat,
  rasterizeReference,
  tileRange,
  type ReferenceImages,
  type ReferenceDiagnostics,
} from '../../reference/rasterize-reference.ts';
import { concatSplats, frontCamera, splat } from '../../reference/scenes.ts';

const ID = [1, 0, 0, 0];
const BLACK = { color: [0, 0, 0] as [number, number, number] };

describe('reference rasterizer (SPEC.md by hand)', () => {
  it('one isotropic splat on the optical axis: alpha, colour and depth at the centre pixel', () => {
    const camera = frontCamera(8, 8, 8); // fx = fy = 8, principal point (4, 4)
    const s = 0.25; // at z = 2: 1 pixel standard deviation
    const scene = splat([0, 0, 2], [s, s, s], [2, 0, 0, 0], 0.8, [1, 0.5, 0.25]); // unnormalised quaternion
    const image = rasterizeReference(scene, camera, { color: [0, 0, 1] });
    // Sigma2D = (fx s / z)^2 I + LOW_PASS I = 1.3 I; pixel (4, 4) centre is (4.5, 4.5): d = (-0.5, -0.5).
    const variance = 1 + LOW_PASS;
    const alpha = Math.fround(0.8) * Math.exp(-0.5 * (0.25 + 0.25) / variance); // opacity as stored (float32)
    const p = 4 * 8 + 4;
    expect(image.alpha[p]).toBeCloseTo(alpha, 14);
    expect([...image.rgb.subarray(3 * p, 3 * p + 3)]).toEqual([expect.closeTo(alpha, 14), expect.closeTo(0.5 * alpha, 14), expect.closeTo(0.25 * alpha + (1 - alpha), 14)]);
    expect(image.depth[p]).toBeCloseTo(2, 14);
    const projected = projectSplat(scene, 0, camera);
    expect(projected.conic).toEqual([expect.closeTo(1 / variance, 14), expect.closeTo(0, 14), expect.closeTo(1 / variance, 14)]);
    // lambda_max = mid + sqrt(max(0.1, mid^2 - det)) = 1.3 + sqrt(0.1); radius = ceil(3 sqrt(.)).
    expect(projected.radius).toBe(Math.ceil(3 * Math.sqrt(1.3 + Math.sqrt(0.1))));
  });

  it('a splat counts only in the tiles its 3-sigma square touches, though it is visible beyond', () => {
    const camera = frontCamera(96, 32, 64);
    const scene = splat([-0.45, 0, 2], [0.3, 0.3, 0.01], ID, 1, [1, 1, 1]);
    const p = projectSplat(scene, 0, camera);
    const range = tileRange(p.mean2d, p.radius, camera);
    expect(range.x1).toBeLessThan(Math.ceil(96 / TILE) - 1); // the premise: a tile to the right is left out
    const firstOut = (range.x1 + 1) * TILE; // first pixel column of the next tile
    const row = Math.round(p.mean2d[1] - 0.5);
    const dx = p.mean2d[0] - (firstOut + 0.5);
    const dy = p.mean2d[1] - (row + 0.5);
    const gaussian = Math.exp(-0.5 * (p.conic[0] * dx * dx + p.conic[2] * dy * dy) - p.conic[1] * dx * dy);
    expect(Math.min(ALPHA_MAX, gaussian)).toBeGreaterThan(ALPHA_MIN); // it would be visible there
    const image = rasterizeReference(scene, camera, BLACK);
    expect(image.alpha[row * 96 + firstOut]).toBe(0);
    expect(image.alpha[row * 96 + firstOut - 1]).toBeGreaterThan(ALPHA_MIN);
  });

  it('stops before transmittance falls below T_MIN, not blending that splat', () => {
    const camera = frontCamera(4, 4, 4);
    // Layers at z = 1..7 with scale z / 4: one pixel of standard deviation each, so at pixel
    // (2, 2) (0.5, 0.5 from every centre) alpha = exp(-0.5 * 0.5 / 1.3) = 0.825 per layer, and
    // T = 0.175^n: 1.6e-4 after five layers, the sixth would take it to 2.9e-5 < T_MIN.
    const colors = [[1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const scene = concatSplats(...colors.map((color, k) => splat([0, 0, k + 1], [(k + 1) / 4, (k + 1) / 4, (k + 1) / 4], ID, 1, color)));
    const image = rasterizeReference(scene, camera, { color: [0, 0, 1] });
    const p = 2 * 4 + 2;
    const a = Math.exp(-0.5 * 0.5 / (1 + LOW_PASS));
    const T = (1 - a) ** 5;
    expect(image.alpha[p]).toBeCloseTo(1 - T, 14);
    expect(image.rgb[3 * p]).toBeCloseTo(1 - T, 14); // five red layers
    expect(image.rgb[3 * p + 1]).toBe(0); // the sixth (green) stopped the walk
    expect(image.rgb[3 * p + 2]).toBeCloseTo(T, 14); // background through T
    expect(image.depth[p]).toBeCloseTo([1, 2, 3, 4, 5].reduce((sum, z, k) => sum + z * a * (1 - a) ** k, 0) / (1 - T), 12);
  });

  it('blends equal depths in index order and nearer splats first', () => {
    const camera = frontCamera(4, 4, 4);
    const a = splat([0, 0, 2], [0.5, 0.5, 0.5], ID, 0.5, [1, 0, 0]);
    const b = splat([0, 0, 2], [0.5, 0.5, 0.5], ID, 0.5, [0, 1, 0]);
    const p = 2 * 4 + 2;
    const ab = rasterizeReference(concatSplats(a, b), camera, BLACK).rgb;
    const ba = rasterizeReference(concatSplats(b, a), camera, BLACK).rgb;
    expect(ab[3 * p]).toBeGreaterThan(ab[3 * p + 1]!); // a (index 0) in front
    expect(ba[3 * p + 1]).toBeGreaterThan(ba[3 * p]!);
    const nearer = splat([0, 0, 1.5], [0.375, 0.375, 0.375], ID, 0.5, [0, 1, 0]); // same pixel size
    const front = rasterizeReference(concatSplats(a, nearer), camera, BLACK).rgb;
    expect(front[3 * p + 1]).toBeGreaterThan(front[3 * p]!);
  });

  it('composites over an image, culls outside near..far, skips alphas below 1/255', () => {
    const camera = frontCamera(3, 2, 3, { near: 0.5, far: 10 });
    const background = { image: Float32Array.from({ length: 18 }, (_, k) => k / 18) };
    const culled = concatSplats(
      splat([0, 0, 0.5], [1, 1, 1], ID, 1, [1, 1, 1]), // on the near plane
      splat([0, 0, -2], [1, 1, 1], ID, 1, [1, 1, 1]), // behind the camera
      splat([0, 0, 10], [1, 1, 1], ID, 1, [1, 1, 1]), // on the far plane
      splat([0, 0, 2], [1, 1, 1], ID, 0.003, [1, 1, 1]), // alpha < 1/255 everywhere
    );
    const image = rasterizeReference(culled, camera, background);
    expect([...image.rgb]).toEqual([...background.image]);
    expect([...image.alpha]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...image.depth]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('clamps the Jacobian for a splat far outside the field of view', () => {
    const camera = frontCamera(16, 16, 16); // tan(half fov) = 0.5, lim = 0.65
    const scene = splat([3, 0, 1], [0.1, 0.1, 0.1], ID, 1, [1, 1, 1]); // x/z = 3
    const p = projectSplat(scene, 0, camera, true);
    const tx = 0.65; // clamped x/z times z
    const J = [
      [16, 0, -16 * tx],
      [0, 16, 0],
    ];
    const s2 = Math.fround(0.1) ** 2;
    const xx = s2 * (J[0]![0]! ** 2 + J[0]![2]! ** 2) + LOW_PASS;
    expect(p.cov2d[0]).toBeCloseTo(xx, 12);
    expect(p.cov2d[2]).toBeCloseTo(s2 * 256 + LOW_PASS, 12);
    expect(p.mean2d[0]).toBeCloseTo(16 * 3 + 8, 12); // the unclamped projection
  });
});

describe('reference diagnostics: decisions next to their thresholds', () => {
  const camera = frontCamera(8, 8, 8);
  const centre = 4 * 8 + 4;

  it('flags a pixel whose alpha sits on ALPHA_MIN, and nothing in a clear scene', () => {
    const s = 0.25;
    const atCentre = Math.exp(-0.5 * 0.5 / (1 + LOW_PASS)); // the gaussian at pixel (4, 4)
    const onThreshold = splat([0, 0, 2], [s, s, s], ID, (ALPHA_MIN / atCentre) * (1 + 1e-6), [1, 1, 1]);
    const flagged = rasterizeReference(onThreshold, camera, BLACK, {});
    expect(flagged.diagnostics.flags[centre]! & NEAR_THRESHOLD.alphaMin).toBeTruthy();
    const clear = rasterizeReference(splat([0, 0, 2], [s, s, s], ID, 0.5, [1, 1, 1]), camera, BLACK, {});
    expect(clear.diagnostics.flags[centre]).toBe(0);
  });

  it('flags the pixels of a splat on the near plane and of two almost equal depths', () => {
    const near = rasterizeReference(splat([0, 0, Math.fround(0.1) * (1 + 1e-7)], [0.01, 0.01, 0.01], ID, 0.9, [1, 1, 1]), camera, BLACK, {});
    expect(near.diagnostics.flags[centre]! & NEAR_THRESHOLD.clipPlane).toBeTruthy();
    const twins = concatSplats(splat([0, 0, 2], [0.25, 0.25, 0.25], ID, 0.5, [1, 0, 0]), splat([0, 0, 2 * (1 + 1e-7)], [0.25, 0.25, 0.25], ID, 0.5, [0, 1, 0]));
    const order = rasterizeReference(twins, camera, BLACK, {});
    expect(order.diagnostics.flags[centre]! & NEAR_THRESHOLD.depthOrder).toBeTruthy();
  });

  it('flags transmittance on T_MIN', () => {
    // 8-pixel standard deviations: alpha at the centre pixel is clamped to 0.99.
    const layers = [2, 3].map((z) => splat([0, 0, z], [z, z, 0.01], ID, 1, [1, 1, 1]));
    // Two clamped layers: T = 0.01 * 0.01 = 1e-4 (float64: a hair above), right on T_MIN.
    const image = rasterizeReference(concatSplats(...layers), camera, BLACK, {});
    expect(image.diagnostics.flags[centre]! & NEAR_THRESHOLD.transmittanceMin).toBeTruthy();
  });
});

describe('compareImages', () => {
  function reference(values: { rgb: number[]; alpha: number[]; depth: number[]; flags: number[]; maxDepth?: number[] }): ReferenceImages & { diagnostics: ReferenceDiagnostics } {
    return {
      rgb: Float64Array.from(values.rgb),
      alpha: Float64Array.from(values.alpha),
      depth: Float64Array.from(values.depth),
      diagnostics: { flags: Uint8Array.from(values.flags), alphaMaxMargin: 1, jacobianClampMargin: 1, alphaMinMargin: 1, transmittanceMinMargin: 1, maxDepth: Float64Array.from(values.maxDepth ?? values.depth) },
    };
  }
  const ref = reference({ rgb: [0.5, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 1e-5], depth: [3, 3], flags: [0, 0] });
  const tol = { rgb: 1e-4, alpha: 1e-4, depthRelative: 1e-5 };

  it('passes within the tolerances and reports the worst pixel', () => {
    const c = compareImages({ rgb: [0.50009, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 1e-5], depth: [3, 3] }, ref, 2, tol);
    expect(c.failures).toBe(0);
    expect(c.rgb.pixel).toBe(0);
    expect(c.rgb.value).toBeCloseTo(9e-5, 12);
  });

  it('fails beyond a tolerance, NaN included', () => {
    expect(compareImages({ rgb: [0.5002, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 1e-5], depth: [3, 3] }, ref, 2, tol).failures).toBe(1);
    expect(compareImages({ rgb: [NaN, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 1e-5], depth: [3, 3] }, ref, 2, tol).failures).toBe(1);
    expect(compareImages({ rgb: [0.5, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 1e-5], depth: [3.001, 3] }, ref, 2, tol).failures).toBe(1);
  });

  it('scales the depth tolerance with 1 / coverage (float32 1 - T)', () => {
    // At alpha 1e-5 the allowance is 3 * (1e-5 + ONE_MINUS_T_ERROR / 1e-5) = 0.14.
    const allowance = 3 * (1e-5 + ONE_MINUS_T_ERROR / 1e-5);
    expect(compareImages({ rgb: [0.5, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 1e-5], depth: [3, 3 + 0.9 * allowance] }, ref, 2, tol).failures).toBe(0);
    expect(compareImages({ rgb: [0.5, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 1e-5], depth: [3, 3 + 1.1 * allowance] }, ref, 2, tol).failures).toBe(1);
  });

  it('scales the depth tolerance with the farthest splat blended at the pixel', () => {
    // Expected depth 3 from splats up to 50 away: weight errors of 1e-5 move it by up to 5e-4.
    const spread = reference({ rgb: [0.5, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 0.9], depth: [3, 3], flags: [0, 0], maxDepth: [50, 3] });
    const native = { rgb: [0.5, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 0.9] };
    expect(compareImages({ ...native, depth: [3 + 4e-4, 3] }, spread, 2, tol).failures).toBe(0);
    expect(compareImages({ ...native, depth: [3, 3 + 4e-4] }, spread, 2, tol).failures).toBe(1);
  });

  it('keeps flagged pixels apart', () => {
    const flagged = reference({ rgb: [0.5, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 1e-5], depth: [3, 3], flags: [NEAR_THRESHOLD.alphaMin, 0] });
    const c = compareImages({ rgb: [0.51, 0.5, 0.5, 0.2, 0.2, 0.2], alpha: [0.9, 1e-5], depth: [3, 3] }, flagged, 2, tol);
    expect(c).toMatchObject({ failures: 0, flagged: 1, flaggedDiffering: 1 });
    expect(c.flaggedWorst.value).toBeCloseTo(0.01, 12);
  });
});
