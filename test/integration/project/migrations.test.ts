import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, latestVersion, loadMigrations, migrate } from '../../../src/main/project/migrations.ts';
import { ProjectStore } from '../../../src/main/project/project-store.ts';
import { migrations, SCHEMA_DIR, tempDir } from './store-helpers.ts';

const DESIGN_TABLES = ['settings', 'blobs', 'media', 'media_thumbnails', 'media_overviews', 'avatars', 'tracks', 'audio_clips', 'camera_keyframes', 'timewarp_segments', 'exports', 'history', 'meta', 'view_state'];

function tableNames(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
}

describe('migrations', () => {
  it('bring an empty database to the newest version with every table of the design', () => {
    const db = new Database(join(tempDir(), 'empty.db'));
    const result = migrate(db, migrations);
    expect(result).toEqual({ from: 0, to: latestVersion(migrations) });
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(migrations));
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(tableNames(db)).toEqual([...DESIGN_TABLES].sort());
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('apply each migration prefix from empty (every intermediate version is reachable)', () => {
    for (let n = 1; n <= migrations.length; n++) {
      const db = new Database(':memory:');
      expect(migrate(db, migrations.slice(0, n)).to).toBe(n);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
  });

  it('is a no-op on an up-to-date database', () => {
    const db = new Database(':memory:');
    migrate(db, migrations);
    const v = latestVersion(migrations);
    expect(migrate(db, migrations)).toEqual({ from: v, to: v });
  });

  it('roll back every step when one migration fails, leaving the version untouched', () => {
    const dir = tempDir();
    copyFileSync(join(SCHEMA_DIR, '0001_initial.sql'), join(dir, '0001_initial.sql'));
    writeFileSync(join(dir, '0002_good.sql'), 'CREATE TABLE added_by_two (x INTEGER);');
    writeFileSync(join(dir, '0003_broken.sql'), 'CREATE TABLE added_by_three (x INTEGER); THIS IS NOT SQL;');
    const db = new Database(':memory:');
    expect(() => migrate(db, loadMigrations(dir))).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tableNames(db)).toEqual([]);
  });

  it('refuse numbering gaps and empty folders', () => {
    const gap = tempDir();
    writeFileSync(join(gap, '0001_a.sql'), 'SELECT 1;');
    writeFileSync(join(gap, '0003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(gap)).toThrow(/without gaps/);
    const empty = tempDir();
    mkdirSync(join(empty, 'sub'));
    expect(() => loadMigrations(empty)).toThrow(/No migrations/);
  });

  it('migrate an older project forward when it is opened, keeping its data', () => {
    const dir = tempDir();
    const path = join(dir, 'old.splatproj');
    const schemaV1 = tempDir();
    copyFileSync(join(SCHEMA_DIR, '0001_initial.sql'), join(schemaV1, '0001_initial.sql'));
    ProjectStore.create(path, 'Old project', { migrations: loadMigrations(schemaV1) }).close();
    // Opened by this build: every later migration of projects-schema/ is applied.
    const store = ProjectStore.open(path, { migrations });
    expect(store.snapshot().schemaVersion).toBe(latestVersion(migrations));
    expect(latestVersion(migrations)).toBeGreaterThan(1);
    expect(store.name).toBe('Old project');
    store.close();
    const db = new Database(path, { readonly: true });
    const avatarColumns = (db.pragma('table_info(avatars)') as Array<{ name: string }>).map((c) => c.name);
    expect(avatarColumns).toEqual(expect.arrayContaining(['face_index', 'warnings'])); // 0002_avatar_details.sql
    db.close();
  });
});
