/**
 * The timeline's maths between pixels and seconds, and what a drag does to a clip, a key or a
 * segment: pure, so the editor's behaviour is unit-tested without a browser. Times here are
 * output time unless named otherwise (see src/shared/timeline/time-warp.ts).
 */

/** Zoom limits, pixels per second: a whole hour fits ~720 px; one 25 fps frame spans 160 px. */
export const MIN_PX_PER_S = 0.2;
export const MAX_PX_PER_S = 4000;
/** One timeline frame (TIMELINE_FPS = 25), the shortest clip or segment a drag leaves. */
export const FRAME_S = 1 / 25;
/** Snapping reaches this many pixels, whatever the zoom. */
export const SNAP_PX = 8;

export interface TimeScale {
  pxPerS: number;
  /** Output time at the lane's left edge. */
  scrollS: number;
}

export function timeToX(scale: TimeScale, timeS: number): number {
  return (timeS - scale.scrollS) * scale.pxPerS;
}

export function xToTime(scale: TimeScale, x: number): number {
  return scale.scrollS + x / scale.pxPerS;
}

export function clampZoom(pxPerS: number): number {
  if (!Number.isFinite(pxPerS)) return MIN_PX_PER_S;
  return Math.min(MAX_PX_PER_S, Math.max(MIN_PX_PER_S, pxPerS));
}

/** Largest scroll that still shows the end of `totalS` at the lane's right edge. */
export function maxScroll(totalS: number, viewWidthPx: number, pxPerS: number): number {
  return Math.max(0, totalS - viewWidthPx / pxPerS);
}

export function clampScroll(scrollS: number, totalS: number, viewWidthPx: number, pxPerS: number): number {
  return Math.min(maxScroll(totalS, viewWidthPx, pxPerS), Math.max(0, scrollS));
}

/**
 * Zooms by `factor` keeping the time under `anchorX` (lane pixels) where it is: the time under
 * the mouse for Ctrl+wheel, the playhead for the buttons.
 */
export function zoomAt(scale: TimeScale, factor: number, anchorX: number): TimeScale {
  const anchorS = xToTime(scale, anchorX);
  const pxPerS = clampZoom(scale.pxPerS * factor);
  return { pxPerS, scrollS: Math.max(0, anchorS - anchorX / pxPerS) };
}

/** The zoom slider is logarithmic: 0 = whole hour, 1 = single frames. */
export function zoomToSlider(pxPerS: number): number {
  return Math.log(clampZoom(pxPerS) / MIN_PX_PER_S) / Math.log(MAX_PX_PER_S / MIN_PX_PER_S);
}

export function sliderToZoom(value: number): number {
  return clampZoom(MIN_PX_PER_S * Math.pow(MAX_PX_PER_S / MIN_PX_PER_S, Math.min(1, Math.max(0, value))));
}

/** The zoom at which `totalS` fills `viewWidthPx`. */
export function fitZoom(totalS: number, viewWidthPx: number): number {
  return clampZoom(viewWidthPx / Math.max(totalS, FRAME_S));
}

/** Time to a whole frame, so keys, splits and segments land on frames the export renders. */
export function toFrame(timeS: number, fps = 25): number {
  return Math.round(timeS * fps) / fps;
}

export interface Snapper {
  (timeS: number): { timeS: number; target: number | null };
}

/**
 * Moves a group by `deltaS`, snapping whichever of the group's edges lands nearest a target, and
 * never before 0. `edges` are the group's edge times before the drag; returns the delta to apply.
 */
export function snappedDelta(edges: readonly number[], deltaS: number, snap: Snapper | null): { deltaS: number; target: number | null } {
  const earliest = Math.min(...edges);
  let best: { deltaS: number; target: number | null; distance: number } = { deltaS, target: null, distance: Infinity };
  if (snap) {
    for (const edge of edges) {
      const moved = edge + deltaS;
      const snapped = snap(moved);
      if (snapped.target === null) continue;
      const distance = Math.abs(snapped.timeS - moved);
      if (distance < best.distance) best = { deltaS: snapped.timeS - edge, target: snapped.target, distance };
    }
  }
  const clamped = Math.max(best.deltaS, -earliest);
  return { deltaS: clamped, target: clamped === best.deltaS ? best.target : null };
}

