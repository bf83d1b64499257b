/**
 * media.peaks and media.pcm on real speech from ../shared/data, against slow references computed
 * from a whole-file decode (decodeAudio, the engine's decoder, same ffmpeg).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/main/engine/audio/decode-audio.ts';
import { peakFilePath } from '../../../src/main/media/peak-cache.ts';
import type { MediaItem } from '../../../src/shared/project/types.ts';
import { DEMO_SPEECH, openTestStudio, SPEECH_DIR, type TestStudio } from './timeline-helpers.ts';

const JANE = join(SPEECH_DIR, 'echomimic_jane.wav'); // 15.75 s, 24 kHz mono s16
const HALLO = join(SPEECH_DIR, 'hallo_1.wav'); // 7.5 s, 44.1 kHz stereo s16

let t: TestStudio | null = null;
afterEach(() => t?.studio.dispose());

let jane16k: Float32Array;
beforeAll(async () => {
  jane16k = (await decodeAudio(JANE, { sampleRate: 16_000 })).samples;
});

/**
 * The peaks of [aMs, bMs) in `bins` slices straight from the samples: a slice covers the 2 ms
 * (32-sample) blocks it overlaps, at least the one holding its start; level = round(min(1, max |x|) * 255).
 * Integer arithmetic in units of 1/bins ms, so no rounding question arises.
 */
function referencePeaks(samples: Float32Array, aMs: number, bMs: number, bins: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bins; i++) {
    const from = aMs * bins + (bMs - aMs) * i;
    const to = aMs * bins + (bMs - aMs) * (i + 1);
    const first = Math.floor(from / (2 * bins));
    const last = Math.max(first + 1, Math.ceil(to / (2 * bins)));
    let max = 0;
    for (let k = first * 32; k < Math.min(samples.length, last * 32); k++) max = Math.max(max, Math.abs(samples[k]!));
    out.push(Math.round(Math.min(1, max) * 255));
  }
  return out;
}

async function peaks(mediaId: string, aMs: number, bMs: number, bins: number): Promise<number[]> {
  const reply = await t!.call('media.peaks', { mediaId, startS: aMs / 1000, endS: bMs / 1000, bins });
  expect(reply).toMatchObject({ startS: aMs / 1000, endS: bMs / 1000 });
  return [...reply.peaks];
}

describe('media.peaks', () => {
  it('equals the max per slice of a whole decode, coarse, unaligned, finer than 2 ms, and past the end', async () => {
    t = await openTestStudio();
    const jane = await t.importFile(JANE);
    const cases: Array<[number, number, number]> = [
      [0, 15_000, 100], // 150 ms slices, aligned
      [0, 16_000, 7], // unaligned, and past the end (15.75 s)
      [1234, 5678, 333], // unaligned everywhere
      [3000, 3100, 400], // 0.25 ms slices: each fine peak repeated 8 times
      [15_700, 17_000, 13], // mostly past the end: zeros there
    ];
    for (const [a, b, bins] of cases) {
      const got = await peaks(jane.id, a, b, bins);
      expect(got, `${a}..${b} ms in ${bins}`).toEqual(referencePeaks(jane16k, a, b, bins));
    }
    expect(Math.max(...(await peaks(jane.id, 0, 15_000, 50)))).toBeGreaterThan(50); // real speech, not silence
    expect(await peaks(jane.id, 16_000, 17_000, 4)).toEqual([0, 0, 0, 0]);
  });

  it('is cached beside the project; a missing or damaged cache file is recomputed to the same peaks', async () => {
    t = await openTestStudio();
    const jane = await t.importFile(JANE);
    const first = await peaks(jane.id, 0, 15_000, 300);
    const path = (await t.call('project.current', {}))!.path;
    const file = peakFilePath(path, jane.sha256);
    expect(file).toBe(`${path}.cache/peaks/${jane.sha256}.u8`);
    expect(readFileSync(file).length).toBe(32 + Math.ceil(jane16k.length / 32));

    const reopen = async (): Promise<void> => {
      t!.studio.dispose();
      t = await openTestStudio(t!.dir); // a new back end: nothing in memory
      await t.call('project.open', { path });
    };
    const damaged = readFileSync(file);
    damaged[500] = damaged[500]! ^ 0xff;
    writeFileSync(file, damaged);
    await reopen();
    expect(await peaks(jane.id, 0, 15_000, 300)).toEqual(first);
    expect(readFileSync(file)[500]).toBe(damaged[500]! ^ 0xff); // rewritten

    writeFileSync(file, readFileSync(file).subarray(0, 1000));
    await reopen();
    expect(await peaks(jane.id, 0, 15_000, 300)).toEqual(first);

    rmSync(file);
    await reopen();
    expect(await peaks(jane.id, 0, 15_000, 300)).toEqual(first);
    expect(existsSync(file)).toBe(true);
  });

  it('answers concurrent first requests with one computation and the same peaks', async () => {
    t = await openTestStudio();
    const jane = await t.importFile(JANE);
    const replies = await Promise.all([peaks(jane.id, 0, 2000, 10), peaks(jane.id, 0, 2000, 10), peaks(jane.id, 0, 2000, 10)]);
    expect(replies[1]).toEqual(replies[0]);
    expect(replies[2]).toEqual(replies[0]);
  });

  it('refuses images, empty ranges, unknown media and audio that does not decode, with clear errors', async () => {
    t = await openTestStudio();
    const image = (await t.call('media.import', { name: 'p.png', bytes: new Uint8Array(readFileSync(join(DEMO_SPEECH, '../portrait.png'))) })).item;
    expect(await t.fail('media.peaks', { mediaId: image.id, startS: 0, endS: 1, bins: 10 })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/image/) });
    const voice = await t.importFile(DEMO_SPEECH);
    expect(await t.fail('media.peaks', { mediaId: voice.id, startS: 2, endS: 2, bins: 10 })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await t.fail('media.peaks', { mediaId: 'gone', startS: 0, endS: 1, bins: 10 })).toMatchObject({ code: 'NOT_FOUND' });

    // An audio row whose bytes are not audio (as a damaged or hand-edited project could hold).
    const path = (await t.call('project.current', {}))!.path;
    await t.call('project.close', {});
    const db = new Database(path);
    const garbage = Buffer.from('this is not audio at all, just text'.repeat(20));
    const sha = 'b'.repeat(64);
    db.prepare(`INSERT INTO blobs (sha256, size, bytes) VALUES (?, ?, ?)`).run(sha, garbage.length, garbage);
    db.prepare(`INSERT INTO media (id, sha256, kind, name, mime, size, duration_s, sample_rate, channels, imported_at) VALUES ('bad', ?, 'audio', 'bad.wav', 'audio/wav', ?, 3, 16000, 1, '2024-01-01T00:00:00Z')`).run(sha, garbage.length);
    db.close();
    await t.call('project.open', { path });
    const error = await t.fail('media.peaks', { mediaId: 'bad', startS: 0, endS: 1, bins: 10 });
    expect(error).toMatchObject({ code: 'UNSUPPORTED_MEDIA', message: expect.stringMatching(/bad\.wav.*no audio samples/) });
    expect(await t.fail('media.pcm', { mediaId: 'bad', startS: 0, durationS: 1, sampleRate: 16_000 })).toMatchObject({ code: 'UNSUPPORTED_MEDIA' });
  });
});

