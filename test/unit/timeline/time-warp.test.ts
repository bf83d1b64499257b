/**
 * Time warp (issue 6, bullet time): the output-to-animation map, checked against the 1 ms walk in
 * slow-time-warp.ts and against the properties the issue names (monotone, freezes, slow segments,
 * inverse where defined).
 */
import { describe, expect, it } from 'vitest';
import type { TimeWarpAudioMode } from '../../../src/shared/project/types.ts';
import { animationTimeAt, outputTimeAt, validateSegments, warpPieces } from '../../../src/shared/timeline/time-warp.ts';
import { seededPrng, type Prng } from '../../helpers/prng.ts';
import { slowWarp, type SlowSegment } from './slow-time-warp.ts';

/** Float noise of a few operations on times of tens of seconds; far below a microsecond. */
const EXACT = 1e-9;

function segment(startS: number, endS: number, rate: number, audioMode: TimeWarpAudioMode): SlowSegment {
  return { startS, endS, rate, audioMode };
}

/** Non-overlapping segments in [0, spanMs), shuffled; on the slow twin's grids when `onGrid`. */
function randomSegments(prng: Prng, spanMs: number, onGrid: boolean): SlowSegment[] {
  const count = prng.int(0, 6);
  const cuts = Array.from({ length: 2 * count }, () => (onGrid ? prng.int(0, spanMs) : prng.next() * spanMs)).sort((x, y) => x - y);
  const segments: SlowSegment[] = [];
  for (let i = 0; i < count; i++) {
    const [start, end] = [cuts[2 * i]!, cuts[2 * i + 1]!];
    if (end <= start) continue;
    // Half of the touching cases are made on purpose: a segment may start where the previous ended.
    const touching = i > 0 && prng.next() < 0.2 && segments.length > 0 ? segments[segments.length - 1]!.endS * 1000 : start;
    const rate = prng.pick([0, 0, onGrid ? prng.int(1, 99) / 100 : prng.next() * 0.99]);
    segments.push(segment(touching / 1000, end / 1000, rate, prng.pick(['pause', 'silence'] as const)));
  }
  for (let i = segments.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [segments[i], segments[j]] = [segments[j]!, segments[i]!];
  }
  return segments;
}

describe('animationTimeAt', () => {
  it('is the identity without segments', () => {
    for (const t of [-3, 0, 0.04, 17.25, 3600]) expect(animationTimeAt([], t)).toBe(t);
  });

  it('is monotone over a dense sweep for random segment sets, sorted or not', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const prng = seededPrng(seed);
      const segments = randomSegments(prng, 20_000, seed % 2 === 0);
      let previous = -Infinity;
      const decreases: string[] = [];
      for (let t = -1; t < 22; t += 0.00037) {
        const a = animationTimeAt(segments, t);
        if (a < previous) decreases.push(`seed ${seed}: a(${t}) = ${a} < ${previous}`);
        previous = a;
      }
      expect(decreases).toEqual([]);
    }
  });

  it('a freeze holds one animation time for its whole length, in both audio modes', () => {
    for (const mode of ['pause', 'silence'] as const) {
      const segments = [segment(2, 3.5, 0, mode)];
      for (let t = 2; t < 3.5; t += 0.01) expect(animationTimeAt(segments, t)).toBe(2);
    }
  });

  it('a slow segment advances at its rate', () => {
    for (const mode of ['pause', 'silence'] as const) {
      const segments = [segment(1, 2, 0, 'pause'), segment(4, 7, 0.25, mode)];
      const a0 = animationTimeAt(segments, 4);
      expect(a0).toBeCloseTo(3, 12);
      for (const [t1, t2] of [[4, 5], [4.5, 6.9], [5.1, 5.2]] as const) {
        expect((animationTimeAt(segments, t2) - animationTimeAt(segments, t1)) / (t2 - t1)).toBeCloseTo(0.25, 9);
      }
    }
  });

  it("'pause' delays everything after it by (1 - rate) * length", () => {
    for (const rate of [0, 0.3, 0.9]) {
      const segments = [segment(2, 6, rate, 'pause')];
      for (const t of [6, 6.5, 10, 100]) expect(animationTimeAt(segments, t)).toBeCloseTo(t - (1 - rate) * 4, 12);
      expect(animationTimeAt(segments, 1.5)).toBe(1.5);
    }
  });

  it("'silence' leaves everything after it at its own time", () => {
    for (const rate of [0, 0.3, 0.9]) {
      const segments = [segment(2, 6, rate, 'silence')];
      for (const t of [6, 6.5, 10, 100]) expect(animationTimeAt(segments, t)).toBeCloseTo(t, 12);
      expect(animationTimeAt(segments, 5.999)).toBeCloseTo(2 + rate * 3.999, 12);
    }
  });

  it('pause and silence segments compose', () => {
    const segments = [segment(5, 6, 0, 'silence'), segment(1, 3, 0.5, 'pause'), segment(6, 8, 0, 'pause')];
    // 1 s lost to the slow pause, 2 s to the frozen pause; the silence costs nothing afterwards.
    expect(animationTimeAt(segments, 10)).toBeCloseTo(7, 12);
    expect(animationTimeAt(segments, 5.5)).toBeCloseTo(4, 12); // frozen at a(5) = 5 - 1
    expect(animationTimeAt(segments, 7)).toBeCloseTo(5, 12); // back on the line a = t - 1, then frozen
  });
});

