/** The timeline's pixel/time maths, drag results, selection and view-state saving. */
import { describe, expect, it } from 'vitest';
import {
  FRAME_S,
  MAX_PX_PER_S,
  MIN_PX_PER_S,
  clampScroll,
  moveSegment,
  moveSegmentEdge,
  placeSegment,
  segmentBounds,
  sliderToZoom,
  snappedDelta,
  timeToX,
  trimLeft,
  trimRight,
  xToTime,
  zoomAt,
  zoomToSlider,
} from '../../../src/renderer/src/state/editor-geometry.ts';
import { NOTHING, clickSelect, pressSelect, pruneSelection } from '../../../src/renderer/src/state/editor-selection.ts';
import { ViewSaver, restoreView, type Timers } from '../../../src/renderer/src/state/editor-view.ts';
import { DEFAULT_VIEW_STATE, type ViewState } from '../../../src/shared/project/types.ts';
import { snapTime } from '../../../src/shared/timeline/snapping.ts';

describe('time scale', () => {
  it('maps time to pixels and back', () => {
    const scale = { pxPerS: 80, scrollS: 12.5 };
    for (const t of [0, 12.5, 13, 100.04]) expect(xToTime(scale, timeToX(scale, t))).toBeCloseTo(t, 9);
    expect(timeToX(scale, 13)).toBeCloseTo(40, 9);
  });
  it('zooms around an anchor, keeping the time under it in place', () => {
    const scale = { pxPerS: 60, scrollS: 4 };
    const anchorX = 300;
    const before = xToTime(scale, anchorX);
    const after = zoomAt(scale, 3, anchorX);
    expect(after.pxPerS).toBe(180);
    expect(xToTime(after, anchorX)).toBeCloseTo(before, 9);
  });
  it('clamps zoom from a whole hour to single frames, and the slider is logarithmic and invertible', () => {
    expect(zoomAt({ pxPerS: 100, scrollS: 0 }, 1e9, 0).pxPerS).toBe(MAX_PX_PER_S);
    expect(zoomAt({ pxPerS: 100, scrollS: 0 }, 1e-9, 0).pxPerS).toBe(MIN_PX_PER_S);
    expect(3600 * MIN_PX_PER_S).toBeLessThan(1000); // an hour fits a window
    expect(FRAME_S * MAX_PX_PER_S).toBeGreaterThan(100); // a frame is a wide target
    for (const pps of [0.2, 1, 60, 999, 4000]) expect(sliderToZoom(zoomToSlider(pps))).toBeCloseTo(pps, 6);
    expect(zoomToSlider(MIN_PX_PER_S)).toBe(0);
    expect(zoomToSlider(MAX_PX_PER_S)).toBeCloseTo(1, 12);
  });
  it('keeps the scroll between 0 and the end of the timeline', () => {
    expect(clampScroll(-3, 100, 600, 60)).toBe(0);
    expect(clampScroll(200, 100, 600, 60)).toBe(90);
  });
});

describe('snappedDelta', () => {
  const snap = (targets: number[], threshold: number) => (t: number) => snapTime(t, targets, threshold);
  it('snaps the group edge that lands nearest a target', () => {
    // Edges 2 and 5 moved by 0.9: 2.9 is 0.1 from 3, 5.9 is 0.05 from 5.95 -> the end edge wins.
    const r = snappedDelta([2, 5], 0.9, snap([3, 5.95], 0.2));
    expect(r.deltaS).toBeCloseTo(0.95, 9);
    expect(r.target).toBe(5.95);
  });
  it('moves freely without a snapper or target in reach, and never before 0', () => {
    expect(snappedDelta([2, 5], 0.9, null)).toEqual({ deltaS: 0.9, target: null });
    expect(snappedDelta([2, 5], 0.9, snap([10], 0.2))).toEqual({ deltaS: 0.9, target: null });
    expect(snappedDelta([2, 5], -7, null).deltaS).toBe(-2);
  });
});

describe('trims', () => {
  const clip = { startS: 10, trimInS: 1, trimOutS: 2, mediaS: 8 }; // plays media 1..6 at 10..15
  it('left trim keeps the audio in place and stops at the media start and a frame before the end', () => {
    expect(trimLeft(clip, 10.5)).toEqual({ startS: 10.5, trimInS: 1.5 });
    expect(trimLeft(clip, 5)).toEqual({ startS: 9, trimInS: 0 });
    const tight = trimLeft(clip, 20);
    expect(tight.startS).toBeCloseTo(15 - FRAME_S, 9);
  });
  it('right trim changes only trim-out, within the media, at least a frame long', () => {
    expect(trimRight(clip, 14)).toEqual({ trimOutS: 3 });
    expect(trimRight(clip, 30)).toEqual({ trimOutS: 0 });
    expect(trimRight(clip, 0).trimOutS).toBeCloseTo(8 - 1 - FRAME_S, 9);
  });
});