/** A clip as the trim maths needs it; times are animation (timeline) time. */
export interface ClipSpan {
  startS: number;
  trimInS: number;
  trimOutS: number;
  /** Length of the whole media. */
  mediaS: number;
}

export function clipLengthOf(c: ClipSpan): number {
  return Math.max(0, c.mediaS - c.trimInS - c.trimOutS);
}

/**
 * Dragging the clip's left edge to `newStartS`: the audio under the rest of the clip stays where
 * it is (start and trim-in move together), within the media and leaving at least one frame.
 */
export function trimLeft(c: ClipSpan, newStartS: number): Pick<ClipSpan, 'startS' | 'trimInS'> {
  const end = c.startS + clipLengthOf(c);
  const earliest = Math.max(0, c.startS - c.trimInS);
  const latest = end - FRAME_S;
  const startS = Math.min(latest, Math.max(earliest, newStartS));
  return { startS, trimInS: Math.max(0, c.trimInS + (startS - c.startS)) };
}

/** Dragging the clip's right edge to `newEndS`: only trim-out changes. */
export function trimRight(c: ClipSpan, newEndS: number): Pick<ClipSpan, 'trimOutS'> {
  const longest = c.mediaS - c.trimInS;
  const length = Math.min(longest, Math.max(FRAME_S, newEndS - c.startS));
  return { trimOutS: Math.max(0, c.mediaS - c.trimInS - length) };
}

/** A segment edge dragged to `timeS`, kept at least a frame long and clear of its neighbours. */
export function moveSegmentEdge(
  seg: { startS: number; endS: number },
  edge: 'start' | 'end',
  timeS: number,
  bounds: { minS: number; maxS: number },
): { startS: number; endS: number } {
  if (edge === 'start') return { startS: Math.min(seg.endS - FRAME_S, Math.max(bounds.minS, timeS)), endS: seg.endS };
  return { startS: seg.startS, endS: Math.max(seg.startS + FRAME_S, Math.min(bounds.maxS, timeS)) };
}

/** Room a segment may take: between the end of the one before it and the start of the one after. */
export function segmentBounds(segments: readonly { id: string; startS: number; endS: number }[], id: string): { minS: number; maxS: number } {
  let minS = 0;
  let maxS = 86_400;
  const self = segments.find((s) => s.id === id);
  if (!self) return { minS, maxS };
  for (const s of segments) {
    if (s.id === id) continue;
    if (s.endS <= self.startS + 1e-9) minS = Math.max(minS, s.endS);
    if (s.startS >= self.endS - 1e-9) maxS = Math.min(maxS, s.startS);
  }
  return { minS, maxS };
}

/** A whole segment moved by `deltaS` inside its bounds, length kept. */
export function moveSegment(seg: { startS: number; endS: number }, deltaS: number, bounds: { minS: number; maxS: number }): { startS: number; endS: number } {
  const length = seg.endS - seg.startS;
  const startS = Math.min(bounds.maxS - length, Math.max(bounds.minS, seg.startS + deltaS));
  return { startS, endS: startS + length };
}

/**
 * Where a new segment of `lengthS` fits at `atS`: there when free, shortened to the gap before
 * the next segment, or null when `atS` lies inside one (or the gap is under a frame).
 */
export function placeSegment(segments: readonly { startS: number; endS: number }[], atS: number, lengthS: number): { startS: number; endS: number } | null {
  const startS = Math.max(0, atS);
  if (segments.some((s) => startS >= s.startS - 1e-9 && startS < s.endS - 1e-9)) return null;
  const next = segments.filter((s) => s.startS >= startS).reduce((m, s) => Math.min(m, s.startS), Infinity);
  const endS = Math.min(startS + lengthS, next);
  return endS - startS >= FRAME_S - 1e-9 ? { startS, endS } : null;
}