describe('warpPieces', () => {
  it('cover the range contiguously and match the 1 ms walk', () => {
    for (let seed = 100; seed < 160; seed++) {
      const prng = seededPrng(seed);
      const segments = randomSegments(prng, 12_000, true);
      const fromMs = prng.int(-500, 6_000);
      const toMs = fromMs + prng.int(1, 8_000);
      const pieces = warpPieces(segments, fromMs / 1000, toMs / 1000);
      expect(pieces[0]!.outStartS).toBe(fromMs / 1000);
      expect(pieces[pieces.length - 1]!.outEndS).toBe(toMs / 1000);
      for (let i = 0; i < pieces.length; i++) {
        expect(pieces[i]!.outEndS).toBeGreaterThan(pieces[i]!.outStartS);
        if (i > 0) expect(pieces[i]!.outStartS).toBe(pieces[i - 1]!.outEndS);
      }
      let index = 0;
      for (const sample of slowWarp(segments, fromMs, toMs)) {
        while (sample.outputS >= pieces[index]!.outEndS - EXACT) index++;
        const piece = pieces[index]!;
        const where = `seed ${seed} at ${sample.outputS} s`;
        expect(piece.animStartS + piece.rate * (sample.outputS - piece.outStartS), where).toBeCloseTo(sample.animS, 9);
        expect(piece.rate, where).toBeCloseTo(sample.rate, 12);
        expect(piece.audible, where).toBe(sample.audible);
        expect(animationTimeAt(segments, sample.outputS), where).toBeCloseTo(sample.animS, 9);
      }
    }
  });

  it('marks every segment silent, in both modes, and the rest audible', () => {
    const pieces = warpPieces([segment(1, 2, 0, 'pause'), segment(2, 3, 0.5, 'silence')], 0, 4);
    expect(pieces.map((p) => [p.outStartS, p.outEndS, p.animStartS, p.rate, p.audible])).toEqual([
      [0, 1, 0, 1, true],
      [1, 2, 1, 0, false],
      [2, 3, 1, 0.5, false],
      [3, 4, 2, 1, true],
    ]);
  });

  it('is empty for an empty range', () => {
    expect(warpPieces([], 3, 3)).toEqual([]);
    expect(warpPieces([], 3, 2)).toEqual([]);
  });
});

