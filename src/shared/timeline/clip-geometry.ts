/**
 * Where an audio clip sits on the timeline and how it is cut, from its trims and its media's
 * duration. One place for this arithmetic, so the back end's validation, the bake scheduler and
 * the timeline's drawing agree to the sample.
 *
 * A clip plays media time [trimInS, durationS - trimOutS) at timeline time [startS, end).
 */
import type { AudioClip } from '../project/types.ts';

/** Shortest audible part of a clip, seconds (one frame at 25 fps). */
export const MIN_CLIP_S = 0.04;

type Trims = Pick<AudioClip, 'trimInS' | 'trimOutS'>;
type Placed = Pick<AudioClip, 'startS' | 'trimInS' | 'trimOutS'>;

/** Seconds of media the clip plays (0 when the trims meet or cross). */
export function clipLength(clip: Trims, mediaDurationS: number): number {
  return Math.max(0, mediaDurationS - clip.trimInS - clip.trimOutS);
}

/** Timeline time just after the clip's last sample. */
export function clipEnd(clip: Placed, mediaDurationS: number): number {
  return clip.startS + clipLength(clip, mediaDurationS);
}

/** Media time played at timeline time `atS` by this clip (not clamped to the clip). */
export function mediaTimeAt(clip: Placed, atS: number): number {
  return clip.trimInS + (atS - clip.startS);
}

/**
 * The two halves of a clip cut at timeline time `atS`: the left keeps the start and ends at the
 * cut (its trimOut grows), the right starts at the cut with trimIn advanced by as much. Null
 * unless the cut is strictly inside and leaves each half at least MIN_CLIP_S long.
 */
export function splitClipAt(clip: AudioClip, mediaDurationS: number, atS: number): [Omit<AudioClip, 'id'>, Omit<AudioClip, 'id'>] | null {
  const end = clipEnd(clip, mediaDurationS);
  if (!(atS - clip.startS >= MIN_CLIP_S && end - atS >= MIN_CLIP_S)) return null;
  const common = { trackId: clip.trackId, mediaId: clip.mediaId, gain: clip.gain };
  const left = { ...common, startS: clip.startS, trimInS: clip.trimInS, trimOutS: clip.trimOutS + (end - atS) };
  const right = { ...common, startS: atS, trimInS: mediaTimeAt(clip, atS), trimOutS: clip.trimOutS };
  return [left, right];
}

/**
 * Trims for a clip whose media is replaced by other media of `newDurationS`: keep the in point
 * and the clip's length where the new media is long enough, else start at its beginning and/or
 * end at its end. Keeping the length keeps tied camera keys and time-warp segments meaningful.
 */
export function trimsForReplacement(clip: Trims, oldDurationS: number, newDurationS: number): Trims {
  const length = clipLength(clip, oldDurationS);
  const trimInS = clip.trimInS + MIN_CLIP_S <= newDurationS ? clip.trimInS : 0;
  return { trimInS, trimOutS: Math.max(0, newDurationS - trimInS - length) };
}
