/**
 * Radix-2 real FFT, float64 (the logmel-v1 front-end uses size 512). A real input of size n is
 * packed as a complex sequence of size n / 2 (even samples real, odd imaginary), transformed by
 * an iterative in-place Cooley-Tukey FFT, then split into the one-sided spectrum
 * (Numerical Recipes §12.3; the same identity numpy's pocketfft uses for rfft).
 * Unnormalised, X[k] = sum_j x[j] exp(-2 pi i j k / n), k = 0 .. n / 2, like numpy.fft.rfft.
 * Tested against a direct DFT in test/unit/audio/fft.test.ts.
 */
export class RealFft {
  readonly size: number;
  private readonly half: number;
  /** Bit-reversal permutation of 0 .. half - 1. */
  private readonly rev: Uint32Array;
  /** cos / sin of -2 pi k / half, k < half / 2 (the complex FFT's twiddles). */
  private readonly cosH: Float64Array;
  private readonly sinH: Float64Array;
  /** cos / sin of -2 pi k / size, k <= half (the real-split twiddles). */
  private readonly cosN: Float64Array;
  private readonly sinN: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) throw new Error(`RealFft: size must be a power of two >= 4, got ${size}`);
    this.size = size;
    const half = size / 2;
    this.half = half;
    const bits = Math.log2(half);
    this.rev = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cosH = new Float64Array(half / 2);
    this.sinH = new Float64Array(half / 2);
    for (let k = 0; k < half / 2; k++) {
      this.cosH[k] = Math.cos((2 * Math.PI * k) / half);
      this.sinH[k] = -Math.sin((2 * Math.PI * k) / half);
    }
    this.cosN = new Float64Array(half + 1);
    this.sinN = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      this.cosN[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinN[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
  }

  /**
   * x: [size] real input (read only). outRe / outIm: [size / 2 + 1] one-sided spectrum.
   */
  forward(x: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const { half, rev, re, im } = this;
    if (x.length !== this.size || outRe.length < half + 1 || outIm.length < half + 1) {
      throw new Error(`RealFft.forward: want x [${this.size}], out [${half + 1}]; got x [${x.length}], out [${outRe.length}], [${outIm.length}]`);
    }
    for (let i = 0; i < half; i++) {
      const r = rev[i] as number;
      re[r] = x[2 * i] as number;
      im[r] = x[2 * i + 1] as number;
    }
    const { cosH, sinH } = this;
    for (let len = 2; len <= half; len <<= 1) {
      const h = len >>> 1;
      const step = half / len;
      for (let start = 0; start < half; start += len) {
        for (let k = 0; k < h; k++) {
          const wr = cosH[k * step] as number;
          const wi = sinH[k * step] as number;
          const a = start + k;
          const b = a + h;
          const br = re[b] as number;
          const bi = im[b] as number;
          const tr = br * wr - bi * wi;
          const ti = br * wi + bi * wr;
          const ar = re[a] as number;
          const ai = im[a] as number;
          re[b] = ar - tr;
          im[b] = ai - ti;
          re[a] = ar + tr;
          im[a] = ai + ti;
        }
      }
    }
    // Split: with Z = FFT_half(z), z[j] = x[2j] + i x[2j+1],
    // E[k] = (Z[k] + conj(Z[half-k])) / 2, O[k] = (Z[k] - conj(Z[half-k])) / (2i),
    // X[k] = E[k] + W^k O[k], W = exp(-2 pi i / size).
    const { cosN, sinN } = this;
    outRe[0] = (re[0] as number) + (im[0] as number);
    outIm[0] = 0;
    outRe[half] = (re[0] as number) - (im[0] as number);
    outIm[half] = 0;
    for (let k = 1; k < half; k++) {
      const zr = re[k] as number;
      const zi = im[k] as number;
      const cr = re[half - k] as number;
      const ci = -(im[half - k] as number);
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      // (Z - conj) / (2i) = (dr + i di) / (2i) = (di - i dr) / 2
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const wr = cosN[k] as number;
      const wi = sinN[k] as number;
      outRe[k] = er + (or * wr - oi * wi);
      outIm[k] = ei + (or * wi + oi * wr);
    }
  }
}
