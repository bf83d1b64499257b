/**
 * Comparison of a native render (float32) with the reference (float64), pixel by pixel, keeping
 * apart the pixels the reference flags as next to a threshold (NEAR_THRESHOLD): there a float32
 * decision may legitimately go the other way (a splat in or out), so those pixels get a bound on
 * how much one such flip can change them instead of the tight tolerance.
 * Its own tests: test/unit/raster/reference-compare.test.ts (STYLE.md 5).
 */
import type { ReferenceDiagnostics, ReferenceImages } from './rasterize-reference.ts';

export interface NativeImages {
  rgb: ArrayLike<number>;
  alpha: ArrayLike<number>;
  depth: ArrayLike<number>;
}

export interface Tolerances {
  /** Absolute, on each rgb channel. */
  rgb: number;
  /** Absolute, on alpha. */
  alpha: number;
  /**
   * Relative, on depth: |d - d_ref| <= depthRelative * maxDepth + ONE_MINUS_T_ERROR / alpha_ref * d_ref,
   * where maxDepth is the farthest splat blended at the pixel (ReferenceDiagnostics.maxDepth).
   * depth = sum(d_i w_i) / sum(w_i): relative errors e of the weights move it by up to
   * e * max|d_i - depth| <= e * maxDepth. The second term: float32's 1 - T has an absolute error
   * of about ulp(1) = 1.2e-7 (times a few), which is large relative to a small coverage.
   */
  depthRelative: number;
}

/** Absolute error of a float32 1 - T (a few ulp(1)). */
export const ONE_MINUS_T_ERROR = 4 * 2 ** -23;

export interface PixelWorst {
  /** The largest difference (of any channel, relative for depth: in units of its tolerance). */
  value: number;
  /** Pixel index, -1 if none. */
  pixel: number;
}

export interface ImageComparison {
  width: number;
  /** Over unflagged pixels: the worst rgb, alpha and depth errors and where they are. */
  rgb: PixelWorst;
  alpha: PixelWorst;
  /** Worst depth error divided by its per-pixel tolerance (<= 1 passes). */
  depthRatio: PixelWorst;
  /** Unflagged pixels outside a tolerance. */
  failures: number;
  /** Pixels the reference flagged, and the worst rgb/alpha difference among them. */
  flagged: number;
  flaggedWorst: PixelWorst;
  /** Flagged pixels that differ beyond the tight tolerances (a flip happened there). */
  flaggedDiffering: number;
  pixels: number;
}

function worse(current: PixelWorst, value: number, pixel: number): PixelWorst {
  return value > current.value || Number.isNaN(value) ? { value: Number.isNaN(value) ? Infinity : value, pixel } : current;
}

export function compareImages(native: NativeImages, reference: ReferenceImages & { diagnostics: ReferenceDiagnostics }, width: number, tol: Tolerances): ImageComparison {
  const pixels = reference.alpha.length;
  if (native.rgb.length !== pixels * 3 || native.alpha.length !== pixels || native.depth.length !== pixels) {
    throw new RangeError(`native images have ${native.rgb.length}/${native.alpha.length}/${native.depth.length} values, the reference ${pixels * 3}/${pixels}/${pixels}`);
  }
  const flags = reference.diagnostics.flags;
  const result: ImageComparison = {
    width,
    rgb: { value: 0, pixel: -1 },
    alpha: { value: 0, pixel: -1 },
    depthRatio: { value: 0, pixel: -1 },
    failures: 0,
    flagged: 0,
    flaggedWorst: { value: 0, pixel: -1 },
    flaggedDiffering: 0,
    pixels,
  };
  for (let p = 0; p < pixels; p++) {
    let rgbErr = 0;
    for (let c = 0; c < 3; c++) rgbErr = Math.max(rgbErr, Math.abs(native.rgb[3 * p + c]! - reference.rgb[3 * p + c]!));
    if (Number.isNaN(native.rgb[3 * p]! + native.rgb[3 * p + 1]! + native.rgb[3 * p + 2]!)) rgbErr = Infinity;
    const alphaErr = Math.abs(native.alpha[p]! - reference.alpha[p]!);
    const dRef = reference.depth[p]!;
    const aRef = reference.alpha[p]!;
    const depthScale = Math.max(Math.abs(dRef), reference.diagnostics.maxDepth[p] ?? 0);
    const depthTol = dRef === 0 ? 0 : tol.depthRelative * depthScale + (ONE_MINUS_T_ERROR / aRef) * Math.abs(dRef);
    const depthErr = Math.abs(native.depth[p]! - dRef);
    const depthRatio = depthErr === 0 ? 0 : depthTol === 0 ? Infinity : depthErr / depthTol;
    const within = rgbErr <= tol.rgb && alphaErr <= tol.alpha && depthRatio <= 1;
    if (flags[p] !== 0) {
      result.flagged++;
      result.flaggedWorst = worse(result.flaggedWorst, Math.max(rgbErr, alphaErr), p);
      if (!within) result.flaggedDiffering++;
      continue;
    }
    result.rgb = worse(result.rgb, rgbErr, p);
    result.alpha = worse(result.alpha, alphaErr, p);
    result.depthRatio = worse(result.depthRatio, depthRatio, p);
    if (!within) result.failures++;
  }
  return result;
}

/** One line for an assertion message: the worst pixels with their coordinates. */
export function describeComparison(c: ImageComparison): string {
  const at = (w: PixelWorst): string => (w.pixel < 0 ? '-' : `${w.value.toExponential(2)} at (${w.pixel % c.width}, ${Math.floor(w.pixel / c.width)})`);
  return (
    `unflagged: rgb ${at(c.rgb)}, alpha ${at(c.alpha)}, depth/tol ${at(c.depthRatio)}, ${c.failures} failing; ` +
    `flagged ${c.flagged}/${c.pixels} (${c.flaggedDiffering} differing, worst ${at(c.flaggedWorst)})`
  );
}
