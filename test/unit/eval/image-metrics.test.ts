import { describe, expect, it } from 'vitest';
import { PSNR_CAP_DB, psnr, ssim } from '../../../src/main/eval/metrics/image-metrics.ts';
import { seededPrng } from '../../helpers/prng.ts';

function randomImage(seed: number, width: number, height: number, lo = 0, hi = 1): Float32Array {
  const prng = seededPrng(seed);
  return Float32Array.from({ length: width * height * 3 }, () => lo + (hi - lo) * prng.next());
}

/**
 * Slow reference SSIM: for every window position wholly inside the image and every channel, the
 * weighted sums of a 2D Gaussian (built directly, normalised over the 2D window) in plain loops.
 */
function slowSsim(a: Float32Array, b: Float32Array, width: number, height: number, size = 11, sigma = 1.5): number {
  const w: number[][] = [];
  let total = 0;
  for (let i = 0; i < size; i++) {
    w.push([]);
    for (let j = 0; j < size; j++) {
      const dy = i - (size - 1) / 2;
      const dx = j - (size - 1) / 2;
      const v = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
      w[i]!.push(v);
      total += v;
    }
  }
  const at = (img: Float32Array, x: number, y: number, c: number): number => img[(y * width + x) * 3 + c]!;
  let sum = 0;
  let count = 0;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y + size <= height; y++) {
      for (let x = 0; x + size <= width; x++) {
        let ma = 0;
        let mb = 0;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            const k = w[i]![j]! / total;
            ma += k * at(a, x + j, y + i, c);
            mb += k * at(b, x + j, y + i, c);
          }
        }
        let vaa = 0;
        let vbb = 0;
        let cab = 0;
        for (let i = 0; i < size; i++) {
          for (let j = 0; j < size; j++) {
            const k = w[i]![j]! / total;
            const da = at(a, x + j, y + i, c) - ma;
            const db = at(b, x + j, y + i, c) - mb;
            vaa += k * da * da;
            vbb += k * db * db;
            cab += k * da * db;
          }
        }
        const c1 = 0.01 ** 2;
        const c2 = 0.03 ** 2;
        sum += ((2 * ma * mb + c1) * (2 * cab + c2)) / ((ma * ma + mb * mb + c1) * (vaa + vbb + c2));
        count++;
      }
    }
  }
  return sum / count;
}

describe('psnr', () => {
  it('gives identical images the cap, not Infinity', () => {
    const a = randomImage(1, 16, 16);
    expect(psnr(a, a.slice())).toBe(PSNR_CAP_DB);
    expect(psnr(a, a.slice(), { capDb: 60 })).toBe(60);
  });

  it('caps a tiny error too', () => {
    const a = new Float32Array(12).fill(0.5);
    const b = a.slice();
    b[0] = 0.5 + 2 ** -20; // MSE ~ 7.6e-14: ~131 dB uncapped
    expect(psnr(a, b)).toBe(PSNR_CAP_DB);
  });

  it('reads 20 dB for a constant shift of 0.1', () => {
    // float32 cannot hold 0.1, and rounding each v + 0.1 is biased (v sits on a fixed grid), which
    // measured up to ~8e-7 dB off. So the shift is the float32 step nearest 0.1 in [0.25, 0.5)
    // (3355443 * 2^-25 = 0.1 - 6e-9) and every value stays in [0.25, 0.5), where that sum is exact:
    // 5e-7 dB from 20 by construction.
    const shift = 3355443 * 2 ** -25;
    const a = randomImage(2, 32, 32, 0.3, 0.39);
    const b = a.map((v) => v + shift);
    expect(b.every((v, i) => v - a[i]! === shift)).toBe(true);
    expect(Math.abs(psnr(a, b) - 20)).toBeLessThan(1e-6);
  });

  it('is 10·log10(peak² / MSE) for random noise', () => {
    const a = randomImage(3, 20, 10);
    const b = randomImage(4, 20, 10);
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
    const mse = sum / a.length;
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10(1 / mse), 12);
    expect(psnr(a, b, { peak: 255 })).toBeCloseTo(10 * Math.log10(255 ** 2 / mse), 12);
  });

  it('throws on a size mismatch or empty input', () => {
    expect(() => psnr(new Float32Array(6), new Float32Array(9))).toThrow(/differ in size/);
    expect(() => psnr(new Float32Array(0), new Float32Array(0))).toThrow(/empty/);
  });
});

describe('ssim', () => {
  it('is 1 for identical images', () => {
    const a = randomImage(5, 24, 20);
    expect(Math.abs(ssim(a, a.slice(), 24, 20) - 1)).toBeLessThan(1e-9);
  });

  it('matches the slow 2D-window reference on random images', () => {
    // Both sum in float64; the separable and direct sums differ only by rounding (~1e-15).
    for (const seed of [10, 11, 12]) {
      const a = randomImage(seed, 24, 20);
      const b = randomImage(seed + 100, 24, 20);
      expect(Math.abs(ssim(a, b, 24, 20) - slowSsim(a, b, 24, 20))).toBeLessThan(1e-9);
      const noisy = a.map((v, i) => v + 0.1 * (b[i]! - 0.5));
      expect(Math.abs(ssim(a, noisy, 24, 20) - slowSsim(a, noisy, 24, 20))).toBeLessThan(1e-9);
    }
    // An image exactly the window's size: one position per channel.
    const a = randomImage(13, 11, 11);
    const b = randomImage(14, 11, 11);
    expect(Math.abs(ssim(a, b, 11, 11) - slowSsim(a, b, 11, 11))).toBeLessThan(1e-9);
  });

  it('falls as noise grows', () => {
    const prng = seededPrng(20);
    const a = randomImage(21, 32, 32, 0.2, 0.8);
    const noise = Float32Array.from(a, () => prng.next() - 0.5);
    let last = ssim(a, a, 32, 32);
    for (const level of [0.01, 0.02, 0.05, 0.1, 0.2, 0.4]) {
      const s = ssim(a, a.map((v, i) => v + level * noise[i]!), 32, 32);
      expect(s).toBeLessThan(last);
      last = s;
    }
  });

  it('throws on a size mismatch or an image smaller than the window', () => {
    const a = randomImage(30, 12, 12);
    expect(() => ssim(a, randomImage(31, 12, 11), 12, 12)).toThrow(/expected 12x12x3/);
    expect(() => ssim(a, a, 12, 11)).toThrow(/expected 12x11x3/);
    const thin = randomImage(32, 20, 10);
    expect(() => ssim(thin, thin, 20, 10)).toThrow(/smaller than the 11x11 window/);
  });

  it('takes well under 100 ms for 256x256', () => {
    const a = randomImage(40, 256, 256);
    const b = randomImage(41, 256, 256);
    ssim(a, b, 256, 256); // warm-up (JIT)
    const t0 = performance.now();
    ssim(a, b, 256, 256);
    // Measured ~15 ms on the 2-core dev container; the bound leaves room for a loaded CI machine.
    expect(performance.now() - t0).toBeLessThan(100);
  });
});
