/**
 * Lookups and checks the edit handlers (timeline, camera, time warp) share: each throws the
 * ApiError a creator should read (NOT_FOUND for something gone, INVALID_INPUT for a rule broken).
 */
import { ApiError } from '../../shared/api/errors.ts';
import type { AudioClip, MediaItem, ProjectSnapshot } from '../../shared/project/types.ts';

/** Keys closer than this are at "the same time": half a millisecond, far below a frame (40 ms at 25 fps). */
export const KEY_TIME_EPSILON_S = 0.0005;

const at = (timeS: number): string => `${timeS.toFixed(3)} s`;

export function mediaOf(snapshot: ProjectSnapshot, mediaId: string): MediaItem {
  const media = snapshot.media.find((m) => m.id === mediaId);
  if (!media) throw new ApiError('NOT_FOUND', 'That media item is no longer in the project.', { mediaId });
  return media;
}

export function clipOf(snapshot: ProjectSnapshot, clipId: string): AudioClip {
  const clip = snapshot.clips.find((c) => c.id === clipId);
  if (!clip) throw new ApiError('NOT_FOUND', 'That clip is no longer on the timeline.', { clipId });
  return clip;
}

/** Refuses a set of key times where two are at the same time (the path would have no defined value there). */
export function checkKeyTimes(times: readonly number[], what: string): void {
  const sorted = [...times].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]! - sorted[i - 1]! < KEY_TIME_EPSILON_S) {
      throw new ApiError('INVALID_INPUT', `${what} would put two camera keys at the same time (${at(sorted[i]!)}).`);
    }
  }
}

/** The fields a partial input sets (a key present with the value undefined sets nothing). */
export function definedFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
