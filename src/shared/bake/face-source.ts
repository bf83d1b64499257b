/**
 * Which clip's baked offsets drive the face at animation time a, and how: the one rule behind the
 * live preview (renderer preview/offset-stream.ts) and the export (main export/face-offsets.ts),
 * so that a frame of the export is the frame the creator saw (issue 7, item 1).
 *   - A clip can drive the face when its track is an audio track that can be heard (not muted;
 *     only solo tracks while any audio track is solo) and it has some length (clipLength > 0).
 *   - The clip under a is the one that started last (the newest line of speech); on equal starts
 *     the upper track (lower position), then the earlier in the list.
 *   - Its baked frames are read at clip-local time a - startS (offset-interpolation.ts) and eased
 *     to the rest pose near both clip ends (restWeightAt); between clips the rest pose shows.
 * Fetching and caching the frames stays with each caller; this module only decides and mixes.
 */
import type { AudioClip, Track } from '../project/types.ts';
import { clipLength } from '../timeline/clip-geometry.ts';
import { blendToRest, frameBracket, offsetsAt, restWeightAt, type BakedTiming, type FrameBracket, type FrameReader } from './offset-interpolation.ts';

/** A clip that can drive the face, with its length on the timeline. */
export interface FaceClip {
  clip: AudioClip;
  /** Seconds of animation time the clip covers: [clip.startS, clip.startS + durationS). */
  durationS: number;
  /** Its track's position: on equal starts the lower position (the upper track) wins. */
  trackPosition: number;
}

/** What drives the face at one animation time, when a clip does. */
export interface FaceSource<C extends FaceClip = FaceClip> {
  clip: C;
  /** Clip-local seconds: animation time - clip.startS. */
  localS: number;
  /** The clip's finished bake, or null when the caller has none (not baked yet). */
  timing: BakedTiming | null;
  /** The baked frames to interpolate; null without timing or for an empty bake. */
  frames: FrameBracket | null;
  /** How much of the rest pose to show over the clip's offsets, 0..1 (restWeightAt). */
  restWeight: number;
}

/** Clips that can drive the face, in the order given. `mediaDurations`: seconds by media id. */
export function faceClips(clips: readonly AudioClip[], tracks: readonly Track[], mediaDurations: ReadonlyMap<string, number>): FaceClip[] {
  const audioTracks = new Map(tracks.filter((t) => t.kind === 'audio').map((t) => [t.id, t]));
  const anySolo = [...audioTracks.values()].some((t) => t.solo);
  const out: FaceClip[] = [];
  for (const clip of clips) {
    const track = audioTracks.get(clip.trackId);
    if (!track || track.muted || (anySolo && !track.solo)) continue;
    const mediaS = mediaDurations.get(clip.mediaId);
    if (mediaS === undefined) continue;
    const durationS = clipLength(clip, mediaS);
    // Also drops NaN lengths.
    if (durationS > 0) out.push({ clip, durationS, trackPosition: track.position });
  }
  return out;
}

/** The clip driving the face at animation time animS, or null (the rest pose). */
export function faceClipAt<C extends FaceClip>(clips: readonly C[], animS: number): C | null {
  let best: C | null = null;
  for (const c of clips) {
    const { startS } = c.clip;
    if (!(animS >= startS && animS < startS + c.durationS)) continue;
    if (!best || startS > best.clip.startS || (startS === best.clip.startS && c.trackPosition < best.trackPosition)) best = c;
  }
  return best;
}

/**
 * What drives the face at animation time animS, or null (the rest pose). `timingOf` gives a clip's
 * finished bake, or null when it has none yet.
 */
export function faceSourceAt<C extends FaceClip>(clips: readonly C[], animS: number, timingOf: (clipId: string) => BakedTiming | null): FaceSource<C> | null {
  const clip = faceClipAt(clips, animS);
  if (!clip) return null;
  const localS = animS - clip.clip.startS;
  const timing = timingOf(clip.clip.id);
  return { clip, localS, timing, frames: timing ? frameBracket(localS, timing) : null, restWeight: restWeightAt(localS, clip.durationS) };
}

/**
 * Writes the face at `source` into `out` (float32 [N * 3]): the baked frames interpolated, eased
 * towards `rest` (null: zeros, the static head). Returns false, `out` then undefined, when the
 * source has no timing, its bake is empty or `read` lacks a frame it needs.
 */
export function writeFaceOffsets(source: FaceSource, read: FrameReader, rest: Float32Array | null, out: Float32Array): boolean {
  if (!source.timing || !offsetsAt(source.localS, source.timing, read, out)) return false;
  if (source.restWeight > 0) blendToRest(out, rest, source.restWeight, out);
  return true;
}
