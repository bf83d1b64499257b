import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadMigrations } from '../../../src/main/project/migrations.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const SCHEMA_DIR = join(REPO_ROOT, 'projects-schema');
export const migrations = loadMigrations(SCHEMA_DIR);

export function tempDir(prefix = 'sps-store-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
