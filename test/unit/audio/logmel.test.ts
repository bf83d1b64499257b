/**
 * The logmel-v1 front-end (src/shared/audio/logmel.ts) against its slow twin (direct DFT, dense
 * filterbank: ./slow-logmel.ts), its edge cases, and the spec parser. Speed is measured by
 * hand (see the report / module docs), not by a timed test.
 */
import { describe, expect, it } from 'vitest';
import { frameCount, hannPeriodic, logMel, LogMelExtractor, reflectIndex } from '../../../src/shared/audio/logmel.ts';
import { hzToMel, melFilterbank, melToHz } from '../../../src/shared/audio/mel-filters.ts';
import { parseLogMelSpec } from '../../../src/shared/audio/spec.ts';
import { seededPrng } from '../../helpers/prng.ts';
import { slowLogMel } from './slow-logmel.ts';
import { loadSpec, specJson } from './spec-file.ts';

const spec = loadSpec();

function noise(n: number, seed: number, amp = 0.3): Float32Array {
  const rnd = seededPrng(seed);
  return Float32Array.from({ length: n }, () => amp * (2 * rnd.next() - 1));
}

describe('logmel-v1 spec', () => {
  it('parses the shipped file with the stated constants', () => {
    expect(spec).toEqual({
      name: 'logmel-v1', sampleRate: 16000, nFft: 512, winLength: 400, hopLength: 160, windowOffset: 56,
      nMels: 80, fmin: 55, fmax: 7600, logFloor: 1e-10, normMean: -10, normStd: 8,
    });
  });

  it('refuses another name, another rule, a missing field, a bad number', () => {
    const edit = (f: (j: Record<string, Record<string, unknown>>) => void): unknown => {
      const j = specJson() as Record<string, Record<string, unknown>>;
      f(j);
      return j;
    };
    expect(() => parseLogMelSpec(edit((j) => ((j as Record<string, unknown>).name = 'wav2vec2')))).toThrow(/computes 'logmel-v1'/);
    expect(() => parseLogMelSpec(edit((j) => ((j.mel as Record<string, unknown>).scale = 'htk')))).toThrow(/mel.scale must be "slaney"/);
    expect(() => parseLogMelSpec(edit((j) => delete (j.stft as Record<string, unknown>).hop_length))).toThrow(/missing field 'stft.hop_length'/);
    expect(() => parseLogMelSpec(edit((j) => ((j.stft as Record<string, unknown>).n_fft = 500)))).toThrow(/power of two/);
    expect(() => parseLogMelSpec(edit((j) => ((j.mel as Record<string, unknown>).fmax = 9000)))).toThrow(/fmax <= sample_rate/);
    expect(() => parseLogMelSpec(null)).toThrow(/missing field 'name'/);
  });
});

