import { describe, expect, it } from 'vitest';
import { OffsetStream, type OffsetFetcher, type OffsetSources } from '../../../src/renderer/src/preview/offset-stream.ts';
import type { BakeOffsets, BakeStatus } from '../../../src/shared/api/engine-types.ts';
import { restWeightAt } from '../../../src/shared/bake/offset-interpolation.ts';
import type { AudioClip, TimeWarpSegment, Track } from '../../../src/shared/project/types.ts';

const N = 4;
const FPS = 25;

/** Offset of splat i, component c in frame f of a clip: distinct per clip, frame and value. */
const bakedValue = (clipSeed: number, f: number, i: number, c: number): number => clipSeed + f * 0.01 + i * 0.001 + c * 0.0001;
const restValue = (i: number, c: number): number => -1 - i * 0.001 - c * 0.0001;

const seedOf = (clipId: string): number => (clipId === 'c1' ? 1 : 2);

interface Request {
  clipId: string;
  first: number;
  count: number;
  signal: AbortSignal;
  resolve(): void;
  reject(error: Error): void;
}

/** Answers only when the test says so, so it can interleave snapshot changes with fetches. */
function manualFetcher(numSplats = N) {
  const requests: Request[] = [];
  let restRequests = 0;
  const fetcher: OffsetFetcher = {
    offsets(clipId, first, count, signal) {
      return new Promise<BakeOffsets>((resolve, reject) => {
        requests.push({
          clipId,
          first,
          count,
          signal,
          resolve() {
            const values = new Float32Array(count * numSplats * 3);
            for (let f = 0; f < count; f++) for (let i = 0; i < numSplats; i++) for (let c = 0; c < 3; c++) values[(f * numSplats + i) * 3 + c] = bakedValue(seedOf(clipId), first + f, i, c);
            resolve({ clipId, fps: FPS, numSplats, firstFrame: first, count, bytes: new Uint8Array(values.buffer) });
          },
          reject,
        });
      });
    },
    restOffsets() {
      restRequests++;
      const values = new Float32Array(numSplats * 3);
      for (let i = 0; i < numSplats; i++) for (let c = 0; c < 3; c++) values[3 * i + c] = restValue(i, c);
      return Promise.resolve({ numSplats, bytes: new Uint8Array(values.buffer) });
    },
  };
  return {
    fetcher,
    requests,
    restRequests: () => restRequests,
    async answerAll() {
      while (requests.length > 0) {
        for (const r of requests.splice(0)) r.resolve();
        await flush();
      }
    },
  };
}

const flush = () => new Promise<void>((done) => setTimeout(done, 0));

const track = (id: string, position: number, extra: Partial<Track> = {}): Track => ({ id, kind: 'audio', name: id, position, muted: false, solo: false, gain: 1, ...extra });
const clip = (id: string, startS: number, extra: Partial<AudioClip> = {}): AudioClip => ({ id, trackId: 't1', mediaId: 'm1', startS, trimInS: 0, trimOutS: 0, gain: 1, ...extra });
const done = (clipId: string, total: number): BakeStatus => ({ clipId, state: 'done', done: total, total, fps: FPS, error: null });

function sources(extra: Partial<OffsetSources> = {}): OffsetSources {
  // m1 lasts 4 s: c1 plays animation time [1, 5).
  return {
    avatarKey: 'a1:v1',
    avatarId: 'a1',
    numSplats: N,
    clips: [clip('c1', 1)],
    tracks: [track('t1', 0)],
    mediaDurations: new Map([['m1', 4]]),
    timeWarp: [],
    statuses: new Map([['c1', done('c1', 100)]]),
    ...extra,
  };
}

/**
 * The obviously-correct value: frames at i / fps, linear between, the end frames outside, eased
 * to the rest pose near the clip's ends.
 */
