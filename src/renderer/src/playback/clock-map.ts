/**
 * Output time as a function of the audio clock while playing, with an optional loop: pure, so
 * the playhead the picture shows and the times the audio is scheduled at come from one formula.
 *
 * Playback starts at clock time `anchor.clockS` showing output time `anchor.outS`. Without a
 * loop, output runs at rate 1. With a loop [startS, endS) and the anchor inside it, output runs
 * to endS and then continues from startS, again and again.
 */
export interface Anchor {
  clockS: number;
  outS: number;
}

export interface LoopRange {
  startS: number;
  endS: number;
}

/** A loop shorter than this is ignored (a frame at 25 fps). */
const MIN_LOOP_S = 0.04;

function activeLoop(anchor: Anchor, loop: LoopRange | null): LoopRange | null {
  if (!loop || loop.endS - loop.startS < MIN_LOOP_S) return null;
  return anchor.outS >= loop.startS && anchor.outS < loop.endS ? loop : null;
}

export function outputAt(anchor: Anchor, loop: LoopRange | null, clockS: number): number {
  const out = anchor.outS + Math.max(0, clockS - anchor.clockS);
  const active = activeLoop(anchor, loop);
  if (!active || out < active.endS) return out;
  const length = active.endS - active.startS;
  return active.startS + ((out - active.endS) % length);
}

/** One continuous run of output time: output [outFromS, outToS) plays from clock time clockS. */
export interface ClockPiece {
  clockS: number;
  outFromS: number;
  outToS: number;
}

/** The output time played during clock [fromClockS, toClockS), cut where the loop wraps. */
export function outputPieces(anchor: Anchor, loop: LoopRange | null, fromClockS: number, toClockS: number): ClockPiece[] {
  const from = Math.max(fromClockS, anchor.clockS);
  if (toClockS <= from) return [];
  const active = activeLoop(anchor, loop);
  if (!active) {
    return [{ clockS: from, outFromS: anchor.outS + (from - anchor.clockS), outToS: anchor.outS + (toClockS - anchor.clockS) }];
  }
  const pieces: ClockPiece[] = [];
  let clock = from;
  let out = outputAt(anchor, loop, from);
  while (clock < toClockS) {
    const stop = Math.min(toClockS, clock + (active.endS - out));
    if (stop - clock > 1e-9) pieces.push({ clockS: clock, outFromS: out, outToS: out + (stop - clock) });
    clock = Math.max(stop, clock + 1e-9);
    out = active.startS;
  }
  return pieces;
}

/**
 * Output time at a shuttle rate (J/K/L, shuttle.ts): the clock's elapsed time times |rate|.
 * Forward rates run through outputAt on a sped-up clock, so a loop wraps as at rate 1; rate 1
 * gives exactly outputAt. Reverse rates run back from the anchor and never below 0; a loop is
 * not applied in reverse (the transport stops at 0, as editors do without a loop).
 */
export function outputAtRate(anchor: Anchor, loop: LoopRange | null, rate: number, clockS: number): number {
  if (rate === 1) return outputAt(anchor, loop, clockS);
  const elapsed = Math.max(0, clockS - anchor.clockS) * Math.abs(rate);
  if (rate >= 0) return outputAt(anchor, loop, anchor.clockS + elapsed);
  return Math.max(0, anchor.outS - elapsed);
}
