/** src/shared/timeline/clip-geometry.ts and ties.ts: the arithmetic the handlers and the timeline share. */
import { describe, expect, it } from 'vitest';
import type { AudioClip } from '../../../src/shared/project/types.ts';
import { clipEnd, clipLength, MIN_CLIP_S, splitClipAt, trimsForReplacement } from '../../../src/shared/timeline/clip-geometry.ts';
import { fallsAfterCut, tiedChanges } from '../../../src/shared/timeline/ties.ts';

const clip: AudioClip = { id: 'c', trackId: 'audio-1', mediaId: 'm', startS: 2, trimInS: 1, trimOutS: 0.5, gain: 0.8 };

describe('clip geometry', () => {
  it('length and end from the trims and the media duration', () => {
    expect(clipLength(clip, 10)).toBe(8.5);
    expect(clipEnd(clip, 10)).toBe(10.5);
    expect(clipLength({ trimInS: 6, trimOutS: 5 }, 10)).toBe(0);
  });

  it('split: halves meet at the cut and play the same media as the whole', () => {
    const [left, right] = splitClipAt(clip, 10, 5)!;
    expect(left).toEqual({ trackId: 'audio-1', mediaId: 'm', gain: 0.8, startS: 2, trimInS: 1, trimOutS: 6 });
    expect(right).toEqual({ trackId: 'audio-1', mediaId: 'm', gain: 0.8, startS: 5, trimInS: 4, trimOutS: 0.5 });
    expect(clipEnd(left, 10)).toBe(5);
    expect(clipLength(left, 10) + clipLength(right, 10)).toBe(clipLength(clip, 10));
  });

  it('split: null at or outside the edges, or closer than MIN_CLIP_S to one', () => {
    for (const at of [1, 2, 2 + MIN_CLIP_S / 2, 10.5 - MIN_CLIP_S / 2, 10.5, 11]) expect(splitClipAt(clip, 10, at), String(at)).toBeNull();
    expect(splitClipAt(clip, 10, 2 + MIN_CLIP_S)).not.toBeNull();
  });

  it('replacement keeps the in point and the length where the new media allows', () => {
    expect(trimsForReplacement(clip, 10, 12)).toEqual({ trimInS: 1, trimOutS: 2.5 });
    expect(trimsForReplacement(clip, 10, 5)).toEqual({ trimInS: 1, trimOutS: 0 }); // shorter: ends at the media's end
    expect(trimsForReplacement(clip, 10, 0.5)).toEqual({ trimInS: 0, trimOutS: 0 }); // in point past its end: from the start
  });
});

describe('ties', () => {
  const keys = [
    { id: 'k1', timeS: 3, clipId: 'c' },
    { id: 'k2', timeS: 4, clipId: null },
    { id: 'k3', timeS: 9, clipId: 'other' },
  ];
  const segments = [
    { id: 's1', startS: 5, endS: 6, clipId: 'c' },
    { id: 's2', startS: 7, endS: 8, clipId: null },
  ];

  it('moves only what is tied to the clip, by the same delta', () => {
    expect(tiedChanges('c', -1.5, keys, segments)).toEqual({ keys: [{ id: 'k1', timeS: 1.5 }], segments: [{ id: 's1', startS: 3.5, endS: 4.5 }] });
    expect(tiedChanges('c', 0, keys, segments)).toEqual({ keys: [], segments: [] });
  });

  it('an item at the cut goes with the right half; a segment by its start', () => {
    expect(fallsAfterCut({ timeS: 5 }, 5)).toBe(true);
    expect(fallsAfterCut({ timeS: 4.999 }, 5)).toBe(false);
    expect(fallsAfterCut({ startS: 4.5, endS: 5.5 } as { startS: number }, 5)).toBe(false);
  });
});
