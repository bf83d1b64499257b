/**
 * Snapping on the timeline (issue 6): a dragged time lands on the nearest clip edge, camera key,
 * the playhead or zero when it comes within a threshold (the caller converts pixels to seconds,
 * so the pull feels the same at every zoom).
 */

/** Targets closer than this count as one (seconds; far below a frame). */
const SAME_TARGET_S = 1e-9;

/**
 * The nearest target within `thresholdS` (inclusive) of `timeS`, or `timeS` itself with target
 * null when none is. Of two targets equally near, the earlier wins.
 */
export function snapTime(timeS: number, targets: readonly number[], thresholdS: number): { timeS: number; target: number | null } {
  let best: number | null = null;
  let bestDistance = Infinity;
  for (const target of targets) {
    const distance = Math.abs(target - timeS);
    if (distance > thresholdS) continue;
    if (distance < bestDistance || (distance === bestDistance && best !== null && target < best)) {
      best = target;
      bestDistance = distance;
    }
  }
  return best === null ? { timeS, target: null } : { timeS: best, target: best };
}

/** A camera key's time, plain or with its id so that a dragged key does not snap to itself. */
export type KeyTime = number | { id: string; timeS: number };

/**
 * What a drag may snap to: clip starts and ends, key times, the playhead and 0; the items being
 * dragged (by id) are left out. Sorted, with duplicates (within 1 ns) merged.
 */
export function snapTargets(input: {
  clips: readonly { startS: number; endS: number; id: string }[];
  keyTimes: readonly KeyTime[];
  playheadS: number;
  excludeIds?: ReadonlySet<string>;
}): number[] {
  const excluded = input.excludeIds ?? new Set<string>();
  const times = [0, input.playheadS];
  for (const clip of input.clips) {
    if (!excluded.has(clip.id)) times.push(clip.startS, clip.endS);
  }
  for (const key of input.keyTimes) {
    if (typeof key === 'number') times.push(key);
    else if (!excluded.has(key.id)) times.push(key.timeS);
  }
  const sorted = times.filter(Number.isFinite).sort((x, y) => x - y);
  const merged: number[] = [];
  for (const time of sorted) {
    const last = merged[merged.length - 1];
    if (last === undefined || time - last > SAME_TARGET_S) merged.push(time);
  }
  return merged;
}
