/** What every timeline lane needs from the timeline: the scale, snapping, selection and the edits. */
import type { StudioActions } from '../../hooks/use-actions.ts';
import type { Transport } from '../../playback/transport.ts';
import type { Snapper, TimeScale } from '../../state/editor-geometry.ts';
import type { Selection } from '../../state/editor-selection.ts';

export interface LaneContext {
  scale: TimeScale;
  widthPx: number;
  selection: Selection;
  select: (selection: Selection) => void;
  /** A snapper leaving out the dragged items; null while Alt is held or snapping is off. */
  snapper: (excludeIds: ReadonlySet<string>, e: { altKey: boolean }) => Snapper | null;
  /** Shows where a drag snapped (a guide line), or hides it. */
  showGuide: (timeS: number | null) => void;
  transport: Transport;
  actions: StudioActions;
}

/** Shift, Ctrl or Cmd held: add to or remove from the selection. */
export function additive(e: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): boolean {
  return e.shiftKey || e.ctrlKey || e.metaKey;
}
