/**
 * Moving and trimming audio clips: the selected clips move together (snapping whichever edge
 * lands nearest a target), across audio tracks too; an edge drag trims one clip. The clips are
 * drawn where the drag puts them, and the change is sent once, on release, as one undoable
 * `timeline.updateClips` edit. Positions are animation time; the drag is measured in output
 * pixels, equal away from time-warp segments.
 */
import { useState, type PointerEvent as ReactPointerEvent } from 'react';
import { FRAME_S, snappedDelta, trimLeft, trimRight } from '../../state/editor-geometry.ts';
import type { ClipView } from '../../state/editor-model.ts';
import { pressSelect, selectedIds } from '../../state/editor-selection.ts';
import { additive, type LaneContext } from './lane-context.ts';
import { useDrag } from './use-drag.ts';

export interface ClipDraft {
  startS: number;
  trimInS: number;
  trimOutS: number;
  trackId: string;
}

type Mode = 'move' | 'left' | 'right';

/** The audio track under the pointer, if any (lanes carry data-track-id and data-kind). */
function audioTrackAt(x: number, y: number): string | null {
  const lane = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-lane-kind="audio"]');
  return lane?.dataset.trackId ?? null;
}

export function useClipDrag(ctx: LaneContext, clips: readonly ClipView[]) {
  const [grab, setGrab] = useState<{ id: string; mode: Mode } | null>(null);
  const [drafts, setDrafts] = useState<ReadonlyMap<string, ClipDraft> | null>(null);

  const drag = useDrag({
    onMove(dx, e) {
      if (!grab) return;
      const deltaS = dx / ctx.scale.pxPerS;
      const next = new Map<string, ClipDraft>();
      if (grab.mode === 'move') {
        const ids = new Set(selectedIds(ctx.selection, 'clips'));
        const moving = clips.filter((c) => ids.has(c.clip.id));
        const edges = moving.flatMap((c) => [c.outStartS, c.outEndS]);
        if (edges.length === 0) return;
        const r = snappedDelta(edges, deltaS, ctx.snapper(ids, e));
        ctx.showGuide(r.target);
        const track = moving.length === 1 ? audioTrackAt(e.clientX, e.clientY) : null;
        // Animation time never goes below 0, even when output time (with freezes) could.
        const lowest = Math.min(...moving.map((c) => c.clip.startS));
        const d = Math.max(r.deltaS, -lowest);
        for (const c of moving) {
          next.set(c.clip.id, { startS: c.clip.startS + d, trimInS: c.clip.trimInS, trimOutS: c.clip.trimOutS, trackId: track ?? c.clip.trackId });
        }
      } else {
        const c = clips.find((v) => v.clip.id === grab.id);
        if (!c) return;
        const snap = ctx.snapper(new Set([c.clip.id]), e);
        const span = { startS: c.clip.startS, trimInS: c.clip.trimInS, trimOutS: c.clip.trimOutS, mediaS: c.mediaS };
        if (grab.mode === 'left') {
          const want = snap ? snap(c.outStartS + deltaS) : { timeS: c.outStartS + deltaS, target: null };
          ctx.showGuide(want.target);
          const t = trimLeft(span, c.clip.startS + (want.timeS - c.outStartS));
          next.set(c.clip.id, { ...span, ...t, trackId: c.clip.trackId });
        } else {
          const want = snap ? snap(c.outEndS + deltaS) : { timeS: c.outEndS + deltaS, target: null };
          ctx.showGuide(want.target);
          const t = trimRight(span, c.endS + (want.timeS - c.outEndS));
          next.set(c.clip.id, { ...span, ...t, trackId: c.clip.trackId });
        }
      }
      setDrafts(next);
    },
    onEnd() {
      ctx.showGuide(null);
      const current = drafts;
      if (!current || !grab) return setDrafts(null);
      const changes = [...current]
        .map(([clipId, d]) => {
          const c = clips.find((v) => v.clip.id === clipId);
          if (!c) return null;
          const change: { clipId: string; startS?: number; trimInS?: number; trimOutS?: number; trackId?: string } = { clipId };
          if (Math.abs(d.startS - c.clip.startS) > 1e-9) change.startS = Math.max(0, d.startS);
          if (Math.abs(d.trimInS - c.clip.trimInS) > 1e-9) change.trimInS = Math.max(0, d.trimInS);
          if (Math.abs(d.trimOutS - c.clip.trimOutS) > 1e-9) change.trimOutS = Math.max(0, d.trimOutS);
          if (d.trackId !== c.clip.trackId) change.trackId = d.trackId;
          return Object.keys(change).length > 1 ? change : null;
        })
        .filter((c): c is NonNullable<typeof c> => c !== null);
      if (changes.length === 0) return setDrafts(null);
      const label = grab.mode === 'move' ? (changes.length === 1 ? 'Move clip' : 'Move clips') : 'Trim clip';
      void ctx.actions.updateClips(label, changes).finally(() => setDrafts(null));
    },
    onClick(e) {
      // The press already toggled an additive click; a plain click leaves this clip alone selected.
      if (grab?.mode === 'move' && !additive(e)) ctx.select({ kind: 'clips', ids: [grab.id] });
    },
    onCancel() {
      ctx.showGuide(null);
      setDrafts(null);
    },
  });

  const press = (clip: ClipView, mode: Mode, e: ReactPointerEvent<Element>): void => {
    setGrab({ id: clip.clip.id, mode });
    if (mode === 'move') ctx.select(pressSelect(ctx.selection, 'clips', clip.clip.id, additive(e)));
    else ctx.select({ kind: 'clips', ids: [clip.clip.id] });
    drag(e);
  };

  return { drafts, press, minLengthS: FRAME_S };
}
