/** Which clip drives the face, and how (src/shared/bake/face-source.ts), against a slow reference. */
import { describe, expect, it } from 'vitest';
import { faceClips, faceSourceAt, writeFaceOffsets, type FaceSource } from '../../../src/shared/bake/face-source.ts';
import { restWeightAt, type BakedTiming } from '../../../src/shared/bake/offset-interpolation.ts';
import type { AudioClip, Track, TrackKind } from '../../../src/shared/project/types.ts';
import { seededPrng, type Prng } from '../../helpers/prng.ts';

interface Project {
  clips: AudioClip[];
  tracks: Track[];
  mediaDurations: Map<string, number>;
  timings: Map<string, BakedTiming>;
}

/** A small random project: ties in start and track position, muted, solo and non-audio tracks, missing media, crossed trims. */
function randomProject(prng: Prng): Project {
  const kinds: TrackKind[] = ['audio', 'audio', 'audio', 'camera', 'timewarp'];
  const tracks: Track[] = Array.from({ length: prng.int(1, 4) }, (_, i) => ({
    id: `t${i}`,
    kind: prng.pick(kinds),
    name: `t${i}`,
    position: prng.int(0, 2),
    muted: prng.next() < 0.2,
    solo: prng.next() < 0.15,
    gain: 1,
  }));
  const mediaDurations = new Map<string, number>();
  for (const id of ['m0', 'm1', 'm2']) if (prng.next() < 0.9) mediaDurations.set(id, 0.05 + prng.int(0, 40) / 10);
  const clips: AudioClip[] = Array.from({ length: prng.int(0, 6) }, (_, i) => ({
    id: `c${i}`,
    // Tracks that do not exist drive nothing.
    trackId: `t${prng.int(0, 4)}`,
    mediaId: prng.pick(['m0', 'm1', 'm2', 'm3']),
    startS: prng.int(0, 12) / 2,
    trimInS: prng.next() < 0.5 ? 0 : prng.int(0, 10) / 10,
    trimOutS: prng.next() < 0.5 ? 0 : prng.int(0, 10) / 10,
    gain: 1,
  }));
  const timings = new Map<string, BakedTiming>();
  for (const c of clips) if (prng.next() < 0.8) timings.set(c.id, { fps: prng.pick([24, 25, 30]), frames: prng.int(0, 120) });
  return { clips, tracks, mediaDurations, timings };
}

interface Expected {
  clipId: string;
  localS: number;
  durationS: number;
  /** Fractional frame the offsets stand at, or null without a bake or with an empty one. */
  framePosition: number | null;
}

/**
 * The rule spelled out the slow way: every clip on a heard audio track (not muted; solo only while
 * some audio track is solo) with positive length that covers animS; the latest start wins, then the
 * lowest track position, then the first in the list; its frame position is local * fps clamped to
 * the bake.
 */
function reference(project: Project, animS: number): Expected | null {
  const audio = project.tracks.filter((t) => t.kind === 'audio');
  const anySolo = audio.some((t) => t.solo);
  const covering: Array<{ clip: AudioClip; durationS: number; position: number; index: number }> = [];
  project.clips.forEach((clip, index) => {
    const track = audio.find((t) => t.id === clip.trackId);
    if (track === undefined || track.muted || (anySolo && !track.solo)) return;
    const mediaS = project.mediaDurations.get(clip.mediaId);
    if (mediaS === undefined) return;
    const durationS = mediaS - clip.trimInS - clip.trimOutS;
    if (!(durationS > 0)) return;
    if (animS >= clip.startS && animS < clip.startS + durationS) covering.push({ clip, durationS, position: track.position, index });
  });
  covering.sort((x, y) => y.clip.startS - x.clip.startS || x.position - y.position || x.index - y.index);
  const winner = covering[0];
  if (winner === undefined) return null;
  const localS = animS - winner.clip.startS;
  const timing = project.timings.get(winner.clip.id);
  const framePosition = timing && timing.frames > 0 ? Math.min(timing.frames - 1, Math.max(0, localS * timing.fps)) : null;
  return { clipId: winner.clip.id, localS, durationS: winner.durationS, framePosition };
}

function sourceAt(project: Project, animS: number): FaceSource | null {
  const clips = faceClips(project.clips, project.tracks, project.mediaDurations);
  return faceSourceAt(clips, animS, (clipId) => project.timings.get(clipId) ?? null);
}

