/**
 * The playback clock with a loop, and PCM chunk planning: checked against slow references that
 * step through time sample by sample (or millisecond by millisecond).
 */
import { describe, expect, it } from 'vitest';
import type { AudioSpan } from '../../../src/shared/timeline/audio-schedule.ts';
import { outputAt, outputPieces, type Anchor, type LoopRange } from '../../../src/renderer/src/playback/clock-map.ts';
import { CHUNK_S, PCM_RATE, chunkRange, clipSpan, pcmPieces } from '../../../src/renderer/src/playback/pcm-plan.ts';

/** Slow reference: walk the clock in small steps, wrapping at the loop end. */
function slowOutputAt(anchor: Anchor, loop: LoopRange | null, clockS: number, stepS = 1e-4): number {
  let out = anchor.outS;
  const looping = loop !== null && anchor.outS >= loop.startS && anchor.outS < loop.endS;
  for (let c = anchor.clockS; c < clockS - 1e-12; c += stepS) {
    out += Math.min(stepS, clockS - c);
    if (looping && out >= loop.endS - 1e-12) out = loop.startS + (out - loop.endS);
  }
  return out;
}

describe('outputAt', () => {
  it('runs at rate 1 from the anchor without a loop', () => {
    expect(outputAt({ clockS: 10, outS: 2 }, null, 13.5)).toBeCloseTo(5.5, 12);
    expect(outputAt({ clockS: 10, outS: 2 }, null, 9)).toBe(2);
  });
  it('wraps inside a loop like stepping through time does', () => {
    const anchor = { clockS: 100, outS: 1.3 };
    const loop = { startS: 1, endS: 2 };
    // Not exactly at a wrap, where float steps and the formula may fall either side.
    for (const clock of [100, 100.5, 100.6999, 100.7001, 100.71, 101.69, 102.9, 103.05]) {
      expect(outputAt(anchor, loop, clock)).toBeCloseTo(slowOutputAt(anchor, loop, clock), 3);
    }
  });
  it('ignores a loop the anchor lies outside of, and a loop shorter than a frame', () => {
    expect(outputAt({ clockS: 0, outS: 5 }, { startS: 1, endS: 2 }, 3)).toBe(8);
    expect(outputAt({ clockS: 0, outS: 1 }, { startS: 1, endS: 1.01 }, 3)).toBe(4);
  });
});

describe('outputPieces', () => {
  it('is one piece without a loop', () => {
    expect(outputPieces({ clockS: 0, outS: 3 }, null, 1, 3)).toEqual([{ clockS: 1, outFromS: 4, outToS: 6 }]);
  });
  it('cuts the window where the loop wraps, covering the window exactly', () => {
    const anchor = { clockS: 0, outS: 0.5 };
    const loop = { startS: 0, endS: 1 };
    const pieces = outputPieces(anchor, loop, 0.2, 2.7);
    expect(pieces.map((p) => [p.clockS, p.outFromS, p.outToS].map((v) => Math.round(v * 1e6) / 1e6))).toEqual([
      [0.2, 0.7, 1],
      [0.5, 0, 1],
      [1.5, 0, 1],
      [2.5, 0, 0.2],
    ]);
    // Each piece starts where the clock formula says.
    for (const p of pieces) expect(outputAt(anchor, loop, p.clockS + 1e-9)).toBeCloseTo(p.outFromS, 6);
  });
  it('is empty for a window before the anchor', () => {
    expect(outputPieces({ clockS: 5, outS: 0 }, null, 1, 4)).toEqual([]);
  });
});

const span = (mediaStartS: number, durationS: number, outputStartS: number): AudioSpan => ({
  clipId: 'c',
  mediaId: 'm',
  mediaStartS,
  durationS,
  outputStartS,
  gain: 0.5,
});

describe('pcmPieces', () => {
  it('splits a span at chunk boundaries and keeps every sample in order', () => {
    const s = span(3.2, 9, 10);
    const pieces = pcmPieces(s);
    expect(pieces.map((p) => p.chunk)).toEqual([0, 1, 2]);
    // Reference: for each output sample, which chunk and which sample inside it.
    for (let i = 0; i < s.durationS * PCM_RATE; i += 997) {
      const outS = s.outputStartS + i / PCM_RATE;
      const mediaS = s.mediaStartS + i / PCM_RATE;
      const piece = pieces.find((p) => outS >= p.outputS - 1e-9 && outS < p.outputS + p.durationS - 1e-9)!;
      expect(piece.chunk).toBe(Math.floor(mediaS / CHUNK_S + 1e-9));
      expect(piece.chunk * CHUNK_S + piece.offsetS + (outS - piece.outputS)).toBeCloseTo(mediaS, 9);
      expect(piece.gain).toBe(0.5);
    }
    expect(pieces.reduce((sum, p) => sum + p.durationS, 0)).toBeCloseTo(9, 9);
  });
  it('puts a start exactly on a boundary in the later chunk', () => {
    const [first] = pcmPieces(span(5, 1, 0));
    expect(first).toMatchObject({ chunk: 1, offsetS: 0, durationS: 1 });
  });
  it('gives nothing for an empty span', () => {
    expect(pcmPieces(span(1, 0, 0))).toEqual([]);
  });
});

describe('clipSpan and chunkRange', () => {
  it('cuts a span to a window, moving into the media by as much', () => {
    expect(clipSpan(span(2, 4, 10), 11, 12.5)).toMatchObject({ outputStartS: 11, mediaStartS: 3, durationS: 1.5 });
    expect(clipSpan(span(2, 4, 10), 14, 20)).toBeNull();
  });
  it('makes the last chunk of a media item shorter', () => {
    expect(chunkRange(0, 12)).toEqual({ startS: 0, durationS: 5 });
    expect(chunkRange(2, 12)).toEqual({ startS: 10, durationS: 2 });
    expect(chunkRange(3, 12).durationS).toBe(0);
  });
});
