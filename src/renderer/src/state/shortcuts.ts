/**
 * Keyboard shortcuts of the studio frame, as a pure mapping from a key event to an action, so
 * the table is tested without a browser. Ctrl on Linux/Windows and Cmd on macOS are both accepted.
 */
export type ShortcutAction = 'undo' | 'redo' | 'import' | 'delete';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** True when focus is in a text field, where the field owns these keys. */
  typing: boolean;
}

export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.typing || e.altKey) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (mod && !e.shiftKey && key === 'y') return 'redo';
  if (mod && !e.shiftKey && key === 'i') return 'import';
  if (!mod && !e.shiftKey && (key === 'Delete' || key === 'Backspace')) return 'delete';
  return null;
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
