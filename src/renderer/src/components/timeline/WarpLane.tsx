/**
 * The time-warp track: a block per segment (freeze or slow motion) at its output time. Click
 * selects, dragging the body moves it, dragging an edge changes its length; never over a
 * neighbour, never under a frame. One undoable edit per drag, sent on release.
 */
import { useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { TimeWarpSegment } from '../../../../shared/project/types.ts';
import { moveSegment, moveSegmentEdge, segmentBounds, snappedDelta, timeToX } from '../../state/editor-geometry.ts';
import { isSelected, pressSelect } from '../../state/editor-selection.ts';
import { additive, type LaneContext } from './lane-context.ts';
import { useDrag } from './use-drag.ts';

type Mode = 'move' | 'start' | 'end';

interface Props {
  segments: readonly TimeWarpSegment[];
  ctx: LaneContext;
}

function describe(s: TimeWarpSegment): string {
  const what = s.rate === 0 ? 'Freeze' : `Slow ×${s.rate.toFixed(2)}`;
  return `${what} · audio ${s.audioMode === 'pause' ? 'pauses and resumes' : 'silent, then jumps on'}`;
}

export function WarpLane({ segments, ctx }: Props) {
  const [draft, setDraft] = useState<{ id: string; startS: number; endS: number } | null>(null);
  const [grab, setGrab] = useState<{ id: string; mode: Mode } | null>(null);

  const drag = useDrag({
    onMove(dx, e) {
      if (!grab) return;
      const seg = segments.find((s) => s.id === grab.id);
      if (!seg) return;
      const bounds = segmentBounds(segments, seg.id);
      const snap = ctx.snapper(new Set([seg.id]), e);
      const delta = dx / ctx.scale.pxPerS;
      let next: { startS: number; endS: number };
      if (grab.mode === 'move') {
        const r = snappedDelta([seg.startS, seg.endS], delta, snap);
        ctx.showGuide(r.target);
        next = moveSegment(seg, r.deltaS, bounds);
      } else {
        const edge = grab.mode === 'start' ? seg.startS : seg.endS;
        const snapped = snap ? snap(edge + delta) : { timeS: edge + delta, target: null };
        ctx.showGuide(snapped.target);
        next = moveSegmentEdge(seg, grab.mode, snapped.timeS, bounds);
      }
      setDraft({ id: seg.id, ...next });
    },
    onEnd() {
      ctx.showGuide(null);
      const d = draft;
      const seg = d && segments.find((s) => s.id === d.id);
      if (!d || !seg || (d.startS === seg.startS && d.endS === seg.endS)) return setDraft(null);
      void ctx.actions.updateTimeWarp(d.id, { startS: d.startS, endS: d.endS }).finally(() => setDraft(null));
    },
    onClick(e) {
      // The press already toggled an additive click; a plain click leaves this segment alone selected.
      if (grab && !additive(e)) ctx.select({ kind: 'segments', ids: [grab.id] });
    },
    onCancel() {
      ctx.showGuide(null);
      setDraft(null);
    },
  });

  const press = (seg: TimeWarpSegment, mode: Mode, e: ReactPointerEvent<Element>): void => {
    setGrab({ id: seg.id, mode });
    ctx.select(pressSelect(ctx.selection, 'segments', seg.id, additive(e)));
    drag(e);
  };

  return (
    <>
      {segments.map((s) => {
        const shown = draft?.id === s.id ? draft : s;
        const left = timeToX(ctx.scale, shown.startS);
        const width = (shown.endS - shown.startS) * ctx.scale.pxPerS;
        if (left > ctx.widthPx || left + width < 0) return null;
        const selected = isSelected(ctx.selection, 'segments', s.id);
        return (
          <div
            key={s.id}
            className={`warp-seg ${s.rate === 0 ? 'warp-freeze' : 'warp-slow'} ${selected ? 'is-selected' : ''}`}
            style={{ left, width: Math.max(3, width) }}
            title={describe(s)}
            data-testid="warp-segment"
            data-segment-id={s.id}
            data-start={shown.startS.toFixed(3)}
            data-end={shown.endS.toFixed(3)}
            onPointerDown={(e) => press(s, 'move', e)}
            onDoubleClick={() => ctx.transport.seek(s.startS)}
          >
            <span className="warp-label">{s.rate === 0 ? 'Freeze' : `×${s.rate.toFixed(2)}`}</span>
            <span className="warp-edge warp-edge-start" onPointerDown={(e) => press(s, 'start', e)} data-testid="warp-edge-start" />
            <span className="warp-edge warp-edge-end" onPointerDown={(e) => press(s, 'end', e)} data-testid="warp-edge-end" />
          </div>
        );
      })}
    </>
  );
}