describe('outputTimeAt', () => {
  it('inverts the map where it is defined and returns the earliest output time', () => {
    for (let seed = 200; seed < 260; seed++) {
      const prng = seededPrng(seed);
      const segments = randomSegments(prng, 20_000, seed % 2 === 0);
      for (let i = 0; i < 200; i++) {
        const a = prng.next() * 22 - 1;
        const t = outputTimeAt(segments, a);
        if (t === null) continue;
        expect(animationTimeAt(segments, t), `seed ${seed} a ${a}`).toBeCloseTo(a, 9);
        expect(animationTimeAt(segments, t - 1e-6), `seed ${seed} a ${a}`).toBeLessThan(a);
      }
      // And back: every output time's animation time has an output time showing it.
      for (let i = 0; i < 200; i++) {
        const t = prng.next() * 22 - 1;
        const a = animationTimeAt(segments, t);
        const earliest = outputTimeAt(segments, a);
        expect(earliest, `seed ${seed} t ${t}`).not.toBeNull();
        expect(earliest!, `seed ${seed} t ${t}`).toBeLessThanOrEqual(t + EXACT);
        expect(animationTimeAt(segments, earliest!)).toBeCloseTo(a, 9);
      }
    }
  });

  it("is null exactly for the animation skipped at the end of a 'silence' segment", () => {
    const freeze = [segment(2, 4, 0, 'silence')];
    expect(outputTimeAt(freeze, 2)).toBe(2);
    expect(outputTimeAt(freeze, 2.0001)).toBeNull();
    expect(outputTimeAt(freeze, 3.9999)).toBeNull();
    expect(outputTimeAt(freeze, 4)).toBe(4);
    const slow = [segment(2, 4, 0.5, 'silence')];
    expect(outputTimeAt(slow, 2.5)).toBeCloseTo(3, 12);
    expect(outputTimeAt(slow, 3)).toBeNull(); // a(4-) = 3, and at 4 it is already 4
    expect(outputTimeAt(slow, 3.5)).toBeNull();
    expect(outputTimeAt(slow, 5)).toBe(5);
  });

  it("a 'pause' freeze shows its frozen time from its start and skips nothing", () => {
    const freeze = [segment(2, 4, 0, 'pause')];
    expect(outputTimeAt(freeze, 2)).toBe(2);
    expect(outputTimeAt(freeze, 2.5)).toBe(4.5);
    expect(outputTimeAt(freeze, 1)).toBe(1);
  });

  it('a silence jump straight into the next segment is still a jump', () => {
    const segments = [segment(2, 4, 0, 'silence'), segment(4, 5, 0, 'pause')];
    expect(animationTimeAt(segments, 4.5)).toBe(4);
    expect(outputTimeAt(segments, 3)).toBeNull();
    expect(outputTimeAt(segments, 4)).toBe(4);
    expect(outputTimeAt(segments, 4.5)).toBe(5.5);
  });
});

describe('validateSegments', () => {
  it('accepts touching and unsorted segments', () => {
    expect(validateSegments([])).toBeNull();
    expect(validateSegments([segment(3, 4, 0, 'pause'), segment(1, 3, 0.5, 'silence')])).toBeNull();
  });

  it('names overlaps, empty segments and bad rates', () => {
    expect(validateSegments([segment(3, 5, 0, 'pause'), segment(1, 3.5, 0, 'pause')])).toMatch(/overlap: 1\.\.3\.5 s and 3\.\.5 s/);
    expect(validateSegments([segment(3, 3, 0, 'pause')])).toMatch(/end after it starts/);
    expect(validateSegments([segment(1, 2, 1, 'pause')])).toMatch(/rate/);
    expect(validateSegments([segment(1, 2, -0.1, 'pause')])).toMatch(/rate/);
    expect(validateSegments([segment(1, Infinity, 0, 'pause')])).toMatch(/non-finite/);
  });

  it('the maps refuse what it refuses, with its message', () => {
    const overlapping = [segment(1, 3, 0, 'pause'), segment(2, 4, 0, 'silence')];
    expect(() => animationTimeAt(overlapping, 0)).toThrow(RangeError);
    expect(() => outputTimeAt(overlapping, 0)).toThrow(/overlap/);
    expect(() => warpPieces(overlapping, 0, 1)).toThrow(RangeError);
  });
});