describe('time-warp segments', () => {
  const segs = [
    { id: 'a', startS: 1, endS: 2 },
    { id: 'b', startS: 5, endS: 6 },
  ];
  it('move and resize without crossing neighbours or going under a frame', () => {
    const bounds = segmentBounds(segs, 'b');
    expect(bounds).toEqual({ minS: 2, maxS: 86_400 });
    expect(moveSegment(segs[1]!, -10, bounds)).toEqual({ startS: 2, endS: 3 });
    expect(moveSegmentEdge(segs[1]!, 'start', 7, bounds)).toEqual({ startS: 6 - FRAME_S, endS: 6 });
    expect(moveSegmentEdge(segs[0]!, 'end', 9, segmentBounds(segs, 'a'))).toEqual({ startS: 1, endS: 5 });
  });
  it('places a new freeze at the playhead, shortened before the next segment, refused inside one', () => {
    expect(placeSegment(segs, 3, 1)).toEqual({ startS: 3, endS: 4 });
    expect(placeSegment(segs, 4.5, 1)).toEqual({ startS: 4.5, endS: 5 });
    expect(placeSegment(segs, 1.5, 1)).toBeNull();
    expect(placeSegment(segs, 4.99, 1)).toBeNull();
  });
});

describe('selection', () => {
  it('replaces on a plain click and toggles within a kind with Shift/Ctrl', () => {
    let s = clickSelect(NOTHING, 'clips', 'a', false);
    s = clickSelect(s, 'clips', 'b', true);
    expect(s).toEqual({ kind: 'clips', ids: ['a', 'b'] });
    s = clickSelect(s, 'clips', 'a', true);
    expect(s).toEqual({ kind: 'clips', ids: ['b'] });
    expect(clickSelect(s, 'keys', 'k', true)).toEqual({ kind: 'keys', ids: ['k'] });
    expect(clickSelect({ kind: 'clips', ids: ['b'] }, 'clips', 'b', true)).toEqual(NOTHING);
  });
  it('keeps a selection pressed on for a group drag, and drops ids that are gone', () => {
    const s = { kind: 'keys' as const, ids: ['x', 'y'] };
    expect(pressSelect(s, 'keys', 'y', false)).toBe(s);
    expect(pressSelect(s, 'keys', 'z', false)).toEqual({ kind: 'keys', ids: ['z'] });
    expect(pruneSelection(s, (_kind, id) => id === 'y')).toEqual({ kind: 'keys', ids: ['y'] });
    expect(pruneSelection(s, () => false)).toEqual(NOTHING);
  });
});

/** Timers the test advances by hand. */
function manualTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    set(fn, ms) {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clear(handle) {
      pending.delete(handle as number);
    },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) {
          pending.delete(id);
          t.fn();
        }
      }
    },
  };
}

describe('view state', () => {
  it('saves once after changes settle, and not at all when nothing changed', () => {
    const timers = manualTimers();
    const saved: ViewState[] = [];
    const saver = new ViewSaver((v) => saved.push(v), DEFAULT_VIEW_STATE, 500, timers);
    saver.update({ ...DEFAULT_VIEW_STATE, pxPerS: 70 });
    timers.advance(300);
    saver.update({ ...DEFAULT_VIEW_STATE, pxPerS: 80 });
    timers.advance(300);
    expect(saved).toEqual([]);
    timers.advance(250);
    expect(saved.map((v) => v.pxPerS)).toEqual([80]);
    saver.update({ ...DEFAULT_VIEW_STATE, pxPerS: 80 });
    timers.advance(1000);
    expect(saved).toHaveLength(1);
    saver.update({ ...DEFAULT_VIEW_STATE, loop: true });
    saver.flush();
    expect(saved.map((v) => v.loop)).toEqual([false, true]);
    saver.dispose();
  });
  it('restores a stored view with defaults for what is missing and everything in range', () => {
    expect(restoreView(null)).toEqual(DEFAULT_VIEW_STATE);
    const v = restoreView({ pxPerS: 1e9, panels: { mediaBin: 5, inspector: 300, timeline: 9999 } } as Partial<ViewState>);
    expect(v.pxPerS).toBe(MAX_PX_PER_S);
    expect(v.panels.mediaBin).toBeGreaterThanOrEqual(180);
    expect(v.panels.timeline).toBeLessThanOrEqual(720);
    expect(v.previewMode).toBe('orbit');
  });
});