describe('logMel', () => {
  // Tolerance 1e-9 in the normalised log domain (1 / std of ln): fast and slow paths are both
  // float64; measured worst difference ~1e-14 on these inputs.
  it('matches the direct-DFT twin on noise, a tone and a short clip', () => {
    const tone = Float32Array.from({ length: 1200 }, (_, i) => 0.2 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
    for (const [name, x] of [['noise', noise(1000, 3)], ['tone', tone], ['short', noise(250, 4)], ['one', Float32Array.of(0.25)]] as const) {
      const fast = new LogMelExtractor(spec);
      const slowOut = slowLogMel(x, spec);
      // float64 fast path before the cast: compare the float32 output, whose cast error is below
      // 2^-24 relative (|x| < 4 here, so < 2.4e-7 absolute).
      const out = fast.compute(x);
      expect(out.frames).toBe(frameCount(x.length, spec));
      let worst = 0;
      for (let i = 0; i < slowOut.length; i++) worst = Math.max(worst, Math.abs((out.data[i] as number) - (slowOut[i] as number)));
      expect(worst, name).toBeLessThan(2.5e-7);
    }
  });

  it('gives 0 frames for empty input, 1 frame for 1 .. 159 samples, 1 + floor(N / 160) after', () => {
    expect(logMel(new Float32Array(0), spec)).toEqual({ data: new Float32Array(0), frames: 0, melBins: 80 });
    for (const [n, t] of [[1, 1], [159, 1], [160, 2], [399, 3], [16000, 101], [16159, 101]] as const) {
      expect(frameCount(n, spec)).toBe(t);
      expect(logMel(noise(n, n), spec).frames).toBe(t);
    }
  });

  it('handles input shorter than one window (reflect padding wraps) with finite output', () => {
    for (const n of [1, 2, 3, 100, 399]) {
      const f = logMel(noise(n, 10 + n), spec);
      expect(f.data.every(Number.isFinite), `n = ${n}`).toBe(true);
    }
    // A constant clip of one sample is DC: energy only in the lowest filters.
    const one = logMel(Float32Array.of(0.5), spec);
    expect(one.data[0] as number).toBeGreaterThan(one.data[79] as number);
  });

  it('rejects non-finite samples, naming the first', () => {
    const x = noise(500, 1);
    x[123] = Number.NaN;
    x[400] = Number.POSITIVE_INFINITY;
    expect(() => logMel(x, spec)).toThrow(/2 non-finite values \(first at index 123: NaN\)/);
    expect(() => logMel(Float64Array.of(0, -Infinity), spec)).toThrow(RangeError);
  });

  it('maps digital silence to the floor, (ln 1e-10 - mean) / std', () => {
    const f = logMel(new Float32Array(1600), spec);
    const floor = (Math.log(1e-10) + 10) / 8;
    expect(f.data.every((v) => Math.abs(v - floor) < 1e-6)).toBe(true);
  });

  it('puts a 1 kHz tone in the band whose centre is nearest 1 kHz', () => {
    const x = Float32Array.from({ length: 16000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
    const f = logMel(x, spec);
    const row = f.data.subarray(50 * 80, 51 * 80);
    const peak = row.indexOf(Math.max(...row));
    const lo = hzToMel(55);
    const hi = hzToMel(7600);
    const centres = Array.from({ length: 80 }, (_, m) => melToHz(lo + ((hi - lo) * (m + 1)) / 81));
    const nearest = centres.reduce((b, c, m) => (Math.abs(c - 1000) < Math.abs((centres[b] as number) - 1000) ? m : b), 0);
    expect(Math.abs(peak - nearest)).toBeLessThanOrEqual(1);
  });

  it('frames are centred: a click at sample 1600 peaks in frame 10', () => {
    const x = new Float32Array(3200);
    x[1600] = 1;
    const f = logMel(x, spec);
    const energy = Array.from({ length: f.frames }, (_, k) => f.data.subarray(k * 80, (k + 1) * 80).reduce((a, b) => a + b, 0));
    expect(energy.indexOf(Math.max(...energy))).toBe(10);
  });
});

describe('building blocks', () => {
  it('reflectIndex reflects without repeating the edge, any distance, like numpy.pad reflect', () => {
    expect([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7].map((i) => reflectIndex(i, 4))).toEqual([3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1]);
    expect([-5, 0, 5].map((i) => reflectIndex(i, 1))).toEqual([0, 0, 0]);
    expect([-3, -1, 2, 3].map((i) => reflectIndex(i, 2))).toEqual([1, 1, 0, 1]);
  });

  it('hannPeriodic is 0 at n = 0, 1 at the centre, symmetric about it', () => {
    const w = hannPeriodic(400);
    expect(w[0]).toBe(0);
    expect(w[200]).toBe(1);
    for (let n = 1; n < 200; n++) expect(Math.abs((w[n] as number) - (w[400 - n] as number))).toBeLessThan(1e-15);
  });

  it('the filterbank has 80 non-empty triangles of unit area in Hz (Slaney normalisation)', () => {
    const fb = melFilterbank(spec);
    expect(fb.length).toBe(80 * 257);
    for (let m = 0; m < 80; m++) {
      const row = fb.subarray(m * 257, (m + 1) * 257);
      expect(row.some((v) => v > 0), `filter ${m}`).toBe(true);
    }
    // Area normalisation: a filter wide enough to be sampled well integrates to ~1 (bins 31.25 Hz).
    const row = fb.subarray(79 * 257, 80 * 257);
    expect(row.reduce((a, b) => a + b, 0) * 31.25).toBeCloseTo(1, 1);
    expect(melToHz(hzToMel(440))).toBeCloseTo(440, 9);
    expect(melToHz(hzToMel(5000))).toBeCloseTo(5000, 9);
    // 1000 / (200 / 3) is 14.999999999999998 in float64, as in librosa and the Python twin.
    expect(hzToMel(1000)).toBeCloseTo(15, 12);
  });
});
