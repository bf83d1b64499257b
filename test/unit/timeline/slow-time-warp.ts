/**
 * A slow, obviously-correct twin of src/shared/timeline/time-warp.ts for the tests: it walks output
 * time in 1 ms steps and integrates animation time, straight from the wording of the semantics
 * (../../../src/shared/project/types.ts, TimeWarpAudioMode). Segment ends and rates must lie on the
 * grids below so that the walk is exact: times in whole milliseconds, rates in hundredths. Animation
 * time is kept in integer units of 10 microseconds (1 ms at rate k/100 advances k units).
 */
import type { TimeWarpSegment } from '../../../src/shared/project/types.ts';

export type SlowSegment = Pick<TimeWarpSegment, 'startS' | 'endS' | 'rate' | 'audioMode'>;

export interface SlowSample {
  /** Output time, seconds (a whole millisecond). */
  outputS: number;
  /** Animation time shown at that output time, seconds. */
  animS: number;
  /** Animation seconds per output second over the next millisecond. */
  rate: number;
  audible: boolean;
}

const UNITS_PER_S = 100_000;

/** One sample per millisecond of output time in [fromMs, toMs), walking from 0 (segments start at >= 0). */
export function slowWarp(segments: readonly SlowSegment[], fromMs: number, toMs: number): SlowSample[] {
  const inMs = segments.map((s) => ({ startMs: Math.round(s.startS * 1000), endMs: Math.round(s.endS * 1000), hundredths: Math.round(s.rate * 100), mode: s.audioMode }));
  for (const s of inMs) if (s.startMs < 0) throw new Error('the slow twin walks from 0');
  const samples: SlowSample[] = [];
  // "base" is the animation time the line would show without any 'silence' segment: it advances at
  // the rate of the 'pause' segments and at 1 everywhere else.
  let baseUnits = Math.min(fromMs, 0) * 100;
  const baseAtStart = new Map<number, number>();
  for (let t = Math.min(fromMs, 0); t < toMs; t++) {
    const inside = inMs.find((s) => s.startMs <= t && t < s.endMs);
    if (inside && inside.startMs === t) baseAtStart.set(t, baseUnits);
    let animUnits = baseUnits;
    let rate = 1;
    if (inside) {
      rate = inside.hundredths / 100;
      // Inside a 'silence' segment the picture runs at the rate from where it entered; the base line
      // keeps going at 1, so at the end animation time lands back on it.
      if (inside.mode === 'silence') animUnits = baseAtStart.get(inside.startMs)! + inside.hundredths * (t - inside.startMs);
    }
    if (t >= fromMs) samples.push({ outputS: t / 1000, animS: animUnits / UNITS_PER_S, rate, audible: !inside });
    baseUnits += inside && inside.mode === 'pause' ? inside.hundredths : 100;
  }
  return samples;
}
