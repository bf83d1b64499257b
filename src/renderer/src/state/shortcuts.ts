/**
 * Keyboard shortcuts of the studio frame, as a pure table from a key event to an action, so the
 * table is tested without a browser and the "?" dialog lists exactly what the keyboard does.
 * Ctrl on Linux/Windows and Cmd on macOS are both accepted. Transport keys follow the editors
 * creators know (J/K/L shuttle, I/O marks, Home/End), as in Premiere, Resolve and Avid; what
 * repeated J/K/L presses do is playback/shuttle.ts.
 */
export type ShortcutAction =
  | 'undo'
  | 'redo'
  | 'import'
  | 'delete'
  | 'deselect'
  | 'play-pause'
  | 'shuttle-reverse'
  | 'shuttle-stop'
  | 'shuttle-forward'
  | 'frame-back'
  | 'frame-forward'
  | 'second-back'
  | 'second-forward'
  | 'home'
  | 'end'
  | 'split'
  | 'loop-in'
  | 'loop-out'
  | 'loop-toggle'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-fit'
  | 'add-key'
  | 'add-freeze'
  | 'show-shortcuts'
  | 'export';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** True when focus is in a text field, where the field owns these keys. */
  typing: boolean;
  /** True for the key events a held key auto-repeats. */
  repeat?: boolean;
}

interface Binding {
  action: ShortcutAction;
  /** KeyboardEvent.key, letters lower-case. */
  key: string;
  /** Ctrl (or Cmd) held. */
  mod?: boolean;
  /** Shift held; 'any' when the key itself needs Shift on some layouts ("?", "+"). */
  shift?: boolean | 'any';
  /** Auto-repeat of a held key is ignored (each press counts once: a held L must not race to 4x). */
  once?: boolean;
  /** What the dialog shows for the key. */
  label: string;
  description: string;
}

/** Order is the order of the shortcut list; the first binding that matches wins. */
const BINDINGS: readonly Binding[] = [
  { action: 'play-pause', key: ' ', label: 'Space', description: 'Play / pause' },
  { action: 'shuttle-reverse', key: 'j', once: true, label: 'J', description: 'Play in reverse (again: 2×, 4×); with K held: one frame back' },
  { action: 'shuttle-stop', key: 'k', label: 'K', description: 'Stop (hold K and press J or L to step one frame)' },
  { action: 'shuttle-forward', key: 'l', once: true, label: 'L', description: 'Play forward (again: 2×, 4×); with K held: one frame forward' },
  { action: 'frame-back', key: 'ArrowLeft', label: '←', description: 'One frame back' },
  { action: 'frame-forward', key: 'ArrowRight', label: '→', description: 'One frame forward' },
  { action: 'second-back', key: 'ArrowLeft', shift: true, label: 'Shift+←', description: 'One second back' },
  { action: 'second-forward', key: 'ArrowRight', shift: true, label: 'Shift+→', description: 'One second forward' },
  { action: 'home', key: 'Home', label: 'Home', description: 'Go to the start' },
  { action: 'end', key: 'End', label: 'End', description: 'Go to the end' },
  { action: 'loop-in', key: 'i', label: 'I', description: 'Set loop start at the playhead' },
  { action: 'loop-out', key: 'o', label: 'O', description: 'Set loop end at the playhead' },
  { action: 'loop-toggle', key: 'l', shift: true, label: 'Shift+L', description: 'Loop on / off' },
  { action: 'split', key: 's', label: 'S', description: 'Split the selected clip (or the clip under the playhead) at the playhead' },
  { action: 'delete', key: 'Delete', label: 'Delete', description: 'Delete the selection (clips, keys, segments or media)' },
  { action: 'delete', key: 'Backspace', label: 'Backspace', description: 'Delete the selection' },
  { action: 'deselect', key: 'Escape', label: 'Esc', description: 'Clear the selection' },
  { action: 'add-key', key: 'c', label: 'C', description: 'Add a camera key at the playhead from the current view' },
  { action: 'add-freeze', key: 'f', label: 'F', description: 'Add a 1 s freeze (bullet time) at the playhead' },
  { action: 'zoom-in', key: '+', shift: 'any', label: '+', description: 'Zoom in' },
  { action: 'zoom-in', key: '=', label: '=', description: 'Zoom in' },
  { action: 'zoom-out', key: '-', label: '−', description: 'Zoom out' },
  { action: 'zoom-fit', key: '0', label: '0', description: 'Zoom to fit the whole timeline' },
  { action: 'undo', key: 'z', mod: true, label: 'Ctrl+Z', description: 'Undo' },
  { action: 'redo', key: 'z', mod: true, shift: true, label: 'Ctrl+Shift+Z', description: 'Redo' },
  { action: 'redo', key: 'y', mod: true, label: 'Ctrl+Y', description: 'Redo' },
  { action: 'import', key: 'i', mod: true, label: 'Ctrl+I', description: 'Import media' },
  { action: 'export', key: 'e', mod: true, label: 'Ctrl+E', description: 'Export a video' },
  { action: 'show-shortcuts', key: '?', shift: 'any', label: '?', description: 'Show this list of shortcuts' },
];

function matches(b: Binding, key: string, mod: boolean, shift: boolean): boolean {
  if (b.key !== key) return false;
  if ((b.mod ?? false) !== mod) return false;
  if (b.shift === 'any') return true;
  return (b.shift ?? false) === shift;
}

export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.typing || e.altKey) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const binding = BINDINGS.find((b) => matches(b, key, mod, e.shiftKey));
  if (!binding || (binding.once && e.repeat)) return null;
  return binding.action;
}

export interface ShortcutEntry {
  keys: string[];
  description: string;
}

/** The list the "?" dialog shows: one row per action, every key that runs it. */
export function shortcutList(isMac = false): ShortcutEntry[] {
  const rows = new Map<ShortcutAction, ShortcutEntry>();
  for (const b of BINDINGS) {
    const label = isMac ? b.label.replace('Ctrl+Shift+', '⇧⌘').replace('Ctrl+', '⌘') : b.label;
    const row = rows.get(b.action);
    if (row) row.keys.push(label);
    else rows.set(b.action, { keys: [label], description: b.description });
  }
  return [...rows.values()];
}

/** Whether an element is one where typing happens (inputs, text areas, editable content). */
export function isTypingTarget(target: { tagName?: string; isContentEditable?: boolean; type?: string } | null): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const nonText = ['button', 'checkbox', 'radio', 'range', 'file', 'submit', 'reset', 'color'];
  return !nonText.includes((target.type ?? 'text').toLowerCase());
}
