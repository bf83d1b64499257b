/**
 * What the creator has selected in the editor: media in the bin, clips, camera keys or time-warp
 * segments (one kind at a time, several of it). Shift or Ctrl/Cmd click adds or removes.
 */
export type Selection =
  | { kind: 'none' }
  | { kind: 'media'; ids: readonly string[] }
  | { kind: 'clips'; ids: readonly string[] }
  | { kind: 'keys'; ids: readonly string[] }
  | { kind: 'segments'; ids: readonly string[] };

export type SelectableKind = Exclude<Selection['kind'], 'none'>;

export const NOTHING: Selection = { kind: 'none' };

export function selectedIds(selection: Selection, kind: SelectableKind): readonly string[] {
  return selection.kind === kind ? selection.ids : [];
}

export function isSelected(selection: Selection, kind: SelectableKind, id: string): boolean {
  return selection.kind === kind && selection.ids.includes(id);
}

/** A click on an item: alone replaces the selection; with `additive` toggles it within its kind. */
export function clickSelect(selection: Selection, kind: SelectableKind, id: string, additive: boolean): Selection {
  if (!additive || selection.kind !== kind) return { kind, ids: [id] };
  const ids = selection.ids.includes(id) ? selection.ids.filter((x) => x !== id) : [...selection.ids, id];
  return ids.length === 0 ? NOTHING : { kind, ids };
}

/** Pressing on an item to drag it keeps a selection it belongs to, so the whole selection moves. */
export function pressSelect(selection: Selection, kind: SelectableKind, id: string, additive: boolean): Selection {
  if (!additive && isSelected(selection, kind, id)) return selection;
  return clickSelect(selection, kind, id, additive);
}

/** Drops ids that no longer exist (after undo, a delete, another project). */
export function pruneSelection(selection: Selection, exists: (kind: SelectableKind, id: string) => boolean): Selection {
  if (selection.kind === 'none') return selection;
  const ids = selection.ids.filter((id) => exists(selection.kind as SelectableKind, id));
  if (ids.length === selection.ids.length) return selection;
  return ids.length === 0 ? NOTHING : { kind: selection.kind, ids };
}
