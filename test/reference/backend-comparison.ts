/**
 * A native backend (float32) against the reference rasterizer (float64) on seeded scenes:
 * tiny and large, degenerate, odd resolutions, an off-centre principal point, a rotated and
 * translated camera, image and colour backgrounds.
 *
 * How pixels are compared (test/reference/compare.ts): the reference flags each pixel where a
 * discrete decision (alpha vs 1/255, T vs 1e-4, a tile edge, the near plane, two almost equal
 * depths) is within a band of its threshold that float32 arithmetic could cross. Unflagged pixels
 * must match within the tolerances below; flagged pixels may differ by one flip, bounded by
 * FLIP_BOUND, and must stay a small fraction of the image.
 *
 * Tolerances (absolute on rgb and alpha; relative on depth, see Tolerances.depthRelative), each
 * a few times what was measured (2026-11, CPU backend, these scenes):
 *  - EXACT, 1e-6 (one splat): float32 has 24 bits (6e-8 relative); a pixel is o * exp(power) *
 *    color with power carrying the float32 error of mean2d - p (ulp 4e-6 px near 50 px).
 *    Measured 2.6e-7.
 *  - TIGHT, 5e-6 (1-3 splats): a few such terms and the T between them. Measured 1.4e-6.
 *  - STANDARD, 2e-5 (up to 2,000 overlapping splats, degenerate ones included): every splat in
 *    front adds its error to T. Measured 4.0e-6 (2,000 splats); 6e-7 on the degenerate scenes
 *    (zero scales, huge and edge-on splats: the native 2D inverse holds up).
 *  - LARGE_IMAGE, 5e-5 (3840x2160): centres ~4000 px from the origin have a float32 ulp of
 *    2.4e-4 px, so power's error is ~|conic d| * 5e-4. Measured 1.1e-5.
 * FLIP_BOUND, 0.05: one flipped decision changes a pixel by at most one splat's share: at 1/255
 * (alpha threshold) or 0.99 * exp(-4.5) = 0.011 (tile edge) times colours <= 1, or the splat
 * stopped at T_MIN (T < 0.0101, share <= 0.01), plus the change it makes to the T of every
 * splat behind (<= the same factor), so < 0.025 for colours and backgrounds in 0..1; 2x margin.
 */
import { describe, expect, it } from 'vitest';
import { render, type BackendName, type RasterBackground } from '../../src/main/raster/native-raster.ts';
import type { SplatBuffers } from '../../src/shared/splats/types.ts';
import { seededPrng } from '../helpers/prng.ts';
import { compareImages, describeComparison, type ImageComparison, type Tolerances } from './compare.ts';
import { rasterizeReference, type ReferenceBackground } from './rasterize-reference.ts';
import { concatSplats, float32Camera, frontCamera, randomImage, randomSplats, rotatedView, splat, unproject, type TestCamera } from './scenes.ts';

const EXACT: Tolerances = { rgb: 1e-6, alpha: 1e-6, depthRelative: 1e-6 };
const TIGHT: Tolerances = { rgb: 5e-6, alpha: 5e-6, depthRelative: 5e-6 };
const STANDARD: Tolerances = { rgb: 2e-5, alpha: 2e-5, depthRelative: 2e-5 };
const LARGE_IMAGE: Tolerances = { rgb: 5e-5, alpha: 5e-5, depthRelative: 5e-5 };
const FLIP_BOUND = 0.05;

interface Expectation {
  tolerances: Tolerances;
  /** Largest share of flagged pixels allowed (the scene's premise: thresholds are rare). */
  maxFlaggedFraction: number;
  /** Float32 relative error of alpha assumed by the reference's bands (ReferenceDiagnosticsOptions). */
  alphaRelativeError?: number;
}

function nativeBackground(background: ReferenceBackground): RasterBackground {
  return 'image' in background ? { image: background.image as Float32Array } : { color: background.color };
}

/** Renders with both, compares, asserts; returns the comparison for scene-specific checks. */
function expectMatch(backend: BackendName, splats: SplatBuffers, camera: TestCamera, background: ReferenceBackground, e: Expectation): ImageComparison {
  const native = render(splats, camera, { background: nativeBackground(background), backend });
  expect(native.backend).toBe(backend);
  const reference = rasterizeReference(splats, camera, background, { alphaRelativeError: e.alphaRelativeError ?? 1e-4 });
  const c = compareImages(native, reference, camera.width, e.tolerances);
  const message = describeComparison(c);
  expect(c.failures, message).toBe(0);
  expect(c.flagged, message).toBeLessThanOrEqual(Math.ceil(e.maxFlaggedFraction * c.pixels));
  expect(c.flaggedWorst.value, message).toBeLessThanOrEqual(FLIP_BOUND);
  return c;
}

