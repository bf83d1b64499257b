/**
 * Whether a key is held down right now, for chords the keydown table cannot see (K held while J
 * or L is pressed steps a frame, playback/shuttle.ts). A ref, not state: nothing re-renders.
 * Losing focus forgets the key, since its keyup goes to another window.
 */
import { useEffect, useRef, type RefObject } from 'react';

export function useKeyHeld(key: string): RefObject<boolean> {
  const held = useRef(false);
  useEffect(() => {
    const matches = (e: KeyboardEvent): boolean => e.key.toLowerCase() === key;
    const down = (e: KeyboardEvent): void => {
      if (matches(e) && !e.ctrlKey && !e.metaKey && !e.altKey) held.current = true;
    };
    const up = (e: KeyboardEvent): void => {
      if (matches(e)) held.current = false;
    };
    const blur = (): void => {
      held.current = false;
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, [key]);
  return held;
}
