/**
 * Our splat buffers (DESIGN.md "Splat buffers", src/shared/splats/types.ts) as Spark's packed
 * splats, and the per-frame centre rewrite (means + baked offsets).
 *
 * Spark's PackedSplats layout (@sparkjsdev/spark 2.2, dist/types/PackedSplats.d.ts and
 * utils.setPackedSplat), 4 x uint32 per splat:
 *   word 0  r, g, b, opacity as uint8 (rgb mapped from [rgbMin, rgbMax])
 *   word 1  centre x, y as float16
 *   word 2  centre z as float16, quaternion bytes 0 and 1
 *   word 3  ln(scale) x, y, z as uint8 over [lnScaleMin, lnScaleMax], quaternion byte 2
 * The array holds computeMaxSplats(N) splats (whole 2048-wide texture rows).
 *
 * Choices that keep the preview looking like the native rasterizer's export:
 *  - Colours go in unchanged. The model's colours are display (sRGB-encoded) values that the
 *    export writes as they are (src/main/raster/png-writer.ts); Spark treats splat colours as
 *    sRGB and, rendering to an sRGB canvas, writes them unchanged too (its `encodeLinear`
 *    uniform is false there). Both blend those values, so the two agree.
 *  - The log-scale range is the avatar's own (Spark's default spans e^-12..e^9, 8 % a step):
 *    over a head's range, a step is a percent or two.
 *  - Centres are float16: near the head origin (|x| < 1) a step is at most 2^-11, about a fifth
 *    of a pixel at 1080p from the source camera's distance.
 */
import { utils, type defines } from '@sparkjsdev/spark';
import type { SplatBuffers } from '../../../shared/splats/types.ts';

type SplatEncoding = defines.SplatEncoding;

export interface PackedHead {
  /** Spark's packed array, computeMaxSplats(numSplats) * 4 words. */
  packed: Uint32Array;
  numSplats: number;
  encoding: SplatEncoding;
}

/** Never narrower than this in ln units, so that a head of equal splats still has a range. */
const MIN_LN_SPAN = 1;
/** Scales below this are "flat" to Spark (exactly 0 after packing); ours never are. */
const MIN_SCALE = 1e-12;

/** The range of ln(scale) over all splats, padded so the extremes pack exactly. */
export function scaleEncoding(scales: Float32Array): { lnScaleMin: number; lnScaleMax: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scales.length; i++) {
    const ln = Math.log(Math.max(MIN_SCALE, scales[i]!));
    if (ln < lo) lo = ln;
    if (ln > hi) hi = ln;
  }
  if (!Number.isFinite(lo)) return { lnScaleMin: -12, lnScaleMax: 9 };
  const middle = (lo + hi) / 2;
  const half = Math.max(MIN_LN_SPAN, hi - lo) / 2 + 1e-3;
  return { lnScaleMin: middle - half, lnScaleMax: middle + half };
}

const clamp01 = (v: number): number => (v > 1 ? 1 : v > 0 ? v : 0);

/** Packs every splat; the centres are the means (the static head). */
export function packSplats(splats: SplatBuffers): PackedHead {
  const n = splats.opacities.length;
  const encoding: SplatEncoding = { rgbMin: 0, rgbMax: 1, ...scaleEncoding(splats.scales) };
  const packed = new Uint32Array(utils.computeMaxSplats(n) * 4);
  const { means, scales, quats, opacities, colors } = splats;
  for (let i = 0; i < n; i++) {
    const i3 = 3 * i;
    const i4 = 4 * i;
    // Ours are (w, x, y, z); Spark takes x, y, z, w.
    utils.setPackedSplat(
      packed,
      i,
      means[i3]!,
      means[i3 + 1]!,
      means[i3 + 2]!,
      Math.max(MIN_SCALE, scales[i3]!),
      Math.max(MIN_SCALE, scales[i3 + 1]!),
      Math.max(MIN_SCALE, scales[i3 + 2]!),
      quats[i4 + 1]!,
      quats[i4 + 2]!,
      quats[i4 + 3]!,
      quats[i4]!,
      clamp01(opacities[i]!),
      clamp01(colors[i3]!),
      clamp01(colors[i3 + 1]!),
      clamp01(colors[i3 + 2]!),
      encoding,
    );
  }
  return { packed, numSplats: n, encoding };
}

/**
 * Sets every centre to means + offsets (offsets null: the means). Both are float32 [N*3]. The
 * caller then marks the PackedSplats for upload (`needsUpdate = true`).
 */
export function writeCentres(packed: Uint32Array, means: Float32Array, offsets: Float32Array | null): void {
  const n = means.length / 3;
  if (packed.length < n * 4) throw new RangeError(`writeCentres: the packed array holds ${packed.length / 4} splats, the means ${n}`);
  if (offsets !== null && offsets.length !== means.length) {
    throw new RangeError(`writeCentres: offsets have ${offsets.length} values, means ${means.length}`);
  }
  if (offsets === null) {
    for (let i = 0; i < n; i++) utils.setPackedSplatCenter(packed, i, means[3 * i]!, means[3 * i + 1]!, means[3 * i + 2]!);
    return;
  }
  for (let i = 0; i < n; i++) {
    const i3 = 3 * i;
    utils.setPackedSplatCenter(packed, i, means[i3]! + offsets[i3]!, means[i3 + 1]! + offsets[i3 + 1]!, means[i3 + 2]! + offsets[i3 + 2]!);
  }
}
