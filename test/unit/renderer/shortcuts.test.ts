import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutFor, type KeyLike } from '../../../src/renderer/src/state/shortcuts.ts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  typing: false,
  ...mods,
});

describe('shortcutFor', () => {
  it('maps undo and redo with Ctrl or Cmd', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }))).toBe('undo');
    expect(shortcutFor(key('z', { metaKey: true }))).toBe('undo');
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(shortcutFor(key('z', { metaKey: true, shiftKey: true }))).toBe('redo');
    expect(shortcutFor(key('y', { ctrlKey: true }))).toBe('redo');
  });
  it('maps import and delete', () => {
    expect(shortcutFor(key('i', { ctrlKey: true }))).toBe('import');
    expect(shortcutFor(key('Delete'))).toBe('delete');
    expect(shortcutFor(key('Backspace'))).toBe('delete');
  });
  it('leaves keys alone while typing, with Alt, or without the modifier', () => {
    expect(shortcutFor(key('z', { ctrlKey: true, typing: true }))).toBeNull();
    expect(shortcutFor(key('Delete', { typing: true }))).toBeNull();
    expect(shortcutFor(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutFor(key('z'))).toBeNull();
    expect(shortcutFor(key('i'))).toBeNull();
    expect(shortcutFor(key('Delete', { ctrlKey: true }))).toBeNull();
  });
});

describe('isTypingTarget', () => {
  it('is true for text fields and editable content only', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'file' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
