/**
 * Which stretches of which media sound when, in output time: the one schedule behind both live
 * playback (issue 6) and the export's audio mix (issue 7), so that they cannot disagree.
 *
 * A clip occupies animation time [startS, startS + length), length = media duration - trimInS -
 * trimOutS (as timeline-handlers.ts clipDuration), and plays media time trimInS + (a - startS) at
 * animation time a. Audio follows animation time only where the time warp runs at rate 1 and is
 * audible (time-warp.ts): nothing is time-stretched, so frozen and slowed stretches are silent.
 */
import type { AudioClip, TimeWarpSegment, Track } from '../project/types.ts';
import { warpPieces } from './time-warp.ts';

/** Play media [mediaStartS, mediaStartS + durationS) at output [outputStartS, outputStartS + durationS). */
export interface AudioSpan {
  clipId: string;
  mediaId: string;
  mediaStartS: number;
  durationS: number;
  outputStartS: number;
  /** Linear: track gain x clip gain. */
  gain: number;
}

export interface AudioScheduleInput {
  clips: readonly AudioClip[];
  tracks: readonly Track[];
  /** Seconds per media id; clips whose media has no known duration are left out. */
  mediaDurations: ReadonlyMap<string, number>;
  segments: readonly TimeWarpSegment[];
}

/**
 * The spans sounding in output time [outFromS, outToS), cut at the range ends and at every piece
 * of the time warp; ordered by output start, then clip id. Throws RangeError on overlapping segments.
 */
export function audioSpans(input: AudioScheduleInput, outFromS: number, outToS: number): AudioSpan[] {
  const pieces = warpPieces(input.segments, outFromS, outToS).filter((p) => p.audible && p.rate === 1);
  if (pieces.length === 0) return [];
  const tracks = new Map(input.tracks.map((t) => [t.id, t]));
  // Solo only among audio tracks: the camera and time-warp tracks hold no sound.
  const anySolo = input.tracks.some((t) => t.kind === 'audio' && t.solo);
  const spans: AudioSpan[] = [];
  for (const clip of input.clips) {
    const track = tracks.get(clip.trackId);
    if (!track || track.muted || (anySolo && !track.solo)) continue;
    const mediaDurationS = input.mediaDurations.get(clip.mediaId);
    if (mediaDurationS === undefined || !Number.isFinite(mediaDurationS)) continue;
    const clipEndS = clip.startS + Math.max(0, mediaDurationS - clip.trimInS - clip.trimOutS);
    const gain = track.gain * clip.gain;
    for (const piece of pieces) {
      const pieceAnimEndS = piece.animStartS + (piece.outEndS - piece.outStartS);
      const animStartS = Math.max(piece.animStartS, clip.startS);
      const animEndS = Math.min(pieceAnimEndS, clipEndS);
      if (!(animEndS > animStartS)) continue;
      spans.push({
        clipId: clip.id,
        mediaId: clip.mediaId,
        mediaStartS: clip.trimInS + (animStartS - clip.startS),
        durationS: animEndS - animStartS,
        outputStartS: piece.outStartS + (animStartS - piece.animStartS),
        gain,
      });
    }
  }
  return spans.sort((x, y) => x.outputStartS - y.outputStartS || (x.clipId < y.clipId ? -1 : x.clipId > y.clipId ? 1 : 0));
}
