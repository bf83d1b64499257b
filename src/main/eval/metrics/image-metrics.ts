/**
 * Full-reference image metrics of the quality evaluation harness (issue 8): PSNR and SSIM of a
 * rendered frame against its ground truth.
 *
 * Images are `Float32Array`s, interleaved HWC RGB (3 channels, row-major, index
 * (y * width + x) * 3 + c), values in 0..1. Sums run in float64.
 */

/** PSNR of identical images (MSE 0), and the most any pair scores: capped at 100 dB so averages stay finite. */
export const PSNR_CAP_DB = 100;

export interface PsnrOptions {
  /** Largest possible value; 1 for images in 0..1 (the default). */
  peak?: number;
  /** Upper bound of the result in dB; default PSNR_CAP_DB. */
  capDb?: number;
}

/**
 * Peak signal-to-noise ratio in dB, 10·log10(peak² / MSE), the MSE taken over every value of every
 * channel. Identical images score `capDb` rather than Infinity, and higher scores are capped too.
 * Twin (uncapped, clamps MSE at 1e-10 instead): psnr in training/splatportrait/losses.py.
 */
export function psnr(a: Float32Array, b: Float32Array, opts: PsnrOptions = {}): number {
  const peak = opts.peak ?? 1;
  const capDb = opts.capDb ?? PSNR_CAP_DB;
  if (a.length !== b.length) throw new Error(`psnr: images differ in size (${a.length} and ${b.length} values)`);
  if (a.length === 0) throw new Error('psnr: empty images');
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    sum += d * d;
  }
  const mse = sum / a.length;
  if (mse === 0) return capDb;
  return Math.min(capDb, 10 * Math.log10((peak * peak) / mse));
}

export interface SsimOptions {
  /** Side of the Gaussian window in pixels; default 11. */
  windowSize?: number;
  /** Standard deviation of the Gaussian window in pixels; default 1.5. */
  sigma?: number;
}

/** Normalised 1D Gaussian of `size` taps centred on (size - 1) / 2 (_gauss in losses.py). */
function gaussian(size: number, sigma: number): Float64Array {
  const g = new Float64Array(size);
  let total = 0;
  for (let k = 0; k < size; k++) {
    const x = k - (size - 1) / 2;
    g[k] = Math.exp((-x * x) / (2 * sigma * sigma));
    total += g[k] as number;
  }
  for (let k = 0; k < size; k++) g[k] = (g[k] as number) / total;
  return g;
}

/**
 * Mean SSIM (Wang et al. 2004) of two images of width x height, exactly as `ssim` in
 * training/splatportrait/losses.py (its twin): a normalised separable Gaussian window (11 taps,
 * sigma 1.5), only windows that lie wholly inside the image (no padding), each channel on its
 * own, C1 = 0.01², C2 = 0.03² (for values in 0..1), the mean over channels and window positions.
 * Throws when the sizes disagree or the image is smaller than the window.
 */
export function ssim(a: Float32Array, b: Float32Array, width: number, height: number, opts: SsimOptions = {}): number {
  const size = opts.windowSize ?? 11;
  const sigma = opts.sigma ?? 1.5;
  if (!Number.isInteger(size) || size < 1 || !(sigma > 0)) throw new Error(`ssim: bad window (size ${size}, sigma ${sigma})`);
  const n = width * height * 3;
  if (a.length !== n || b.length !== n) {
    throw new Error(`ssim: expected ${width}x${height}x3 = ${n} values, got ${a.length} and ${b.length}`);
  }
  if (width < size || height < size) throw new Error(`ssim: image ${width}x${height} is smaller than the ${size}x${size} window`);
  const g = gaussian(size, sigma);
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  const ow = width - size + 1;
  const oh = height - size + 1;
  // Horizontal pass (height x ow) of a, b, a², b², ab; then the vertical pass per output pixel.
  const ha = new Float64Array(height * ow);
  const hb = new Float64Array(height * ow);
  const haa = new Float64Array(height * ow);
  const hbb = new Float64Array(height * ow);
  const hab = new Float64Array(height * ow);
  let total = 0;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < ow; x++) {
        let sa = 0;
        let sb = 0;
        let saa = 0;
        let sbb = 0;
        let sab = 0;
        for (let k = 0; k < size; k++) {
          const i = (row + x + k) * 3 + c;
          const w = g[k] as number;
          const va = a[i] as number;
          const vb = b[i] as number;
          sa += w * va;
          sb += w * vb;
          saa += w * va * va;
          sbb += w * vb * vb;
          sab += w * va * vb;
        }
        const o = y * ow + x;
        ha[o] = sa;
        hb[o] = sb;
        haa[o] = saa;
        hbb[o] = sbb;
        hab[o] = sab;
      }
    }
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        let ma = 0;
        let mb = 0;
        let eaa = 0;
        let ebb = 0;
        let eab = 0;
        for (let k = 0; k < size; k++) {
          const o = (y + k) * ow + x;
          const w = g[k] as number;
          ma += w * (ha[o] as number);
          mb += w * (hb[o] as number);
          eaa += w * (haa[o] as number);
          ebb += w * (hbb[o] as number);
          eab += w * (hab[o] as number);
        }
        const vaa = eaa - ma * ma;
        const vbb = ebb - mb * mb;
        const cab = eab - ma * mb;
        total += ((2 * ma * mb + c1) * (2 * cab + c2)) / ((ma * ma + mb * mb + c1) * (vaa + vbb + c2));
      }
    }
  }
  return total / (3 * ow * oh);
}
