/**
 * Which decoded-audio chunks a stretch of playback needs, and where in them: pure, so the exact
 * timing is unit-tested. The renderer never decodes audio itself: it asks the engine for PCM
 * (`media.pcm`) in fixed chunks of media time, so neighbouring spans share cached chunks and
 * chunk boundaries fall on whole samples.
 */
import type { AudioSpan } from '../../../shared/timeline/audio-schedule.ts';

/** Playback sample rate asked of the engine: what audio hardware runs at nearly everywhere. */
export const PCM_RATE = 48_000;
/** Seconds of media per chunk: 5 s of mono float32 at 48 kHz is 960 kB. */
export const CHUNK_S = 5;

/** Play `durationS` of chunk `chunk` of a media item from `offsetS` into it, at output time `outputS`. */
export interface PcmPiece {
  clipId: string;
  mediaId: string;
  chunk: number;
  offsetS: number;
  durationS: number;
  outputS: number;
  gain: number;
}

/** Shorter than this is not worth a source node (a quarter of a sample). */
const EPSILON_S = 0.25 / PCM_RATE;

/** The span cut to output [fromS, toS); null when nothing of it is left. */
export function clipSpan(span: AudioSpan, fromS: number, toS: number): AudioSpan | null {
  const start = Math.max(span.outputStartS, fromS);
  const end = Math.min(span.outputStartS + span.durationS, toS);
  if (end - start <= EPSILON_S) return null;
  const cut = start - span.outputStartS;
  return { ...span, outputStartS: start, mediaStartS: span.mediaStartS + cut, durationS: end - start };
}

/** A span split at chunk boundaries of its media (multiples of `chunkS` media seconds). */
export function pcmPieces(span: AudioSpan, chunkS = CHUNK_S): PcmPiece[] {
  const pieces: PcmPiece[] = [];
  const end = span.mediaStartS + span.durationS;
  let at = span.mediaStartS;
  while (end - at > EPSILON_S) {
    // Nudged so that a start exactly on a boundary (up to float error) belongs to the later chunk.
    const chunk = Math.floor(at / chunkS + 1e-9);
    const chunkEnd = (chunk + 1) * chunkS;
    const stop = Math.min(end, chunkEnd);
    pieces.push({
      clipId: span.clipId,
      mediaId: span.mediaId,
      chunk,
      offsetS: Math.max(0, at - chunk * chunkS),
      durationS: stop - at,
      outputS: span.outputStartS + (at - span.mediaStartS),
      gain: span.gain,
    });
    at = stop;
  }
  return pieces;
}

/** Media seconds covered by chunk `chunk` of media lasting `mediaS` (the last one is shorter). */
export function chunkRange(chunk: number, mediaS: number, chunkS = CHUNK_S): { startS: number; durationS: number } {
  const startS = chunk * chunkS;
  return { startS, durationS: Math.max(0, Math.min(chunkS, mediaS - startS)) };
}
