/**
 * Each bad project file gets a clear, specific error and is left byte-for-byte untouched.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { ProjectStore } from '../../../src/main/project/project-store.ts';
import { migrations, tempDir } from './store-helpers.ts';

function fingerprint(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function openError(path: string): ApiError {
  try {
    ProjectStore.open(path, { migrations }).close();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error(`expected ${path} to be refused`);
}

/** A valid project with some content, large enough to span many pages. */
function makeProject(dir: string, name = 'good.splatproj'): string {
  const path = join(dir, name);
  const store = ProjectStore.create(path, 'Good', { migrations });
  for (let i = 0; i < 8; i++) store.putBlob(new Uint8Array(64 * 1024).fill(i + 1));
  store.edit('Rename project', (m) => m.update('settings', 'project.name', { value: JSON.stringify('Good project') }));
  store.close();
  return path;
}

describe('opening bad project files', () => {
  const dir = tempDir('sps-bad-');

  it('a text file is not a project', () => {
    const path = join(dir, 'notes.splatproj');
    writeFileSync(path, 'just some notes\n'.repeat(20));
    const before = fingerprint(path);
    const error = openError(path);
    expect(error.code).toBe('NOT_A_PROJECT');
    expect(error.message).toMatch(/notes\.splatproj is not a Splat-Portrait project/);
    expect(fingerprint(path)).toBe(before);
  });

  it('an empty file is not a project', () => {
    const path = join(dir, 'empty.splatproj');
    writeFileSync(path, '');
    expect(openError(path)).toMatchObject({ code: 'NOT_A_PROJECT', message: expect.stringMatching(/empty file/) });
    expect(statSync(path).size).toBe(0);
  });

  it('a folder is not a project', () => {
    const path = join(dir, 'folder.splatproj');
    mkdirSync(path);
    expect(openError(path).code).toBe('NOT_A_PROJECT');
  });

  it('another application\'s SQLite database is not a project', () => {
    const path = join(dir, 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE contacts (name TEXT)');
    db.close();
    const before = fingerprint(path);
    expect(openError(path)).toMatchObject({ code: 'NOT_A_PROJECT', message: expect.stringMatching(/another application/) });
    expect(fingerprint(path)).toBe(before);
  });

  it('a missing file is NOT_FOUND', () => {
    expect(openError(join(dir, 'nope.splatproj')).code).toBe('NOT_FOUND');
  });

  it('a truncated project is reported as damaged and not modified', () => {
    const path = makeProject(dir, 'truncated.splatproj');
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const before = fingerprint(path);
    const error = openError(path);
    expect(error.code).toBe('PROJECT_CORRUPT');
    expect(error.message).toMatch(/truncated\.splatproj is damaged/);
    expect(fingerprint(path)).toBe(before);
  });

  it('a project with overwritten pages is reported as damaged and not modified', () => {
    const path = makeProject(dir, 'scribbled.splatproj');
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over the b-tree pages after the schema page (page 1 holds the header and schema).
    for (let p = 1; p < Math.min(6, bytes.length / pageSize); p++) bytes.fill(0xa5, p * pageSize, p * pageSize + 200);
    writeFileSync(path, bytes);
    const before = fingerprint(path);
    expect(openError(path).code).toBe('PROJECT_CORRUPT');
    expect(fingerprint(path)).toBe(before);
  });

  it('a project from a newer studio is refused with both versions named, and never changed', () => {
    const path = makeProject(dir, 'future.splatproj');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    const before = fingerprint(path);
    const error = openError(path);
    expect(error.code).toBe('PROJECT_TOO_NEW');
    expect(error.message).toMatch(/newer version/);
    expect(error.details).toMatchObject({ found: 99, supported: migrations.length });
    expect(fingerprint(path)).toBe(before);
    expect(existsSync(`${path}-journal`)).toBe(false);
  });

  it('creating over an existing file is refused and the file kept', () => {
    const path = makeProject(dir, 'exists.splatproj');
    const before = fingerprint(path);
    expect(() => ProjectStore.create(path, 'Again', { migrations })).toThrow(expect.objectContaining({ code: 'ALREADY_EXISTS' }));
    expect(fingerprint(path)).toBe(before);
  });
});

/**
 * A read-only location. Tests run as root, where permission bits do not stop writes, so the
 * folder is a read-only tmpfs mount; the test is skipped (with this reason) where mounting is
 * not allowed.
 */
describe('a read-only location', () => {
  const mountPoint = tempDir('sps-ro-');
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
  });
  const readOnly = (): void => {
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
  };

  it.skipIf(!mounted)('refuses to create a project there, saying so', () => {
    readOnly();
    const error = (() => {
      try {
        ProjectStore.create(join(mountPoint, 'new.splatproj'), 'New', { migrations });
      } catch (e) {
        return e as ApiError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error.code).toBe('READ_ONLY');
    expect(error.message).toMatch(/read-only/);
    execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
  });

  it.skipIf(!mounted)('refuses to open a project stored there for editing, leaving it intact', () => {
    const source = makeProject(tempDir());
    const path = join(mountPoint, 'stored.splatproj');
    copyFileSync(source, path);
    readOnly();
    const before = fingerprint(path);
    const error = openError(path);
    expect(error.code).toBe('READ_ONLY');
    expect(error.message).toMatch(/read-only location/);
    expect(fingerprint(path)).toBe(before);
  });
});

/**
 * A full disk: a small tmpfs mount (root only; skipped, with this reason, where mounting is not
 * allowed). A write that does not fit fails with DISK_FULL and the project stays as it was.
 */
describe('a full disk', () => {
  const mountPoint = tempDir('sps-full-');
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
  });

  it.skipIf(!mounted)('refuses a write that does not fit, saying so, and keeps the project intact', () => {
    const path = join(mountPoint, 'full.splatproj');
    const store = ProjectStore.create(path, 'Tight', { migrations });
    store.edit('Rename project', (m) => m.update('settings', 'project.name', { value: JSON.stringify('Before the full disk') }));
    const big = new Uint8Array(1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    let error: ApiError | null = null;
    try {
      store.putBlob(big);
    } catch (e) {
      error = e as ApiError;
    }
    expect(error?.code).toBe('DISK_FULL');
    expect(error?.message).toMatch(/disk .* is full/);
    store.close();
    const reopened = ProjectStore.open(path, { migrations });
    expect(reopened.name).toBe('Before the full disk');
    expect(reopened.getBlob(createHash('sha256').update(big).digest('hex'))).toBeNull();
    reopened.close();
  });
});
