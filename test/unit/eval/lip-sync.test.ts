import { describe, expect, it } from 'vitest';
import {
  MOUTH_CLOSED_OPENING,
  bestLagCorrelation,
  frameEnergy,
  mouthClosedRateInSilence,
  mouthOpening,
  pearson,
  silenceFrames,
} from '../../../src/main/eval/metrics/lip-sync.ts';
import { seededPrng } from '../../helpers/prng.ts';

/** A speech-like energy envelope: syllables (~5 per second at 25 fps) with random loudness, plus pauses. */
function syntheticEnergy(seed: number, frames: number): Float64Array {
  const prng = seededPrng(seed);
  const loud = Array.from({ length: Math.ceil(frames / 5) }, () => (prng.next() < 0.2 ? 0 : 0.2 + 0.8 * prng.next()));
  return Float64Array.from({ length: frames }, (_, t) => {
    const syllable = Math.sin((Math.PI * ((t % 5) + 0.5)) / 5);
    return loud[Math.floor(t / 5)]! * syllable + 0.01 * prng.next();
  });
}

/** The mouth driven by the energy `delay` frames earlier: a·energy + b + tiny noise. */
function drivenMouth(seed: number, energy: Float64Array, delay: number): Float64Array {
  const prng = seededPrng(seed);
  return Float64Array.from(energy, (_, t) => 0.12 * (t - delay >= 0 ? energy[t - delay]! : 0) + 0.01 + 1e-4 * (prng.next() - 0.5));
}

describe('pearson', () => {
  it('gives known values', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 15);
    expect(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 15);
  });

  it('is null for a constant series or fewer than 3 pairs', () => {
    // The mean of three 0.1s is not exactly 0.1; constant must still read as constant.
    expect(pearson([0.1, 0.1, 0.1], [1, 2, 3])).toBeNull();
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNull();
    expect(pearson([1, 2], [3, 4])).toBeNull();
    expect(pearson([1, Number.NaN, 3], [1, 2, 3])).toBeNull();
  });

  it('throws on a length mismatch', () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(/differ in length/);
  });
});

describe('bestLagCorrelation', () => {
  it('finds a mouth that follows the audio at lag 0', () => {
    const energy = syntheticEnergy(1, 250);
    const best = bestLagCorrelation(drivenMouth(2, energy, 0), energy, 3);
    expect(best.lagFrames).toBe(0);
    expect(best.correlation!).toBeGreaterThan(0.99);
  });

  it('finds a mouth 2 frames behind the audio at lag +2', () => {
    const energy = syntheticEnergy(3, 250);
    const best = bestLagCorrelation(drivenMouth(4, energy, 2), energy, 3);
    expect(best.lagFrames).toBe(2);
    expect(best.correlation!).toBeGreaterThan(0.99);
    // The other way round, the audio follows the mouth: negative lag.
    const ahead = bestLagCorrelation(energy, drivenMouth(4, energy, 2), 3);
    expect(ahead.lagFrames).toBe(-2);
  });

  it('finds nothing in a shuffled mouth', () => {
    const frames = 600;
    const energy = syntheticEnergy(5, frames);
    const opening = drivenMouth(6, energy, 0);
    const prng = seededPrng(7);
    for (let i = frames - 1; i > 0; i--) {
      const j = prng.int(0, i);
      [opening[i], opening[j]] = [opening[j]!, opening[i]!];
    }
    // Independent series of 600: the correlation's standard deviation is ~1/sqrt(600) = 0.04.
    const r = bestLagCorrelation(opening, energy, 0).correlation!;
    expect(Math.abs(r)).toBeLessThan(0.15);
  });

  it('is null for a constant series', () => {
    const energy = syntheticEnergy(8, 50);
    expect(bestLagCorrelation(new Float64Array(50).fill(0.03), energy, 2)).toEqual({ correlation: null, lagFrames: 0 });
    expect(bestLagCorrelation([1, 2], [1, 2], 0)).toEqual({ correlation: null, lagFrames: 0 });
  });

  it('breaks ties toward the smallest |lag|', () => {
    // Period 2: lags 0 and ±2 all correlate exactly 1 (0/1 values, exact sums).
    const s = Array.from({ length: 20 }, (_, t) => t % 2);
    expect(bestLagCorrelation(s, s, 2)).toEqual({ correlation: 1, lagFrames: 0 });
  });

  it('rejects a bad maxLag', () => {
    expect(() => bestLagCorrelation([1, 2, 3], [1, 2, 3], -1)).toThrow(/maxLag/);
    expect(() => bestLagCorrelation([1, 2, 3], [1, 2, 3], 1.5)).toThrow(/maxLag/);
  });
});

