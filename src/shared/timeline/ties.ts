/**
 * Ties between an audio clip and the camera keys and time-warp segments that belong to it
 * (issue 6, "Moving or replacing an audio clip moves the camera keys and time-warp segments tied
 * to it"). A tie is the item's `clipId`; moving the clip by deltaS moves each tied item by deltaS,
 * so a freeze placed on a word stays on that word.
 */
import type { CameraKeyframe, TimeWarpSegment } from '../project/types.ts';

export interface TiedChanges {
  keys: { id: string; timeS: number }[];
  segments: { id: string; startS: number; endS: number }[];
}

/** New times of the items tied to `clipId` when the clip moves by `deltaS` (none when deltaS is 0). */
export function tiedChanges(
  clipId: string,
  deltaS: number,
  keys: readonly Pick<CameraKeyframe, 'id' | 'timeS' | 'clipId'>[],
  segments: readonly Pick<TimeWarpSegment, 'id' | 'startS' | 'endS' | 'clipId'>[],
): TiedChanges {
  if (deltaS === 0) return { keys: [], segments: [] };
  return {
    keys: keys.filter((k) => k.clipId === clipId).map((k) => ({ id: k.id, timeS: k.timeS + deltaS })),
    segments: segments.filter((s) => s.clipId === clipId).map((s) => ({ id: s.id, startS: s.startS + deltaS, endS: s.endS + deltaS })),
  };
}

/**
 * Which half of a clip split at `atS` an item belongs to: the one its time (a segment: its start)
 * falls in. True = the right half (the new clip).
 */
export function fallsAfterCut(item: { timeS: number } | { startS: number }, atS: number): boolean {
  return ('timeS' in item ? item.timeS : item.startS) >= atS;
}
