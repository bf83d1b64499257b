/** The media bin's audio overview: peaks per slice of the duration, decoded by the real ffmpeg. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audioOverview, OVERVIEW_BINS, PeakBinner } from '../../../src/main/media/audio-overview.ts';
import { pcm16Wav } from '../../helpers/media-fixtures.ts';
import { seededPrng } from '../../helpers/prng.ts';
import { useTmpDirs } from '../../helpers/tmp-dir.ts';

const tmp = useTmpDirs('sps-overview');

/** Slow, obviously-correct twin of PeakBinner: every sample's bin computed from its index. */
function referencePeaks(samples: Float32Array, bins: number, expected: number): Uint8Array {
  const peaks = new Array<number>(bins).fill(0);
  samples.forEach((s, i) => {
    const bin = Math.min(bins - 1, Math.floor((i * bins) / expected));
    peaks[bin] = Math.max(peaks[bin] as number, Math.abs(s));
  });
  return Uint8Array.from(peaks, (p) => Math.round(Math.min(1, p) * 255));
}

describe('PeakBinner', () => {
  it('matches the reference for random samples pushed in random chunk sizes', () => {
    const prng = seededPrng(7);
    const random = (): number => prng.next();
    for (const [count, expected] of [[1000, 1000], [997, 1000], [1200, 1000], [5, 1000]] as const) {
      const samples = Float32Array.from({ length: count }, () => (random() * 2 - 1) * 1.2);
      const binner = new PeakBinner(OVERVIEW_BINS, expected);
      for (let at = 0; at < count; ) {
        const size = 1 + Math.floor(random() * 97);
        binner.push(samples.subarray(at, at + size));
        at += size;
      }
      expect(binner.samples).toBe(count);
      expect(binner.toBytes()).toEqual(referencePeaks(samples, OVERVIEW_BINS, expected));
    }
  });
});

describe('audioOverview', () => {
  it('shows a loud first second and a quiet second one', async () => {
    const file = join(await tmp(), 'steps.wav');
    await writeFile(file, pcm16Wav({ sampleRate: 16000, frames: 32000, level: (t) => (t < 1 ? 0.8 : 0.1) }));
    const { peaks, samples } = await audioOverview(file, 2, 'steps.wav');
    expect(samples).toBe(16000); // 2 s at the 8 kHz overview rate
    expect(peaks).toHaveLength(OVERVIEW_BINS);
    // ±4 of 255: 16-bit quantisation plus the resampler's ripple near the peaks of the sine.
    // The two bins around the step are left out: the resampler's filter smears it.
    const half = OVERVIEW_BINS / 2;
    for (let i = 0; i < half - 1; i++) expect(Math.abs((peaks[i] as number) - 204)).toBeLessThanOrEqual(4);
    for (let i = half + 1; i < OVERVIEW_BINS; i++) expect(Math.abs((peaks[i] as number) - 25.5)).toBeLessThanOrEqual(4);
  });

  it('refuses audio without samples as empty or corrupt', async () => {
    const file = join(await tmp(), 'empty.wav');
    await writeFile(file, pcm16Wav({ sampleRate: 16000, frames: 0 }));
    await expect(audioOverview(file, 1, 'empty.wav')).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA', message: expect.stringMatching(/^empty\.wav contains no audio samples/) });
  });

  it('answers MISSING_TOOL when ffmpeg is not installed', async () => {
    const file = join(await tmp(), 'a.wav');
    await writeFile(file, pcm16Wav({ sampleRate: 16000, frames: 1600 }));
    const saved = process.env.SPLAT_STUDIO_FFMPEG;
    process.env.SPLAT_STUDIO_FFMPEG = '/nonexistent/ffmpeg';
    try {
      await expect(audioOverview(file, 0.1, 'a.wav')).rejects.toMatchObject({ code: 'MISSING_TOOL' });
    } finally {
      if (saved === undefined) delete process.env.SPLAT_STUDIO_FFMPEG;
      else process.env.SPLAT_STUDIO_FFMPEG = saved;
    }
  });
});
