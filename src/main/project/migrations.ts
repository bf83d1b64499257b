/**
 * Schema migrations of the project file: numbered SQL files in projects-schema/
 * (`0001_initial.sql`, `0002_...`), applied in order inside one transaction, with the
 * schema version kept in SQLite's user_version.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

/** PRAGMA application_id of project files: ASCII "SPST". Tells our files from other SQLite files. */
export const APPLICATION_ID = 0x53505354;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(schemaDir: string): Migration[] {
  const migrations = readdirSync(schemaDir)
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((f): f is { file: string; match: RegExpExecArray } => f.match !== null)
    .map(({ file, match }) => ({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: readFileSync(join(schemaDir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations in ${schemaDir} must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
  if (migrations.length === 0) throw new Error(`No migrations found in ${schemaDir}`);
  return migrations;
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations[migrations.length - 1]?.version ?? 0;
}

/**
 * Brings the database to the newest version in one transaction: either every pending migration
 * applies, or none does. The caller has already refused files newer than `migrations`.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from };
  const apply = db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    const to = latestVersion(migrations);
    // user_version and application_id live in the file header, written as part of this transaction.
    db.pragma(`user_version = ${to}`);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    return to;
  });
  return { from, to: apply.immediate() };
}
