/**
 * RealFft against a direct DFT (test/unit/audio/slow-logmel.ts). Tolerance 1e-12 relative to the
 * spectrum's largest magnitude: both are float64; a radix-2 FFT's rounding error grows like
 * eps * log2(n) (about 1e-15 at n = 512, measured worst ~3e-15 here), the direct sum's like
 * eps * sqrt(n).
 */
import { describe, expect, it } from 'vitest';
import { RealFft } from '../../../src/shared/audio/fft.ts';
import { seededPrng } from '../../helpers/prng.ts';
import { directDft } from './slow-logmel.ts';

function worstError(size: number, x: Float64Array): number {
  const fft = new RealFft(size);
  const re = new Float64Array(size / 2 + 1);
  const im = new Float64Array(size / 2 + 1);
  fft.forward(x, re, im);
  const ref = directDft(x);
  let scale = 0;
  for (let k = 0; k <= size / 2; k++) scale = Math.max(scale, Math.hypot(ref.re[k] as number, ref.im[k] as number));
  let worst = 0;
  for (let k = 0; k <= size / 2; k++) worst = Math.max(worst, Math.abs((re[k] as number) - (ref.re[k] as number)), Math.abs((im[k] as number) - (ref.im[k] as number)));
  return worst / scale;
}

describe('RealFft', () => {
  it('matches a direct DFT for random input, sizes 4 .. 1024 (512 is the one logmel-v1 uses)', () => {
    const rnd = seededPrng(7);
    for (const size of [4, 8, 16, 32, 64, 128, 256, 512, 1024]) {
      for (let trial = 0; trial < 3; trial++) {
        const x = Float64Array.from({ length: size }, () => 2 * rnd.next() - 1);
        expect(worstError(size, x), `size ${size} trial ${trial}`).toBeLessThan(1e-12);
      }
    }
  });

  it('gives exact results on an impulse, DC and Nyquist', () => {
    const fft = new RealFft(512);
    const re = new Float64Array(257);
    const im = new Float64Array(257);
    const x = new Float64Array(512);
    x[0] = 1;
    fft.forward(x, re, im);
    expect(Array.from(re).every((v) => Math.abs(v - 1) < 1e-15)).toBe(true);
    expect(Array.from(im).every((v) => Math.abs(v) < 1e-15)).toBe(true);
    x.fill(1);
    fft.forward(x, re, im);
    expect(re[0]).toBe(512);
    expect(Math.max(...Array.from(re.subarray(1)).map(Math.abs), ...Array.from(im).map(Math.abs))).toBeLessThan(1e-12);
    x.forEach((_, i) => (x[i] = i % 2 === 0 ? 1 : -1));
    fft.forward(x, re, im);
    expect(re[256]).toBe(512);
    expect(im[256]).toBe(0);
  });

  it('puts a cosine at bin k into bin k with magnitude n / 2', () => {
    const fft = new RealFft(512);
    const re = new Float64Array(257);
    const im = new Float64Array(257);
    const x = Float64Array.from({ length: 512 }, (_, j) => Math.cos((2 * Math.PI * 37 * j) / 512));
    fft.forward(x, re, im);
    expect(re[37]).toBeCloseTo(256, 9);
    expect(Math.abs(im[37] as number)).toBeLessThan(1e-9);
  });

  it('refuses sizes that are not powers of two and buffers of the wrong length', () => {
    expect(() => new RealFft(400)).toThrow(/power of two/);
    expect(() => new RealFft(2)).toThrow(/power of two/);
    const fft = new RealFft(512);
    expect(() => fft.forward(new Float64Array(400), new Float64Array(257), new Float64Array(257))).toThrow(/want x \[512\]/);
  });
});
