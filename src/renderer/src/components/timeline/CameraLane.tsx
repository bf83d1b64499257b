/**
 * The camera track: a diamond per keyframe at its output time. Click selects (Shift/Ctrl adds),
 * drag moves the selected keys in time with snapping, double-click moves the playhead there.
 * The move is sent once, on release, as one undoable edit.
 */
import { useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { CameraKeyframe } from '../../../../shared/project/types.ts';
import { TIMELINE_FPS, formatTimecode } from '../../../../shared/timeline/timecode.ts';
import { snappedDelta, timeToX } from '../../state/editor-geometry.ts';
import { isSelected, pressSelect, selectedIds } from '../../state/editor-selection.ts';
import { additive, type LaneContext } from './lane-context.ts';
import { useDrag } from './use-drag.ts';

interface Props {
  keys: readonly CameraKeyframe[];
  ctx: LaneContext;
}

export function CameraLane({ keys, ctx }: Props) {
  const [moved, setMoved] = useState<{ ids: ReadonlySet<string>; deltaS: number } | null>(null);
  const [pressed, setPressed] = useState<string | null>(null);
  const dragged = moved?.ids ?? new Set<string>();

  const drag = useDrag({
    onMove(dx, e) {
      const ids = new Set(selectedIds(ctx.selection, 'keys'));
      const edges = keys.filter((k) => ids.has(k.id)).map((k) => k.timeS);
      if (edges.length === 0) return;
      const snap = ctx.snapper(ids, e);
      const result = snappedDelta(edges, dx / ctx.scale.pxPerS, snap);
      ctx.showGuide(result.target);
      setMoved({ ids, deltaS: result.deltaS });
    },
    onEnd() {
      ctx.showGuide(null);
      const m = moved;
      if (!m || m.deltaS === 0) return setMoved(null);
      const changes = keys.filter((k) => m.ids.has(k.id)).map((k) => ({ id: k.id, key: { timeS: Math.max(0, k.timeS + m.deltaS) } }));
      void ctx.actions.updateCameraKeys(changes.length === 1 ? 'Move camera key' : 'Move camera keys', changes).finally(() => setMoved(null));
    },
    onClick(e) {
      // The press already toggled an additive click; a plain click leaves this key alone selected.
      if (pressed && !additive(e)) ctx.select({ kind: 'keys', ids: [pressed] });
    },
    onCancel() {
      ctx.showGuide(null);
      setMoved(null);
    },
  });

  const press = (key: CameraKeyframe, e: ReactPointerEvent<Element>): void => {
    setPressed(key.id);
    ctx.select(pressSelect(ctx.selection, 'keys', key.id, additive(e)));
    drag(e);
  };

  return (
    <>
      {keys.map((k) => {
        const timeS = dragged.has(k.id) && moved ? Math.max(0, k.timeS + moved.deltaS) : k.timeS;
        const x = timeToX(ctx.scale, timeS);
        if (x < -12 || x > ctx.widthPx + 12) return null;
        const selected = isSelected(ctx.selection, 'keys', k.id);
        return (
          <button
            type="button"
            key={k.id}
            className={`key-diamond key-${k.interpolation} ${selected ? 'is-selected' : ''} ${k.clipId ? 'is-tied' : ''}`}
            style={{ left: x }}
            title={`Camera key at ${formatTimecode(timeS, TIMELINE_FPS)} · ${k.interpolation}${k.clipId ? ' · tied to a clip' : ''} (double-click: go there)`}
            aria-label={`Camera key at ${formatTimecode(timeS, TIMELINE_FPS)}`}
            aria-pressed={selected}
            data-testid="camera-key"
            data-key-id={k.id}
            data-time={timeS.toFixed(3)}
            onPointerDown={(e) => press(k, e)}
            onDoubleClick={() => ctx.transport.seek(k.timeS)}
          />
        );
      })}
    </>
  );
}
