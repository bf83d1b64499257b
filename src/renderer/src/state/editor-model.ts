/**
 * The timeline as the editor draws it, derived from a project snapshot: tracks in order, clips
 * with their media, lengths and output-time positions (through the time warp), and where the
 * content ends. Pure; recomputed per snapshot.
 */
import type { AudioClip, MediaItem, ProjectSnapshot, TimeWarpSegment, Track } from '../../../shared/project/types.ts';
import { clipLength } from '../../../shared/timeline/clip-geometry.ts';
import { animationTimeAt, outputTimeAt, warpPieces } from '../../../shared/timeline/time-warp.ts';

export interface ClipView {
  clip: AudioClip;
  media: MediaItem | undefined;
  name: string;
  mediaS: number;
  lengthS: number;
  /** Animation (timeline) time. */
  endS: number;
  /** Where the clip shows on the ruler (output time). */
  outStartS: number;
  outEndS: number;
}

/** Output time showing animation time `animS`; a time skipped by a 'silence' jump keeps its own value. */
export function outputOf(segments: readonly TimeWarpSegment[], animS: number): number {
  return outputTimeAt(segments, animS) ?? animS;
}

export function animationOf(segments: readonly TimeWarpSegment[], outS: number): number {
  return animationTimeAt(segments, outS);
}

export function mediaDurations(snapshot: Pick<ProjectSnapshot, 'media'>): Map<string, number> {
  const map = new Map<string, number>();
  for (const m of snapshot.media) if (m.kind === 'audio' && m.durationS !== null) map.set(m.id, m.durationS);
  return map;
}

export function clipViews(snapshot: Pick<ProjectSnapshot, 'media' | 'clips' | 'timeWarp'>): ClipView[] {
  const media = new Map(snapshot.media.map((m) => [m.id, m]));
  return snapshot.clips.map((clip) => {
    const item = media.get(clip.mediaId);
    const mediaS = item?.durationS ?? 0;
    const lengthS = clipLength(clip, mediaS);
    const endS = clip.startS + lengthS;
    const outStartS = outputOf(snapshot.timeWarp, clip.startS);
    const outEndS = Math.max(outStartS, outputOf(snapshot.timeWarp, endS));
    return { clip, media: item, name: item?.name ?? 'Missing media', mediaS, lengthS, endS, outStartS, outEndS };
  });
}

/** A stretch of a clip's place on the ruler: its audio sounds there from mediaStartS on, or is held silent. */
export interface ClipAudioPiece {
  /** Output seconds from the clip's left edge, and the stretch's length. */
  offsetS: number;
  lengthS: number;
  /** Media time at the stretch's start, and the media seconds it spans (lengthS where audible). */
  mediaStartS: number;
  mediaLengthS: number;
  /** False inside time-warp segments, where the audio does not sound (time-warp.ts). */
  audible: boolean;
}

/**
 * The clip's span on the ruler cut where the time warp holds its audio silent, so the waveform
 * is drawn where the sound plays, at the ruler's scale, and a gap where it is paused or skipped.
 */
export function clipAudioPieces(segments: readonly TimeWarpSegment[], view: Pick<ClipView, 'clip' | 'outStartS' | 'outEndS'>): ClipAudioPiece[] {
  return warpPieces(segments, view.outStartS, view.outEndS).map((p) => ({
    offsetS: p.outStartS - view.outStartS,
    lengthS: p.outEndS - p.outStartS,
    mediaStartS: view.clip.trimInS + (p.animStartS - view.clip.startS),
    mediaLengthS: p.audible ? p.outEndS - p.outStartS : 0,
    audible: p.audible,
  }));
}

/** Tracks in order; the project always has them, the fallback only guards an empty snapshot. */
export function sortedTracks(snapshot: Pick<ProjectSnapshot, 'tracks'>): Track[] {
  return [...snapshot.tracks].sort((a, b) => a.position - b.position);
}

/** Output time where the last clip, key or segment ends. */
export function contentEnd(snapshot: Pick<ProjectSnapshot, 'media' | 'clips' | 'timeWarp' | 'cameraKeys'>, clips = clipViews(snapshot)): number {
  let end = 0;
  for (const c of clips) end = Math.max(end, c.outEndS);
  for (const k of snapshot.cameraKeys) end = Math.max(end, k.timeS);
  for (const s of snapshot.timeWarp) end = Math.max(end, s.endS);
  return end;
}

/** The clip under output time `outS` on any audio track (the topmost track's first). */
export function clipAt(clips: readonly ClipView[], outS: number): ClipView | undefined {
  return clips.find((c) => outS > c.outStartS && outS < c.outEndS);
}
