/**
 * The audio schedule (playback now, the export mix in issue 7) against a slow reference that asks,
 * for every millisecond of output time, which sample of which clip should sound.
 */
import { describe, expect, it } from 'vitest';
import type { AudioClip, TimeWarpSegment, Track } from '../../../src/shared/project/types.ts';
import { audioSpans, type AudioScheduleInput, type AudioSpan } from '../../../src/shared/timeline/audio-schedule.ts';
import { seededPrng, type Prng } from '../../helpers/prng.ts';
import { slowWarp } from './slow-time-warp.ts';

function track(id: string, options: Partial<Track> = {}): Track {
  return { id, kind: 'audio', name: id, position: 0, muted: false, solo: false, gain: 1, ...options };
}

function clip(id: string, trackId: string, mediaId: string, startS: number, options: Partial<AudioClip> = {}): AudioClip {
  return { id, trackId, mediaId, startS, trimInS: 0, trimOutS: 0, gain: 1, ...options };
}

function warp(startS: number, endS: number, rate: number, audioMode: TimeWarpSegment['audioMode']): TimeWarpSegment {
  return { id: `w${startS}`, startS, endS, rate, audioMode, clipId: null };
}

interface Heard {
  clipId: string;
  mediaS: number;
  gain: number;
}

/** What should sound at `sample` (the 1 ms walk gives animation time and audibility). */
function slowHeard(input: AudioScheduleInput, animS: number, audible: boolean): Heard[] {
  if (!audible) return [];
  const anySolo = input.tracks.some((t) => t.solo);
  const heard: Heard[] = [];
  for (const c of input.clips) {
    const t = input.tracks.find((candidate) => candidate.id === c.trackId)!;
    if (t.muted || (anySolo && !t.solo)) continue;
    const lengthS = input.mediaDurations.get(c.mediaId)! - c.trimInS - c.trimOutS;
    if (animS >= c.startS && animS < c.startS + lengthS) heard.push({ clipId: c.id, mediaS: c.trimInS + (animS - c.startS), gain: t.gain * c.gain });
  }
  return heard.sort((x, y) => x.clipId.localeCompare(y.clipId));
}

function heardFromSpans(spans: readonly AudioSpan[], outputS: number): Heard[] {
  return spans
    .filter((s) => s.outputStartS <= outputS && outputS < s.outputStartS + s.durationS)
    .map((s) => ({ clipId: s.clipId, mediaS: s.mediaStartS + (outputS - s.outputStartS), gain: s.gain }))
    .sort((x, y) => x.clipId.localeCompare(y.clipId));
}

