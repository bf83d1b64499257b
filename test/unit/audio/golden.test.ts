/**
 * Cross-language proof for logmel-v1: the TypeScript front-end against the Python golden file
 * (test/golden/logmel/logmel-v1.python.json, by training/splatportrait/audio/make_golden.py),
 * and the TypeScript golden file against the current TypeScript code (so it is never stale; its
 * other reader is test/python/audio/test_golden.py).
 *
 * Feature tolerance |ts - golden| <= 5e-6 |golden| + 1e-6: the golden values are rounded to 6
 * significant digits (half a unit in the 6th digit is at most 5e-6 relative); the 1e-6 covers the
 * float32 output cast (2^-24 relative, 1.2e-7 at |x| = 2) and the float64 differences between
 * numpy's pocketfft and RealFft, measured ~1e-15 in the log domain. Filterbank: 1e-9 absolute
 * (weights < 0.04; measured difference 7e-17, i.e. ulps of Math.log / math.log).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { framesForVideo, videoFrameCentre } from '../../../src/shared/audio/feature-window.ts';
import { logMel } from '../../../src/shared/audio/logmel.ts';
import { melFilterbank } from '../../../src/shared/audio/mel-filters.ts';
import { buildGolden, decodePcm16, pcmToFloat, type GoldenFile } from '../../golden/logmel/golden-format.ts';
import { loadSpec, ROOT } from './spec-file.ts';

const spec = loadSpec();
const GOLDEN_DIR = join(ROOT, 'test', 'golden', 'logmel');
const readGolden = (name: string): GoldenFile => JSON.parse(readFileSync(join(GOLDEN_DIR, name), 'utf8')) as GoldenFile;
const python = readGolden('logmel-v1.python.json');

function worstExcess(a: Float32Array, expected: number[][]): number {
  let worst = -Infinity;
  expected.forEach((row, k) =>
    row.forEach((e, m) => {
      worst = Math.max(worst, Math.abs((a[k * row.length + m] as number) - e) - (5e-6 * Math.abs(e) + 1e-6));
    }),
  );
  return worst;
}

describe('logmel-v1 golden vectors from Python', () => {
  it('covers the stated cases', () => {
    expect(python.spec).toBe('logmel-v1');
    expect(python.cases.map((c) => [c.name, c.n_samples, c.frames])).toEqual([
      ['chirp', 8000, 51], ['tone', 8000, 51], ['noise', 8000, 51], ['short', 300, 2], ['one', 1, 1],
    ]);
  });

  for (const c of python.cases) {
    it(`TypeScript features match Python on '${c.name}'`, () => {
      const pcm = decodePcm16(c.pcm16_base64);
      expect(pcm.length).toBe(c.n_samples);
      const f = logMel(pcmToFloat(pcm), spec);
      expect([f.frames, f.melBins]).toEqual([c.frames, c.mel_bins]);
      expect(worstExcess(f.data, c.features)).toBeLessThanOrEqual(0);
    });
  }

  it('the TypeScript filterbank equals Python to 1e-9', () => {
    const fb = melFilterbank(spec);
    let worst = 0;
    python.filterbank.forEach((row, m) => {
      const dense = new Float64Array(257);
      row.weights.forEach((w, j) => (dense[row.start + j] = w));
      for (let k = 0; k < 257; k++) worst = Math.max(worst, Math.abs((fb[m * 257 + k] as number) - (dense[k] as number)));
    });
    expect(python.filterbank.length).toBe(80);
    expect(worst).toBeLessThan(1e-9);
  });

  it('video frame centres and windows agree', () => {
    for (const { fps, centres } of python.video_centres) {
      expect(centres.map((_, j) => videoFrameCentre(j, fps, spec)), `fps ${fps}`).toEqual(centres);
    }
    const wc = python.window_case;
    const frames = python.cases.find((c) => c.name === wc.case)?.frames ?? 0;
    const win = framesForVideo({ data: Float32Array.from({ length: frames }, (_, k) => k), frames, melBins: 1 }, wc.n_video_frames, wc.fps, wc.window, spec);
    expect(Array.from({ length: wc.n_video_frames }, (_, j) => Array.from(win.subarray(j * wc.window, (j + 1) * wc.window)))).toEqual(wc.indices);
  });
});

describe('logmel-v1 golden vectors from TypeScript', () => {
  it('logmel-v1.ts.json is what make-golden-ts.ts writes now (regenerate it if this fails)', () => {
    const onDisk = readGolden('logmel-v1.ts.json');
    expect(JSON.parse(JSON.stringify(buildGolden(spec)))).toEqual(onDisk);
  });
});