describe('faceSourceAt', () => {
  it('picks the clip, frames and rest weight the reference does, over random projects', () => {
    let driven = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const prng = seededPrng(seed);
      const project = randomProject(prng);
      const times = [...project.clips.flatMap((c) => [c.startS, c.startS - 1e-9, c.startS + 0.04]), ...Array.from({ length: 20 }, () => prng.next() * 10 - 0.5)];
      for (const animS of times) {
        const where = `seed ${seed}, a = ${animS}`;
        const expected = reference(project, animS);
        const got = sourceAt(project, animS);
        if (expected === null) {
          expect(got, where).toBeNull();
          continue;
        }
        driven++;
        expect(got?.clip.clip.id, where).toBe(expected.clipId);
        expect(got!.clip.durationS, where).toBeCloseTo(expected.durationS, 12);
        expect(got!.localS, where).toBe(expected.localS);
        expect(got!.timing, where).toBe(project.timings.get(expected.clipId) ?? null);
        // restWeightAt has tests of its own (offset-interpolation.test.ts); here: fed the right clip.
        expect(got!.restWeight, where).toBe(restWeightAt(expected.localS, expected.durationS));
        if (expected.framePosition === null) {
          expect(got!.frames, where).toBeNull();
          continue;
        }
        const { lower, upper, weight } = got!.frames!;
        expect(upper - lower === 0 || upper - lower === 1, where).toBe(true);
        expect(weight >= 0 && weight < 1, where).toBe(true);
        // frameBracket snaps within 1e-6 frames of a frame (its ON_FRAME_TOLERANCE).
        expect(Math.abs(lower + weight * (upper - lower) - expected.framePosition), where).toBeLessThan(1e-6);
      }
    }
    // The random projects must exercise the clip case, not only the rest pose.
    expect(driven).toBeGreaterThan(500);
  });

  it('prefers the newest clip, then the upper track; skips muted and non-solo tracks', () => {
    const track = (id: string, position: number, extra: Partial<Track> = {}): Track => ({ id, kind: 'audio', name: id, position, muted: false, solo: false, gain: 1, ...extra });
    const clip = (id: string, trackId: string, startS: number): AudioClip => ({ id, trackId, mediaId: 'm', startS, trimInS: 0, trimOutS: 0, gain: 1 });
    const base: Project = {
      clips: [clip('old', 'low', 0), clip('new', 'low', 1), clip('upper', 'high', 1)],
      tracks: [track('low', 1), track('high', 0)],
      mediaDurations: new Map([['m', 3]]),
      timings: new Map(),
    };
    expect(sourceAt(base, 0.5)?.clip.clip.id).toBe('old');
    expect(sourceAt(base, 1.5)?.clip.clip.id).toBe('upper');
    expect(sourceAt({ ...base, tracks: [track('low', 1), track('high', 0, { muted: true })] }, 1.5)?.clip.clip.id).toBe('new');
    expect(sourceAt({ ...base, tracks: [track('low', 1, { solo: true }), track('high', 0)] }, 1.5)?.clip.clip.id).toBe('new');
    expect(sourceAt(base, 4)).toBeNull();
  });
});

describe('writeFaceOffsets', () => {
  const N3 = 6; // two splats, xyz
  /** Value k of baked frame f: distinct per frame and value. */
  const baked = (f: number, k: number): number => 0.5 + f * 0.01 + k * 0.001;
  const rest = Float32Array.from({ length: N3 }, (_, k) => -1 - k * 0.1);
  const read = (frame: number): Float32Array => Float32Array.from({ length: N3 }, (_, k) => baked(frame, k));

  /** Slow reference: frames at i / fps, linear between, the end frames outside, then eased to rest. */
  function expectedValue(source: FaceSource, timing: BakedTiming, restValues: Float32Array | null, k: number): number {
    const x = Math.min(timing.frames - 1, Math.max(0, source.localS * timing.fps));
    const lower = Math.floor(x);
    const upper = Math.min(timing.frames - 1, lower + 1);
    const clipValue = baked(lower, k) + (x - lower) * (baked(upper, k) - baked(lower, k));
    return clipValue + source.restWeight * ((restValues?.[k] ?? 0) - clipValue);
  }

  it('interpolates the baked frames and eases them to the rest pose near the clip ends', () => {
    const prng = seededPrng(7);
    const timing: BakedTiming = { fps: 25, frames: 51 };
    const clips = faceClips([{ id: 'c', trackId: 't', mediaId: 'm', startS: 1, trimInS: 0, trimOutS: 0, gain: 1 }], [{ id: 't', kind: 'audio', name: 't', position: 0, muted: false, solo: false, gain: 1 }], new Map([['m', 2]]));
    const out = new Float32Array(N3);
    for (let i = 0; i < 200; i++) {
      const animS = 1 + prng.next() * 2;
      const restValues = prng.next() < 0.5 ? rest : null;
      const source = faceSourceAt(clips, animS, () => timing)!;
      expect(writeFaceOffsets(source, read, restValues, out)).toBe(true);
      // Values near 1 in float32 (ulp 1.2e-7): 1e-6 leaves room for float32 interpolation and blend.
      for (let k = 0; k < N3; k++) expect(Math.abs(out[k]! - expectedValue(source, timing, restValues, k)), `a = ${animS}, k = ${k}`).toBeLessThan(1e-6);
    }
  });

  it('writes nothing it cannot stand behind: no timing, an empty bake, a missing frame', () => {
    const clips = faceClips([{ id: 'c', trackId: 't', mediaId: 'm', startS: 0, trimInS: 0, trimOutS: 0, gain: 1 }], [{ id: 't', kind: 'audio', name: 't', position: 0, muted: false, solo: false, gain: 1 }], new Map([['m', 2]]));
    const out = new Float32Array(N3);
    expect(writeFaceOffsets(faceSourceAt(clips, 1, () => null)!, read, rest, out)).toBe(false);
    expect(writeFaceOffsets(faceSourceAt(clips, 1, () => ({ fps: 25, frames: 0 }))!, read, rest, out)).toBe(false);
    expect(writeFaceOffsets(faceSourceAt(clips, 1.01, () => ({ fps: 25, frames: 50 }))!, (f) => (f === 25 ? read(f) : null), rest, out)).toBe(false);
  });
});