/** Compares at the middle of every millisecond of [fromMs, toMs), away from every ms-grid seam. */
function expectMatchesReference(input: AudioScheduleInput, fromMs: number, toMs: number, label: string): void {
  const spans = audioSpans(input, fromMs / 1000, toMs / 1000);
  const mismatches: string[] = [];
  for (const sample of slowWarp(input.segments, fromMs, toMs)) {
    const outputS = sample.outputS + 0.0005;
    const want = slowHeard(input, sample.animS + sample.rate * 0.0005, sample.audible);
    const got = heardFromSpans(spans, outputS);
    const same = want.length === got.length && want.every((w, i) => w.clipId === got[i]!.clipId && Math.abs(w.mediaS - got[i]!.mediaS) < 1e-9 && w.gain === got[i]!.gain);
    if (!same && mismatches.length < 5) mismatches.push(`${label} at ${outputS} s: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  expect(mismatches).toEqual([]);
  for (const span of spans) {
    expect(span.durationS).toBeGreaterThan(0);
    expect(span.outputStartS).toBeGreaterThanOrEqual(fromMs / 1000 - 1e-12);
    expect(span.outputStartS + span.durationS).toBeLessThanOrEqual(toMs / 1000 + 1e-9);
  }
  for (let i = 1; i < spans.length; i++) expect(spans[i]!.outputStartS).toBeGreaterThanOrEqual(spans[i - 1]!.outputStartS);
}

describe('audioSpans', () => {
  const media = new Map([
    ['m4', 4],
    ['m2', 2],
  ]);

  it('plays a trimmed clip at its place with track gain x clip gain', () => {
    const input = { clips: [clip('c', 't', 'm4', 1, { trimInS: 0.5, trimOutS: 1, gain: 0.5 })], tracks: [track('t', { gain: 0.8 })], mediaDurations: media, segments: [] };
    expect(audioSpans(input, 0, 10)).toEqual([{ clipId: 'c', mediaId: 'm4', mediaStartS: 0.5, durationS: 2.5, outputStartS: 1, gain: 0.4 }]);
    // The range cuts the clip, and the media offset follows.
    expect(audioSpans(input, 2, 3)).toEqual([{ clipId: 'c', mediaId: 'm4', mediaStartS: 1.5, durationS: 1, outputStartS: 2, gain: 0.4 }]);
  });

  it("pauses speech across a 'pause' freeze and resumes where it stopped", () => {
    const input = { clips: [clip('c', 't', 'm4', 1)], tracks: [track('t')], mediaDurations: media, segments: [warp(2, 3, 0, 'pause')] };
    expect(audioSpans(input, 0, 10).map((s) => [s.outputStartS, s.mediaStartS, s.durationS])).toEqual([
      [1, 0, 1],
      [3, 1, 3],
    ]);
  });

  it("silences a 'silence' freeze and skips the speech under it", () => {
    const input = { clips: [clip('c', 't', 'm4', 1)], tracks: [track('t')], mediaDurations: media, segments: [warp(2, 3, 0, 'silence')] };
    expect(audioSpans(input, 0, 10).map((s) => [s.outputStartS, s.mediaStartS, s.durationS])).toEqual([
      [1, 0, 1],
      [3, 2, 2],
    ]);
  });

  it('mute and solo pick the tracks that sound', () => {
    const clips = [clip('a', 'ta', 'm2', 0), clip('b', 'tb', 'm2', 0), clip('c', 'tc', 'm2', 0)];
    const ids = (tracks: Track[]): string[] => audioSpans({ clips, tracks, mediaDurations: media, segments: [] }, 0, 5).map((s) => s.clipId);
    expect(ids([track('ta'), track('tb'), track('tc')])).toEqual(['a', 'b', 'c']);
    expect(ids([track('ta', { muted: true }), track('tb'), track('tc')])).toEqual(['b', 'c']);
    expect(ids([track('ta'), track('tb', { solo: true }), track('tc')])).toEqual(['b']);
    expect(ids([track('ta', { solo: true }), track('tb', { solo: true, muted: true }), track('tc')])).toEqual(['a']);
  });

  it('leaves out clips without a known media duration or track', () => {
    const input = { clips: [clip('x', 't', 'unknown', 0), clip('y', 'gone', 'm2', 0)], tracks: [track('t')], mediaDurations: media, segments: [] };
    expect(audioSpans(input, 0, 5)).toEqual([]);
  });

  it('matches the per-millisecond reference on random timelines', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const prng = seededPrng(seed);
      const input = randomTimeline(prng);
      const fromMs = prng.int(0, 4_000);
      expectMatchesReference(input, fromMs, fromMs + prng.int(1, 9_000), `seed ${seed}`);
    }
  });
});

function randomTimeline(prng: Prng): AudioScheduleInput {
  const mediaDurations = new Map<string, number>([
    ['m0', 0.5 + prng.next() * 4],
    ['m1', 0.5 + prng.next() * 4],
  ]);
  const tracks = ['t0', 't1', 't2'].map((id) => track(id, { muted: prng.next() < 0.2, solo: prng.next() < 0.15, gain: prng.pick([1, 0.5, 1.5]) }));
  const clips = Array.from({ length: prng.int(1, 6) }, (_, i) => {
    const mediaId = prng.pick(['m0', 'm1']);
    const duration = mediaDurations.get(mediaId)!;
    const trimInS = prng.next() < 0.5 ? 0 : prng.next() * duration * 0.4;
    const trimOutS = prng.next() < 0.5 ? 0 : prng.next() * duration * 0.4;
    return clip(`c${i}`, prng.pick(['t0', 't1', 't2']), mediaId, prng.next() * 8, { trimInS, trimOutS, gain: prng.pick([1, 0.25, 2]) });
  });
  // Segments on the reference's grids: whole milliseconds, rates in hundredths.
  const segments: TimeWarpSegment[] = [];
  let cursorMs = prng.int(0, 1_500);
  for (let i = prng.int(0, 4); i > 0; i--) {
    const lengthMs = prng.int(1, 2_000);
    segments.push(warp(cursorMs / 1000, (cursorMs + lengthMs) / 1000, prng.pick([0, 0, prng.int(1, 99) / 100]), prng.pick(['pause', 'silence'] as const)));
    cursorMs += lengthMs + prng.pick([0, prng.int(1, 2_000)]);
  }
  return { clips, tracks, mediaDurations, segments: segments.reverse() };
}