describe('frameEnergy', () => {
  it('reads A/√2 per frame for a sine', () => {
    const rate = 16_000;
    const amp = 0.5;
    const frames = 10;
    // 1 kHz: 40 whole periods per 640-sample frame, so each frame's RMS is A/√2 up to float32 rounding.
    const samples = Float32Array.from({ length: (rate / 25) * frames }, (_, i) => amp * Math.sin((2 * Math.PI * 1000 * i) / rate));
    const e = frameEnergy(samples, rate, 25, frames);
    expect(e).toHaveLength(frames);
    for (const v of e) expect(Math.abs(v - amp / Math.SQRT2)).toBeLessThan(1e-3);
  });

  it('is 0 for zeros and past the end of the samples', () => {
    expect([...frameEnergy(new Float32Array(16_000), 16_000, 25, 25)].every((v) => v === 0)).toBe(true);
    const e = frameEnergy(new Float32Array(640 * 3).fill(0.25), 16_000, 25, 5);
    expect([...e]).toEqual([0.25, 0.25, 0.25, 0, 0]);
  });
});

describe('mouthOpening', () => {
  it('is the 2D inner-lip gap over the forehead-chin height', () => {
    const mesh = Array.from({ length: 478 }, () => [0, 0, 0]);
    mesh[10] = [100, 50, 0];
    mesh[152] = [100, 250, 40]; // z is ignored: face height 200
    mesh[13] = [100, 150, 9];
    mesh[14] = [103, 154, -9]; // gap 5
    expect(mouthOpening(mesh)).toBeCloseTo(0.025, 15);
    expect(mouthOpening(mesh.slice(0, 468))).toBeCloseTo(0.025, 15);
  });

  it('throws for a short mesh or a zero face height', () => {
    expect(() => mouthOpening(Array.from({ length: 467 }, () => [0, 0]))).toThrow(/467 points/);
    expect(() => mouthOpening(Array.from({ length: 478 }, () => [0, 0]))).toThrow(/face height/);
  });
});

describe('silence and the closed mouth', () => {
  it('marks frames more than silenceDb below the 95th percentile, or exactly 0', () => {
    // p95 of 20 frames is the 19th smallest (nearest rank), 1.
    const energy = [...new Array<number>(18).fill(1), 0.05, 0];
    const mask = silenceFrames(energy);
    expect(mask.slice(0, 18).every((s) => !s)).toBe(true);
    expect(mask.slice(18)).toEqual([false, true]); // 0.05 is 26 dB down: not silent at 30 dB
    expect(silenceFrames(energy, { silenceDb: 20 }).slice(18)).toEqual([true, true]);
    expect(silenceFrames([0, 0, 0])).toEqual([true, true, true]);
  });

  it('counts closed mouths among the silent frames', () => {
    const energy = [...new Array<number>(10).fill(0), ...new Array<number>(10).fill(0.5)];
    const opening = [0, 0.01, 0.005, 0.019, 0, 0.001, 0.01, 0.03, 0.05, 0.02, ...new Array<number>(10).fill(0)];
    expect(mouthClosedRateInSilence(opening, energy)).toEqual({ rate: 0.7, silentFrames: 10 });
    expect(MOUTH_CLOSED_OPENING).toBe(0.02);
    expect(mouthClosedRateInSilence(opening, energy, { closedOpening: 0.04 })).toEqual({ rate: 0.9, silentFrames: 10 });
  });

  it('skips frames without a face and is null without silence', () => {
    const energy = [0, 0, 1, 1];
    expect(mouthClosedRateInSilence([Number.NaN, 0.05, 0, 0], energy)).toEqual({ rate: 0, silentFrames: 1 });
    expect(mouthClosedRateInSilence([0, 0, 0], [1, 0.5, 0.8])).toEqual({ rate: null, silentFrames: 0 });
    expect(() => mouthClosedRateInSilence([0, 0], [1, 1, 1])).toThrow(/2 openings for 3/);
  });
});
