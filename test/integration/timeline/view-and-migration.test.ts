/** project.saveView (outside the undo log) and the schema 2 -> 3 migration. */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../../src/main/project/migrations.ts';
import { ProjectStore } from '../../../src/main/project/project-store.ts';
import { DEFAULT_VIEW_STATE, type ViewState } from '../../../src/shared/project/types.ts';
import { migrations, SCHEMA_DIR, tempDir } from '../project/store-helpers.ts';
import { openTestStudio, orbitKey, type TestStudio } from './timeline-helpers.ts';

const view: ViewState = { ...DEFAULT_VIEW_STATE, pxPerS: 240, scrollS: 12.5, playheadS: 14.04, panels: { mediaBin: 200, inspector: 320, timeline: 300 }, previewMode: 'path', loop: true };

let t: TestStudio | null = null;
afterEach(() => t?.studio.dispose());

describe('project.saveView', () => {
  it('is null until saved; survives reopening; is no edit (no history, no revision) and undo never touches it', async () => {
    t = await openTestStudio();
    const fresh = (await t.call('project.current', {}))!;
    expect(fresh.view).toBeNull();
    await t.call('camera.addKey', { key: orbitKey(1) });
    const edited = (await t.call('project.current', {}))!;
    expect(await t.call('project.saveView', { view })).toBeNull();
    const saved = (await t.call('project.current', {}))!;
    expect(saved.view).toEqual(view);
    expect(saved.revision).toBe(edited.revision);
    expect(saved.history).toEqual(edited.history);
    const undone = await t.call('history.undo', {});
    expect(undone.cameraKeys).toEqual([]);
    expect(undone.view).toEqual(view);
    expect(undone.history.canUndo).toBe(false);
    await t.call('project.close', {});
    const reopened = await t.call('project.open', { path: saved.path });
    expect(reopened.view).toEqual(view);
  });

  it('refuses an invalid view', async () => {
    t = await openTestStudio();
    expect(await t.fail('project.saveView', { view: { ...view, pxPerS: -1 } })).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reads a view written by another build: unknown fields dropped, missing ones defaulted', () => {
    const path = join(tempDir(), 'v.splatproj');
    ProjectStore.create(path, 'V', { migrations }).close();
    const db = new Database(path);
    db.prepare(`INSERT INTO view_state (key, value) VALUES ('studio', ?)`).run(JSON.stringify({ pxPerS: 10, future: 1, panels: { inspector: 5 } }));
    db.close();
    const store = ProjectStore.open(path, { migrations });
    expect(store.snapshot().view).toEqual({ ...DEFAULT_VIEW_STATE, pxPerS: 10, panels: { ...DEFAULT_VIEW_STATE.panels, inspector: 5 } });
    store.close();
  });
});

describe('schema 3 migration', () => {
  function schemaTwoProject(): string {
    const dir = tempDir();
    for (const file of ['0001_initial.sql', '0002_avatar_details.sql']) copyFileSync(join(SCHEMA_DIR, file), join(dir, file));
    const path = join(tempDir(), 'two.splatproj');
    ProjectStore.create(path, 'Schema two', { migrations: loadMigrations(dir) }).close();
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    db.prepare(`INSERT INTO blobs (sha256, size, bytes) VALUES (?, 1, x'00')`).run('a'.repeat(64));
    db.prepare(`INSERT INTO media (id, sha256, kind, name, mime, size, duration_s, sample_rate, channels, imported_at) VALUES ('m1', ?, 'audio', 'a.wav', 'audio/wav', 1, 3, 16000, 1, '2024-01-01T00:00:00Z')`).run('a'.repeat(64));
    db.prepare(`INSERT INTO audio_clips (id, track_id, media_id, start_s) VALUES ('c1', 'audio-1', 'm1', 1.5)`).run();
    db.prepare(`INSERT INTO camera_keyframes (id, time_s, mode, yaw_deg, pitch_deg, distance, target_x, target_y, target_z, fov_deg, easing) VALUES ('k1', 2, 'orbit', 30, -10, 2.5, 0, 0.1, 0, 25, 'ease-in')`).run();
    db.prepare(`INSERT INTO timewarp_segments (id, start_s, end_s, rate, audio_mode) VALUES ('w1', 3, 4, 0, 'pause')`).run();
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
    return path;
  }

  it('brings a schema 2 project to 3 keeping its clips, keys and segments (untied, no view yet)', () => {
    const store = ProjectStore.open(schemaTwoProject(), { migrations });
    const snapshot = store.snapshot();
    expect(snapshot.schemaVersion).toBe(3);
    expect(snapshot.clips).toMatchObject([{ id: 'c1', startS: 1.5, mediaId: 'm1' }]);
    expect(snapshot.cameraKeys).toEqual([
      { id: 'k1', timeS: 2, mode: 'orbit', yawDeg: 30, pitchDeg: -10, distance: 2.5, position: null, target: [0, 0.1, 0], rollDeg: 0, fovDeg: 25, interpolation: 'smooth', tension: 0, continuity: 0, bias: 0, easing: 'ease-in', clipId: null },
    ]);
    expect(snapshot.timeWarp).toEqual([{ id: 'w1', startS: 3, endS: 4, rate: 0, audioMode: 'pause', clipId: null }]);
    expect(snapshot.view).toBeNull();
    store.close();
  });

  it('the tie column refuses a dangling clip id', () => {
    const path = schemaTwoProject();
    ProjectStore.open(path, { migrations }).close();
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    expect(() => db.prepare(`UPDATE camera_keyframes SET clip_id = 'nope' WHERE id = 'k1'`).run()).toThrow(/FOREIGN KEY/);
    db.prepare(`UPDATE camera_keyframes SET clip_id = 'c1' WHERE id = 'k1'`).run();
    expect(() => db.prepare(`DELETE FROM audio_clips WHERE id = 'c1'`).run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('a file from a newer schema is still refused and left unchanged', () => {
    const path = join(tempDir(), 'new.splatproj');
    ProjectStore.create(path, 'New', { migrations }).close();
    const db = new Database(path);
    db.pragma('user_version = 4');
    db.close();
    expect(() => ProjectStore.open(path, { migrations })).toThrow(/newer version/);
  });
});
