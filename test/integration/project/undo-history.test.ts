import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../src/main/project/project-store.ts';
import { migrations, tempDir } from './store-helpers.ts';

function newStore(): ProjectStore {
  return ProjectStore.create(join(tempDir(), 'p.splatproj'), 'Start', { migrations });
}

function rename(store: ProjectStore, name: string): boolean {
  return store.edit('Rename project', (m) => m.update('settings', 'project.name', { value: JSON.stringify(name) }));
}

describe('edits and undo/redo', () => {
  it('undo and redo walk the edits back and forth', () => {
    const store = newStore();
    rename(store, 'A');
    rename(store, 'B');
    expect(store.name).toBe('B');
    expect(store.undo()).toBe(true);
    expect(store.name).toBe('A');
    expect(store.undo()).toBe(true);
    expect(store.name).toBe('Start');
    expect(store.undo()).toBe(false);
    expect(store.redo()).toBe(true);
    expect(store.name).toBe('A');
    expect(store.snapshot().history).toEqual({ canUndo: true, canRedo: true, undoLabel: 'Rename project', redoLabel: 'Rename project' });
  });

  it('a new edit after an undo discards the redo stack', () => {
    const store = newStore();
    rename(store, 'A');
    rename(store, 'B');
    store.undo();
    rename(store, 'C');
    expect(store.redo()).toBe(false);
    store.undo();
    expect(store.name).toBe('A');
  });

  it('an edit that changes nothing records no history and bumps no revision', () => {
    const store = newStore();
    const revision = store.revision;
    expect(rename(store, 'Start')).toBe(false);
    expect(store.snapshot().history.canUndo).toBe(false);
    expect(store.revision).toBe(revision);
  });

  it('survives a restart: undo after reopening reverts the edit made before closing', () => {
    const path = join(tempDir(), 'persist.splatproj');
    let store = ProjectStore.create(path, 'Before', { migrations });
    rename(store, 'After');
    store.close();
    store = ProjectStore.open(path, { migrations });
    expect(store.name).toBe('After');
    expect(store.undo()).toBe(true);
    store.close();
    store = ProjectStore.open(path, { migrations });
    expect(store.name).toBe('Before');
    expect(store.snapshot().history.redoLabel).toBe('Rename project');
    expect(store.redo()).toBe(true);
    expect(store.name).toBe('After');
    store.close();
  });

  it('undoes a multi-row edit (insert, update, delete) in reverse order, respecting foreign keys', () => {
    const store = newStore();
    const sha = store.putBlob(new Uint8Array([1, 2, 3]));
    const media = { id: 'm1', sha256: sha, kind: 'audio', name: 'a.wav', mime: 'audio/wav', size: 3, width: null, height: null, duration_s: 1.5, sample_rate: 16000, channels: 1, imported_at: 'now' };
    store.edit('Import', (m) => m.insert('media', media));
    store.edit('Place clip', (m) => m.insert('audio_clips', { id: 'c1', track_id: 'audio-1', media_id: 'm1', start_s: 2, trim_in_s: 0, trim_out_s: 0, gain: 1 }));
    store.edit('Remove a.wav', (m) => {
      m.delete('audio_clips', 'c1');
      m.delete('media', 'm1');
    });
    expect(store.snapshot().media).toHaveLength(0);
    expect(store.undo()).toBe(true);
    const restored = store.snapshot();
    expect(restored.media.map((m) => m.id)).toEqual(['m1']);
    expect(restored.clips).toEqual([{ id: 'c1', trackId: 'audio-1', mediaId: 'm1', startS: 2, trimInS: 0, trimOutS: 0, gain: 1 }]);
    expect(store.redo()).toBe(true);
    expect(store.snapshot().clips).toHaveLength(0);
  });

  it('a failing edit rolls back completely and records nothing', () => {
    const store = newStore();
    const before = store.snapshot();
    expect(() =>
      store.edit('Bad', (m) => {
        m.update('settings', 'project.name', { value: JSON.stringify('Half') });
        m.insert('audio_clips', { id: 'c1', track_id: 'no-such-track', media_id: 'none', start_s: 0, trim_in_s: 0, trim_out_s: 0, gain: 1 });
      }),
    ).toThrow();
    expect(store.snapshot()).toEqual(before);
  });

  it('refuses columns that do not exist and blobs in undoable rows', () => {
    const store = newStore();
    expect(() => store.edit('x', (m) => m.update('settings', 'project.name', { 'value = 1; DROP TABLE media; --': 'x' }))).toThrow(/no column/);
    expect(() => store.edit('x', (m) => m.insert('settings', { key: 'k', value: new Uint8Array(2) as unknown as string }))).toThrow(/text, numbers or null/);
  });

  it('content-addressed blobs are stored once', () => {
    const store = newStore();
    const a = store.putBlob(new Uint8Array([9, 9, 9]));
    const b = store.putBlob(new Uint8Array([9, 9, 9]));
    expect(a).toBe(b);
    expect(a).toBe(createHash('sha256').update(Buffer.from([9, 9, 9])).digest('hex'));
    expect([...(store.getBlob(a) ?? [])]).toEqual([9, 9, 9]);
  });
});
