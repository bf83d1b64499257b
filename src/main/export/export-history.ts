/**
 * The project's export history (projects-schema/0001, table `exports`): one row per export,
 * 'running' when it starts, then 'done', 'failed' or 'cancelled' with the frames written and the
 * error. A record of what happened, not an edit: never in the undo log, no revision change.
 *
 * It uses its own connection to the project file (the store keeps its handle private): the file
 * is in rollback-journal mode (project-store.ts configure), so two connections in one process
 * take turns through SQLite's locks; busy waits are bounded by `timeout`.
 */
import Database from 'better-sqlite3';
import type { ExportRecord, ExportSettings } from '../../shared/api/contract.ts';
import { toFileApiError } from '../project/file-errors.ts';

export type FinishedStatus = 'done' | 'failed' | 'cancelled';

interface Row {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: ExportRecord['status'];
  output_path: string;
  settings: string;
  frames: number | null;
  error: string | null;
}

function withDb<T>(projectPath: string, work: (db: Database.Database) => T): T {
  let db: Database.Database;
  try {
    db = new Database(projectPath, { fileMustExist: true, timeout: 5000 });
  } catch (error) {
    throw toFileApiError(error, projectPath, 'record the export in the project');
  }
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Inserts a 'running' row and returns its id. */
export function recordExportStart(projectPath: string, outputPath: string, settings: ExportSettings): number {
  return withDb(projectPath, (db) => {
    const info = db
      .prepare(`INSERT INTO exports (started_at, status, output_path, settings, frames) VALUES (?, 'running', ?, ?, 0)`)
      .run(new Date().toISOString(), outputPath, JSON.stringify(settings));
    return Number(info.lastInsertRowid);
  });
}

export function recordExportEnd(projectPath: string, id: number, status: FinishedStatus, frames: number, error: string | null): void {
  withDb(projectPath, (db) => {
    db.prepare(`UPDATE exports SET status = ?, finished_at = ?, frames = ?, error = ? WHERE id = ?`).run(status, new Date().toISOString(), frames, error, id);
  });
}

/** Newest first. */
export function listExports(projectPath: string): ExportRecord[] {
  return withDb(projectPath, (db) =>
    (db.prepare(`SELECT * FROM exports ORDER BY id DESC`).all() as Row[]).map((r) => ({
      id: r.id,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: r.status,
      outputPath: r.output_path,
      settings: JSON.parse(r.settings) as ExportSettings,
      frames: r.frames,
      error: r.error,
    })),
  );
}
