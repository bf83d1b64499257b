import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToastStore } from '../../../src/renderer/src/state/toasts.ts';

describe('ToastStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('notifies subscribers and turns a progress toast into a result in place', () => {
    const store = new ToastStore();
    const listener = vi.fn();
    store.subscribe(listener);
    const id = store.show('progress', 'a.png', 'Importing…');
    store.update(id, 'success', 'Imported');
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot()).toEqual([{ id, kind: 'success', title: 'a.png', message: 'Imported' }]);
  });

  it('fades successes after a while but keeps errors and progress', () => {
    const store = new ToastStore();
    store.show('success', 'a', 'done');
    store.show('error', 'b.txt', 'not an image or audio file');
    store.show('progress', 'c', 'Importing…');
    vi.advanceTimersByTime(60_000);
    expect(store.getSnapshot().map((t) => t.kind)).toEqual(['error', 'progress']);
  });

  it('drops the oldest finished toasts beyond eight, never a running one', () => {
    const store = new ToastStore();
    store.show('progress', 'running', '…');
    for (let i = 0; i < 10; i++) store.show('error', `e${i}`, 'x');
    const titles = store.getSnapshot().map((t) => t.title);
    expect(titles).toHaveLength(8);
    expect(titles[0]).toBe('running');
    expect(titles.at(-1)).toBe('e9');
  });

  it('dismisses by id', () => {
    const store = new ToastStore();
    const id = store.show('error', 'x', 'y');
    store.dismiss(id);
    expect(store.getSnapshot()).toEqual([]);
  });
});
