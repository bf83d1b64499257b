/** Wires the studio's keyboard shortcuts (state/shortcuts.ts) to actions while mounted. */
import { useEffect, useRef } from 'react';
import { isTypingTarget, shortcutFor, type ShortcutAction } from '../state/shortcuts.ts';

export function useShortcuts(run: (action: ShortcutAction) => void): void {
  const handler = useRef(run);
  useEffect(() => {
    handler.current = run;
  });
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.isComposing) return;
      // A modal dialog owns the keyboard while it is open.
      if (document.querySelector('dialog[open]')) return;
      const action = shortcutFor({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        shiftKey: e.shiftKey,
        altKey: e.altKey,
        repeat: e.repeat,
        typing: isTypingTarget(e.target as HTMLElement | null),
      });
      if (!action) return;
      e.preventDefault();
      handler.current(action);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