function floats(bytes: Uint8Array): Float32Array {
  return new Float32Array(bytes.slice().buffer);
}

/** Largest |a - b| over the common length. */
function maxDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('media.pcm', () => {
  // 1e-4: the bound asked for; measured 0 (bit-identical) on these WAVs and on AAC in MP4 (liveportrait_d10.mp4) at 16/44.1/48 kHz.
  const TOLERANCE = 1e-4;

  async function expectRange(media: MediaItem, full: Float32Array, rate: 16_000 | 44_100 | 48_000, startS: number, durationS: number): Promise<Float32Array> {
    const reply = await t!.call('media.pcm', { mediaId: media.id, startS, durationS, sampleRate: rate });
    const first = Math.round(startS * rate);
    const expected = full.subarray(first, Math.min(full.length, first + Math.round(durationS * rate)));
    const got = floats(reply.bytes);
    expect(reply.sampleRate).toBe(rate);
    expect(reply.startS).toBeCloseTo(first / rate, 12);
    expect(got.length, `${startS} +${durationS} s at ${rate}`).toBe(expected.length);
    expect(maxDiff(got, expected), `${startS} +${durationS} s at ${rate}`).toBeLessThan(TOLERANCE);
    return got;
  }

  it('equals the same samples of a whole-file decode, at every rate, from a mono 24 kHz and a stereo 44.1 kHz file', async () => {
    t = await openTestStudio();
    const jane = await t.importFile(JANE);
    const hallo = await t.importFile(HALLO);
    await expectRange(jane, jane16k, 16_000, 0, 1);
    await expectRange(jane, jane16k, 16_000, 2.3456, 1.5);
    await expectRange(jane, jane16k, 16_000, 7.0001, 30);
    const jane48k = (await decodeAudio(JANE, { sampleRate: 48_000 })).samples;
    await expectRange(jane, jane48k, 48_000, 3.21, 2);
    const hallo44k = (await decodeAudio(HALLO, { sampleRate: 44_100 })).samples;
    const hallo16k = (await decodeAudio(HALLO, { sampleRate: 16_000 })).samples;
    await expectRange(hallo, hallo44k, 44_100, 1.000_01, 0.75);
    await expectRange(hallo, hallo16k, 16_000, 5.5, 1);
    expect(maxDiff(await expectRange(hallo, hallo44k, 44_100, 0.05, 0.01), new Float32Array(441))).toBeGreaterThan(0); // not silence
  });

  it('past the end returns the shorter remainder, and nothing at or after the end', async () => {
    t = await openTestStudio();
    const jane = await t.importFile(JANE);
    const tail = await expectRange(jane, jane16k, 16_000, 15.25, 2);
    expect(tail.length).toBe(jane16k.length - 15.25 * 16_000);
    for (const startS of [jane.durationS!, jane.durationS! + 0.5, 100]) {
      const reply = await t.call('media.pcm', { mediaId: jane.id, startS, durationS: 1, sampleRate: 16_000 });
      expect(reply.bytes.length).toBe(0);
    }
  });
});
