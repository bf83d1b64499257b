/**
 * Rasterizer output (float rgb [H*W*3] composited over the background, alpha [H*W]) packed into
 * the 8-bit frames ffmpeg reads, into a caller's buffer (no allocation per frame). The same
 * numbers as the png writer's toRgba8 (src/main/raster/png-writer.ts; a test holds the two equal):
 * value clamped to 0..1, times 255, rounded; 'straight' divides colour by coverage above 1/510.
 *   rgb24      opaque formats (the background fills every pixel);
 *   rgba       alpha formats over a transparent background: straight alpha, as PNG and ProRes
 *              4444 store it.
 */
import { to8 } from '../raster/png-writer.ts';

export type PixelLayout = 'rgb24' | 'rgba';

export function bytesPerPixel(layout: PixelLayout): number {
  return layout === 'rgba' ? 4 : 3;
}

/** Packs one frame into out (width * height * bytesPerPixel(layout) bytes). */
export function packFrame(rgb: Float32Array, alpha: Float32Array, layout: PixelLayout, out: Uint8Array): void {
  const pixels = alpha.length;
  if (rgb.length !== pixels * 3 || out.length !== pixels * bytesPerPixel(layout)) {
    throw new RangeError(`packFrame: rgb ${rgb.length}, alpha ${alpha.length}, out ${out.length} do not describe one ${layout} frame`);
  }
  if (layout === 'rgb24') {
    for (let k = 0; k < rgb.length; k++) out[k] = to8(rgb[k]!);
    return;
  }
  for (let p = 0; p < pixels; p++) {
    const a = alpha[p]!;
    const unpremultiply = a > 1 / 510 ? 1 / a : 0;
    out[4 * p] = to8(rgb[3 * p]! * unpremultiply);
    out[4 * p + 1] = to8(rgb[3 * p + 1]! * unpremultiply);
    out[4 * p + 2] = to8(rgb[3 * p + 2]! * unpremultiply);
    out[4 * p + 3] = to8(a);
  }
}
