/**
 * A writer killed with SIGKILL in the middle of a transaction: the project reopens intact, with
 * every committed edit and none of the interrupted one.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../src/main/project/project-store.ts';
import { migrations, REPO_ROOT, SCHEMA_DIR, tempDir } from './store-helpers.ts';

describe('crash safety', () => {
  it('reopens intact after the writer is killed mid-transaction', async () => {
    const path = join(tempDir('sps-crash-'), 'crash.splatproj');
    const store = ProjectStore.create(path, 'Committed name', { migrations });
    store.edit('Committed edit', (m) => m.insert('settings', { key: 'committed', value: '42' }));
    const committedRevision = store.revision;
    store.close();

    // The child runs the real store code under Node's type stripping (the same Node as the tests).
    const child = fork(join(REPO_ROOT, 'test/integration/fixtures/killed-writer.ts'), [path, SCHEMA_DIR], {
      execPath: process.execPath,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (m) => (m === 'in-transaction' ? resolve() : reject(new Error(String(m)))));
      child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    // The interrupted transaction left a hot journal: without it, this test would prove nothing.
    expect(existsSync(`${path}-journal`)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const reopened = ProjectStore.open(path, { migrations });
    expect(reopened.name).toBe('Committed name');
    expect(reopened.revision).toBe(committedRevision);
    const snapshot = reopened.snapshot();
    expect(snapshot.history.undoLabel).toBe('Committed edit');
    reopened.close();
    expect(existsSync(`${path}-journal`)).toBe(false);

    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare(`SELECT count(*) AS n FROM settings WHERE key LIKE 'doomed.%'`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'committed'`).get()).toEqual({ value: '42' });
    db.close();
  });
});