function reference(clipSeed: number, local: number, durationS: number, frames: number, i: number, c: number): number {
  const x = Math.min(frames - 1, Math.max(0, local * FPS));
  const lower = Math.floor(x);
  const upper = Math.min(frames - 1, lower + 1);
  const w = x - lower;
  const clipValue = (1 - w) * bakedValue(clipSeed, lower, i, c) + w * bakedValue(clipSeed, upper, i, c);
  const r = restWeightAt(local, durationS);
  return clipValue + r * (restValue(i, c) - clipValue);
}

describe('OffsetStream', () => {
  it('shows the rest pose between clips and calls it final', async () => {
    const fake = manualFetcher();
    const stream = new OffsetStream({ fetcher: fake.fetcher });
    stream.setSources(sources());
    await flush();
    const out = new Float32Array(N * 3);
    const sample = stream.sample(0.5, out);
    expect(sample).toMatchObject({ state: 'rest', baked: true, clipId: null, animS: 0.5 });
    expect(out[5]).toBeCloseTo(restValue(1, 2), 6);
  });

  it('fetches the frames it needs, then matches the reference between and on frames', async () => {
    const fake = manualFetcher();
    let arrivals = 0;
    const stream = new OffsetStream({ fetcher: fake.fetcher, onData: () => arrivals++ });
    stream.setSources(sources());
    await flush();
    const out = new Float32Array(N * 3);
    const first = stream.sample(2.013, out);
    expect(first).toMatchObject({ state: 'loading', baked: false, clipId: 'c1' });
    expect(out[0]).toBeCloseTo(restValue(0, 0), 6);
    expect(fake.requests.map((r) => r.first)).toContain(25);
    await fake.answerAll();
    expect(arrivals).toBeGreaterThan(0);
    for (const t of [2.013, 2.04, 2.5, 1.02, 4.97]) {
      const sample = stream.sample(t, out);
      await fake.answerAll();
      const again = stream.sample(t, out);
      expect(again.state, `t = ${t} (first try ${sample.state})`).toBe('clip');
      // Values near 1 in float32 (ulp 1.2e-7): 5e-6 leaves room for the float32 interpolation.
      for (let i = 0; i < N; i++) for (let c = 0; c < 3; c++) expect(out[3 * i + c]).toBeCloseTo(reference(1, t - 1, 4, 100, i, c), 5);
    }
  });

  it('holds the picture through a freeze: output time maps to animation time first', async () => {
    const fake = manualFetcher();
    const stream = new OffsetStream({ fetcher: fake.fetcher });
    const freeze: Pick<TimeWarpSegment, 'startS' | 'endS' | 'rate' | 'audioMode'> = { startS: 2, endS: 4, rate: 0, audioMode: 'pause' };
    stream.setSources(sources({ timeWarp: [freeze] }));
    const a = new Float32Array(N * 3);
    const b = new Float32Array(N * 3);
    stream.sample(2.5, a);
    await fake.answerAll();
    expect(stream.sample(2.5, a).animS).toBe(2);
    expect(stream.sample(3.9, b).animS).toBe(2);
    expect([...b]).toEqual([...a]);
    // After a 'pause' freeze the animation resumes where it stopped: 4.5 s shows 2.5 s.
    expect(stream.sample(4.5, b).animS).toBeCloseTo(2.5, 12);
  });

  it('shows the rest pose and the bake progress for a clip still baking', async () => {
    const fake = manualFetcher();
    const stream = new OffsetStream({ fetcher: fake.fetcher });
    const baking: BakeStatus = { clipId: 'c1', state: 'baking', done: 42, total: 100, fps: FPS, error: null };
    stream.setSources(sources({ statuses: new Map([['c1', baking]]) }));
    await flush();
    const out = new Float32Array(N * 3);
    const sample = stream.sample(2, out);
    expect(sample).toMatchObject({ state: 'baking', baked: false, progress: 0.42 });
    expect(out[0]).toBeCloseTo(restValue(0, 0), 6);
    expect(fake.requests).toHaveLength(0);
    stream.setSources(sources({ statuses: new Map([['c1', { ...baking, state: 'failed', error: 'boom' }]]) }));
    expect(stream.sample(2, out)).toMatchObject({ state: 'failed', baked: false, progress: null });
  });

  it('keeps its memory within the budget while playing a long clip through', async () => {
    const fake = manualFetcher();
    const frameBytes = N * 3 * 4;
    const budgetBytes = 10 * frameBytes;
    const stream = new OffsetStream({ fetcher: fake.fetcher, budgetBytes, chunkFrames: 25 });
    // 30 s of speech at 25 fps.
    stream.setSources(sources({ mediaDurations: new Map([['m1', 30]]), statuses: new Map([['c1', done('c1', 750)]]) }));
    const out = new Float32Array(N * 3);
    let shown = 0;
    for (let t = 1; t < 31; t += 0.04) {
      if (stream.sample(t, out).state === 'clip') shown++;
      await fake.answerAll();
      expect(stream.heldBytes).toBeLessThanOrEqual(budgetBytes);
    }
    // The budget allows 10 frames: chunks shrink to 2 frames (a quarter of it), all still reached.
    expect(shown).toBeGreaterThan(700);
  });

  it('drops fetches and frames made stale by a trim or a new avatar', async () => {
    const fake = manualFetcher();
    let arrivals = 0;
    const stream = new OffsetStream({ fetcher: fake.fetcher, onData: () => arrivals++ });
    stream.setSources(sources());
    await flush();
    arrivals = 0;
    const out = new Float32Array(N * 3);
    stream.sample(2, out);
    expect(fake.requests.length).toBeGreaterThan(0);
    const inFlight = fake.requests.slice();
    // The clip is trimmed: same id, another bake.
    stream.setSources(sources({ clips: [clip('c1', 1, { trimInS: 0.5 })], statuses: new Map([['c1', { ...done('c1', 88), state: 'baking', done: 3 }]]) }));
    expect(inFlight.every((r) => r.signal.aborted)).toBe(true);
    for (const r of inFlight) r.resolve();
    await flush();
    expect(arrivals).toBe(0);
    expect(stream.heldBytes).toBe(0);

    // Baked again, fetched; then a new avatar generation drops it all and asks for new rest offsets.
    stream.setSources(sources({ clips: [clip('c1', 1, { trimInS: 0.5 })], statuses: new Map([['c1', done('c1', 88)]]) }));
    stream.sample(2, out);
    await fake.answerAll();
    expect(stream.sample(2, out).state).toBe('clip');
    expect(stream.heldBytes).toBeGreaterThan(0);
    const restsBefore = fake.restRequests();
    stream.setSources(sources({ avatarKey: 'a1:v2', clips: [clip('c1', 1, { trimInS: 0.5 })], statuses: new Map([['c1', done('c1', 88)]]) }));
    expect(stream.heldBytes).toBe(0);
    expect(fake.restRequests()).toBe(restsBefore + 1);
  });

  it('lets the newest heard clip drive the face, skipping muted tracks', async () => {
    const fake = manualFetcher();
    const stream = new OffsetStream({ fetcher: fake.fetcher });
    const both = sources({
      clips: [clip('c1', 1), clip('c2', 2, { trackId: 't2' })],
      tracks: [track('t1', 0), track('t2', 1)],
      statuses: new Map([
        ['c1', done('c1', 100)],
        ['c2', done('c2', 100)],
      ]),
    });
    stream.setSources(both);
    const out = new Float32Array(N * 3);
    expect(stream.sample(1.5, out).clipId).toBe('c1');
    expect(stream.sample(2.5, out).clipId).toBe('c2');
    stream.setSources({ ...both, tracks: [track('t1', 0), track('t2', 1, { muted: true })] });
    expect(stream.sample(2.5, out).clipId).toBe('c1');
    stream.setSources({ ...both, tracks: [track('t1', 0, { solo: true }), track('t2', 1)] });
    expect(stream.sample(2.5, out).clipId).toBe('c1');
  });
});
