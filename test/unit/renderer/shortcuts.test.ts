import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutFor, shortcutList, type KeyLike } from '../../../src/renderer/src/state/shortcuts.ts';

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
    expect(shortcutFor(key('Escape'))).toBe('deselect');
  });
  it('leaves keys alone while typing, with Alt, or without the modifier', () => {
    expect(shortcutFor(key('z', { ctrlKey: true, typing: true }))).toBeNull();
    expect(shortcutFor(key('Delete', { typing: true }))).toBeNull();
    expect(shortcutFor(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutFor(key('z'))).toBeNull();
    expect(shortcutFor(key('q'))).toBeNull();
    expect(shortcutFor(key('Delete', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key(' ', { typing: true }))).toBeNull();
  });
  it('maps the transport keys editors share: Space, J/K/L, arrows, Home/End, I/O', () => {
    expect(shortcutFor(key(' '))).toBe('play-pause');
    expect(shortcutFor(key('j'))).toBe('shuttle-reverse');
    expect(shortcutFor(key('k'))).toBe('shuttle-stop');
    expect(shortcutFor(key('l'))).toBe('shuttle-forward');
    expect(shortcutFor(key('L', { shiftKey: true }))).toBe('loop-toggle');
    expect(shortcutFor(key('ArrowLeft'))).toBe('frame-back');
    expect(shortcutFor(key('ArrowRight'))).toBe('frame-forward');
    expect(shortcutFor(key('ArrowLeft', { shiftKey: true }))).toBe('second-back');
    expect(shortcutFor(key('ArrowRight', { shiftKey: true }))).toBe('second-forward');
    expect(shortcutFor(key('Home'))).toBe('home');
    expect(shortcutFor(key('End'))).toBe('end');
    expect(shortcutFor(key('i'))).toBe('loop-in');
    expect(shortcutFor(key('o'))).toBe('loop-out');
  });
  it('maps editing, zoom and the list of shortcuts', () => {
    expect(shortcutFor(key('s'))).toBe('split');
    expect(shortcutFor(key('c'))).toBe('add-key');
    expect(shortcutFor(key('f'))).toBe('add-freeze');
    expect(shortcutFor(key('+', { shiftKey: true }))).toBe('zoom-in');
    expect(shortcutFor(key('='))).toBe('zoom-in');
    expect(shortcutFor(key('-'))).toBe('zoom-out');
    expect(shortcutFor(key('0'))).toBe('zoom-fit');
    expect(shortcutFor(key('?', { shiftKey: true }))).toBe('show-shortcuts');
    expect(shortcutFor(key('s', { ctrlKey: true }))).toBeNull();
  });
  it('opens the export dialog with Ctrl+E or Cmd+E, and leaves a plain E alone', () => {
    expect(shortcutFor(key('e', { ctrlKey: true }))).toBe('export');
    expect(shortcutFor(key('e', { metaKey: true }))).toBe('export');
    expect(shortcutFor(key('E', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(shortcutFor(key('e'))).toBeNull();
  });
});

describe('shortcutList', () => {
  it('lists every action once with all its keys', () => {
    const list = shortcutList();
    const descriptions = list.map((r) => r.description);
    expect(new Set(descriptions).size).toBe(descriptions.length);
    expect(list.find((r) => r.description === 'Redo')?.keys).toEqual(['Ctrl+Shift+Z', 'Ctrl+Y']);
    expect(list.find((r) => r.description.startsWith('Delete'))?.keys).toEqual(['Delete', 'Backspace']);
    expect(shortcutList(true).find((r) => r.description === 'Undo')?.keys).toEqual(['⌘Z']);
    expect(list.length).toBeGreaterThanOrEqual(20);
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