const black: ReferenceBackground = { color: [0, 0, 0] };

/**
 * The comparison suite for one backend; `skip` is the reason it cannot run here, or null
 * (STYLE.md 10: no GPU, still green).
 */
export function describeBackendVsReference(backend: BackendName, skip: string | null): void {
  describe.skipIf(skip !== null)(`native ${backend} backend vs the reference${skip === null ? '' : ` (skipped: ${skip})`}`, () => {
    const match = (splats: SplatBuffers, camera: TestCamera, background: ReferenceBackground, e: Expectation): ImageComparison =>
      expectMatch(backend, splats, camera, background, e);

    it('one splat, exactly: no flagged pixel and float32-level agreement', () => {
      const camera = frontCamera(40, 30, 36);
      const scene = splat(unproject(camera, 17.3, 12.8, 2.5), [0.12, 0.05, 0.08], [0.9, 0.2, -0.3, 0.1], 0.7, [0.9, 0.4, 0.1]);
      const c = match(scene, camera, { color: [0.2, 0.3, 0.4] }, { tolerances: EXACT, maxFlaggedFraction: 0 });
      expect(c.flagged).toBe(0);
    });

    it('tiny scenes (1-3 splats), 40 seeds', () => {
      for (let seed = 1; seed <= 40; seed++) {
        const rng = seededPrng(seed);
        const camera = frontCamera(48, 40, 44);
        const scene = randomSplats(rng, camera, rng.int(1, 3), { pixelScale: [0.3, 12] });
        match(scene, camera, { color: [rng.next(), rng.next(), rng.next()] }, { tolerances: TIGHT, maxFlaggedFraction: 0.02 });
      }
    });

    it('large scenes (2,000 splats), colour and image backgrounds', () => {
      for (const seed of [11, 12]) {
        const rng = seededPrng(seed);
        const camera = frontCamera(160, 120, 150);
        const scene = randomSplats(rng, camera, 2000, { pixelScale: [0.3, 6], opacity: [0.05, 1] });
        const background = seed === 11 ? { color: [0.1, 0.5, 0.9] as [number, number, number] } : { image: randomImage(rng, 160, 120) };
        match(scene, camera, background, { tolerances: STANDARD, maxFlaggedFraction: 0.02 });
      }
    });

    it('a rotated and translated camera with an off-centre principal point', () => {
      const rng = seededPrng(21);
      const camera = float32Camera({ width: 96, height: 64, fx: 80, fy: 90, cx: 31.7, cy: 40.2, view: rotatedView(0.7, -0.4, 0.25, [1.5, -0.8, -2]), near: 0.05, far: 50 });
      const scene = randomSplats(rng, camera, 300, { pixelScale: [0.3, 10], depth: [0.5, 20], margin: 30 });
      match(scene, camera, { image: randomImage(rng, 96, 64) }, { tolerances: STANDARD, maxFlaggedFraction: 0.02 });
    });

    it('odd resolutions: 1x1, 17x31', () => {
      for (const [width, height, seed] of [
        [1, 1, 31],
        [17, 31, 32],
        [31, 17, 33],
      ] as const) {
        const rng = seededPrng(seed);
        const camera = frontCamera(width, height, 20);
        const scene = randomSplats(rng, camera, 40, { pixelScale: [0.3, 6], margin: 10 });
        match(scene, camera, { color: [0.5, 0.5, 0.5] }, { tolerances: STANDARD, maxFlaggedFraction: 0.05 });
      }
    });

    it('3840x2160 with few splats', () => {
      const rng = seededPrng(41);
      const camera = frontCamera(3840, 2160, 3000);
      const scene = randomSplats(rng, camera, 12, { pixelScale: [2, 300], margin: 200 });
      match(scene, camera, { color: [0.05, 0.05, 0.05] }, { tolerances: LARGE_IMAGE, maxFlaggedFraction: 0.002, alphaRelativeError: 1e-3 });
    });

    describe('degenerate splats', () => {
      const camera = frontCamera(64, 48, 60, { near: 0.2, far: 30 });
      const at = (u: number, v: number, z: number): [number, number, number] => unproject(camera, u, v, z);
      const q = [0.8, 0.3, -0.4, 0.3];

      it('zero scales on one, two and all axes; opacity 0 and 1', () => {
        const scene = concatSplats(
          splat(at(10, 10, 2), [0, 0.05, 0.08], q, 0.8, [1, 0, 0]),
          splat(at(30, 12, 3), [0.1, 0, 0], q, 0.9, [0, 1, 0]),
          splat(at(50, 20, 2.5), [0, 0, 0], q, 0.9, [0, 0, 1]),
          splat(at(20, 35, 2), [0.06, 0.06, 0.06], q, 0, [1, 1, 1]),
          splat(at(45, 35, 2.2), [0.06, 0.06, 0.06], q, 1, [1, 1, 0]),
          splat(at(32, 24, 4), [0.05, 0.4, 0], [1, 0, 0, 0], 1, [0, 1, 1]), // a sheet seen edge-on-ish
        );
        match(scene, camera, { color: [0.3, 0.3, 0.3] }, { tolerances: STANDARD, maxFlaggedFraction: 0.02, alphaRelativeError: 1e-3 });
      });

      it('behind the camera, on and next to the near plane, at the far plane', () => {
        const near = Math.fround(0.2);
        const scene = concatSplats(
          splat([0, 0, -1], [0.5, 0.5, 0.5], q, 1, [1, 0, 0]),
          splat([0.01, 0, near], [0.01, 0.01, 0.01], q, 1, [1, 0, 0]), // exactly on: culled
          splat([-0.02, 0.01, Math.fround(near * 0.999)], [0.01, 0.01, 0.01], q, 1, [1, 0, 0]),
          splat([0.03, -0.02, Math.fround(near * 1.02)], [0.003, 0.002, 0.001], q, 0.6, [0, 1, 0]), // just in front: huge on screen
          splat([0, 0, Math.fround(30)], [1, 1, 1], q, 1, [1, 0, 0]), // on the far plane: culled
          splat(at(40, 20, 29.5), [0.5, 0.5, 0.5], q, 0.7, [0, 0, 1]),
        );
        // The splat exactly on the near plane is flagged (a float32 t.z could land either side),
        // which covers ~11% of this image; with the identity view float32 computes t.z = z exactly,
        // so it is culled there too and even the flagged pixels must match.
        const c = match(scene, camera, { color: [0.2, 0.2, 0.2] }, { tolerances: STANDARD, maxFlaggedFraction: 0.15, alphaRelativeError: 1e-3 });
        expect(c.flaggedDiffering).toBe(0);
      });

      it('far off-screen (clamped Jacobian), huge splats covering the frame, unnormalised quaternions', () => {
        const scene = concatSplats(
          splat([40, 0, 2], [0.5, 0.5, 0.5], q, 1, [1, 0, 0]), // x/z = 20, far outside
          splat([-3, 2, 2], [1.5, 0.8, 1.0], q, 0.9, [0, 1, 0]), // off-screen centre, reaching in
          splat([0, 0, 5], [40, 30, 20], q, 0.5, [0, 0, 1]), // covers the frame many times over
          splat(at(20, 20, 3), [0.05, 0.02, 0.03], [3, 1, -2, 0.5], 0.9, [1, 1, 0]), // |q| = 3.8
          splat(at(40, 30, 3), [0.05, 0.02, 0.03], [0.01, 0.02, 0.003, -0.004], 0.9, [1, 0, 1]), // |q| = 0.02
        );
        match(scene, camera, { image: randomImage(seededPrng(51), 64, 48) }, { tolerances: STANDARD, maxFlaggedFraction: 0.02, alphaRelativeError: 1e-3 });
      });

      it('many splats at one depth (ties broken by index) and stacks that reach T_MIN', () => {
        const rng = seededPrng(61);
        const parts: SplatBuffers[] = [];
        for (let k = 0; k < 60; k++) parts.push(splat(at(8 + 48 * rng.next(), 8 + 32 * rng.next(), 3), [0.1, 0.1, 0.1], [1, 0, 0, 0], 0.4 + 0.59 * rng.next(), [rng.next(), rng.next(), rng.next()]));
        for (let k = 0; k < 30; k++) parts.push(splat(at(32, 24, 1 + 0.1 * k), [0.08, 0.08, 0.08], [1, 0, 0, 0], 1, [k % 2, 0.5, 1 - (k % 2)]));
        match(concatSplats(...parts), camera, black, { tolerances: STANDARD, maxFlaggedFraction: 0.05 });
      });
    });
  });
}
