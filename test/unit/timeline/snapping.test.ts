import { describe, expect, it } from 'vitest';
import { snapTargets, snapTime } from '../../../src/shared/timeline/snapping.ts';

describe('snapTime', () => {
  it('snaps to the nearest target within the threshold, inclusive', () => {
    expect(snapTime(1.03, [0, 1, 1.1, 2], 0.05)).toEqual({ timeS: 1, target: 1 });
    expect(snapTime(1.08, [0, 1, 1.1, 2], 0.05)).toEqual({ timeS: 1.1, target: 1.1 });
    expect(snapTime(1.5, [1.25], 0.25)).toEqual({ timeS: 1.25, target: 1.25 });
  });

  it('leaves the time alone when nothing is near', () => {
    expect(snapTime(1.5, [0, 1, 2], 0.1)).toEqual({ timeS: 1.5, target: null });
    expect(snapTime(1.5, [], 10)).toEqual({ timeS: 1.5, target: null });
  });

  it('prefers the earlier of two equally near targets, whatever their order', () => {
    expect(snapTime(1.5, [1.75, 1.25], 0.5)).toEqual({ timeS: 1.25, target: 1.25 });
    expect(snapTime(1.5, [1.25, 1.75], 0.5)).toEqual({ timeS: 1.25, target: 1.25 });
  });
});

describe('snapTargets', () => {
  const clips = [
    { id: 'a', startS: 1, endS: 3 },
    { id: 'b', startS: 3, endS: 4.5 },
  ];

  it('collects clip edges, keys, the playhead and zero, sorted and without duplicates', () => {
    expect(snapTargets({ clips, keyTimes: [2, 4.5, 0], playheadS: 2.2 })).toEqual([0, 1, 2, 2.2, 3, 4.5]);
  });

  it('leaves out the dragged clips and keys', () => {
    const keyTimes = [{ id: 'k1', timeS: 2 }, { id: 'k2', timeS: 5 }, 7];
    expect(snapTargets({ clips, keyTimes, playheadS: 0, excludeIds: new Set(['a', 'k2']) })).toEqual([0, 2, 3, 4.5, 7]);
  });

  it('merges targets a rounding hair apart', () => {
    expect(snapTargets({ clips: [], keyTimes: [0.1 + 0.2], playheadS: 0.3 })).toEqual([0, 0.3]);
  });
});
