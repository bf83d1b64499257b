/**
 * Time warp (bullet time, issue 6): the map from output time t (what the viewer sees; the ruler,
 * camera keys and segments live there) to animation time a(t) (audio clip positions, baked frames).
 *
 * Outside segments a advances at rate 1. Inside a segment [startS, endS) it advances at `rate`
 * (0 = freeze). After the segment:
 *   'pause'   a continues from where it got to: the segment inserts (1 - rate) * length of output
 *             time, so everything later plays that much later. Audio follows a, but is silent while
 *             rate < 1 (no time stretching), so speech resumes exactly where it paused.
 *   'silence' a jumps forward onto the line it would have followed without this segment, so later
 *             material keeps its time; audio is silent inside.
 * a(t) is non-decreasing; it is continuous except for the forward jump at the end of a 'silence'
 * segment, whose skipped animation times have no output time (outputTimeAt returns null).
 */
import type { TimeWarpSegment } from '../project/types.ts';

type Segment = Pick<TimeWarpSegment, 'startS' | 'endS' | 'rate' | 'audioMode'>;

/** A stretch of output time [outStartS, outEndS) where a(t) = animStartS + rate * (t - outStartS). */
export interface WarpPiece {
  outStartS: number;
  outEndS: number;
  animStartS: number;
  rate: number;
  /** False where audio must not sound: inside every segment with rate < 1. */
  audible: boolean;
}

/** The map on one stretch of the whole output line: a(t) = anchorAnimS + rate * (t - anchorOutS). */
interface Region {
  outStartS: number;
  outEndS: number;
  anchorOutS: number;
  anchorAnimS: number;
  rate: number;
  audible: boolean;
  /** True after a 'silence' segment: the animation times between the two regions are skipped. */
  jumpsIn: boolean;
}

/** Problems that make the segments unusable as a map (overlaps, empty segments, bad rates), or null. */
export function validateSegments(segments: readonly Segment[]): string | null {
  for (const s of segments) {
    if (!Number.isFinite(s.startS) || !Number.isFinite(s.endS)) return `A time-warp segment has a non-finite start or end (${s.startS}..${s.endS} s).`;
    if (!(s.startS < s.endS)) return `A time-warp segment must end after it starts (${s.startS}..${s.endS} s).`;
    if (!(s.rate >= 0 && s.rate < 1)) return `A time-warp rate must be at least 0 and below 1 (got ${s.rate} in ${s.startS}..${s.endS} s).`;
    if (s.audioMode !== 'pause' && s.audioMode !== 'silence') return `Unknown time-warp audio mode "${String(s.audioMode)}".`;
  }
  const sorted = sortedByStart(segments);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.startS < previous.endS) {
      return `Time-warp segments overlap: ${previous.startS}..${previous.endS} s and ${current.startS}..${current.endS} s.`;
    }
  }
  return null;
}

/** Animation time shown at output time `outputS`. */
export function animationTimeAt(segments: readonly Segment[], outputS: number): number {
  for (const region of regionsOf(segments)) {
    if (outputS < region.outEndS) return animAt(region, outputS);
  }
  throw new Error('unreachable: the last region ends at +Infinity');
}

/**
 * Earliest output time showing animation time `animS`: the start of a freeze for the frozen time,
 * null for animation times skipped by the jump at the end of a 'silence' segment.
 */
export function outputTimeAt(segments: readonly Segment[], animS: number): number | null {
  for (const region of regionsOf(segments)) {
    const animStart = region.outStartS === -Infinity ? -Infinity : region.anchorAnimS;
    // Below this region's start: skipped by a 'silence' jump, or a rounding hair at a seam.
    if (animS < animStart) return region.jumpsIn ? null : region.outStartS;
    if (region.rate === 0) {
      if (animS === animStart) return region.outStartS;
      continue;
    }
    const animEnd = region.outEndS === Infinity ? Infinity : animAt(region, region.outEndS);
    if (animS < animEnd) {
      const outS = region.anchorOutS + (animS - region.anchorAnimS) / region.rate;
      return Math.min(Math.max(outS, region.outStartS), region.outEndS);
    }
  }
  return null; // only for NaN: the last region is unbounded
}

/** The pieces of the map covering output time [fromS, toS): contiguous, in order, none empty. */
export function warpPieces(segments: readonly Segment[], fromS: number, toS: number): WarpPiece[] {
  const pieces: WarpPiece[] = [];
  if (!(toS > fromS)) return pieces;
  for (const region of regionsOf(segments)) {
    const start = Math.max(fromS, region.outStartS);
    const end = Math.min(toS, region.outEndS);
    if (end > start) {
      pieces.push({ outStartS: start, outEndS: end, animStartS: animAt(region, start), rate: region.rate, audible: region.audible });
    }
    if (region.outEndS >= toS) break;
  }
  return pieces;
}

function animAt(region: Region, outputS: number): number {
  return region.anchorAnimS + region.rate * (outputS - region.anchorOutS);
}

function sortedByStart<S extends Segment>(segments: readonly S[]): S[] {
  return [...segments].sort((x, y) => x.startS - y.startS || x.endS - y.endS);
}

/**
 * The whole output line (-Infinity, +Infinity) cut into regions, after validating the segments.
 * Each region is anchored at its start on the value the previous one reaches there, so a(t) is
 * continuous (and monotone in floating point too) except at the deliberate 'silence' jumps.
 */
function regionsOf(segments: readonly Segment[]): Region[] {
  const problem = validateSegments(segments);
  if (problem) throw new RangeError(problem);
  const regions: Region[] = [];
  let current: Region = { outStartS: -Infinity, outEndS: Infinity, anchorOutS: 0, anchorAnimS: 0, rate: 1, audible: true, jumpsIn: false };
  const startAt = (outS: number, animS: number, segment: Segment | null, jumpsIn: boolean): void => {
    if (outS > current.outStartS) {
      current.outEndS = outS;
      regions.push(current);
    } else {
      jumpsIn ||= current.jumpsIn; // an empty gap between touching segments keeps its jump
    }
    current = segment
      ? { outStartS: outS, outEndS: Infinity, anchorOutS: outS, anchorAnimS: animS, rate: segment.rate, audible: false, jumpsIn }
      : { outStartS: outS, outEndS: Infinity, anchorOutS: outS, anchorAnimS: animS, rate: 1, audible: true, jumpsIn };
  };
  for (const s of sortedByStart(segments)) {
    const animAtStart = animAt(current, s.startS);
    startAt(s.startS, animAtStart, s, false);
    if (s.audioMode === 'pause') startAt(s.endS, animAt(current, s.endS), null, false);
    else startAt(s.endS, animAtStart + (s.endS - s.startS), null, true);
  }
  regions.push(current);
  return regions;
}
