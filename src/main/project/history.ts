/**
 * Row-level change recording for undo/redo. An edit writes through a `Mutator`, which records
 * each row's value before and after; undo writes the `before` rows back in reverse order, redo
 * writes the `after` rows again. The log lives in the project's `history` table, so an undo
 * survives a restart. Heavy bytes never enter the log: tracked tables hold only small values and
 * reference immutable, content-addressed blobs.
 */
import type Database from 'better-sqlite3';

/** Tables whose rows are edited by the user and therefore undoable, with their key column. */
export const TRACKED_TABLES = {
  settings: 'key',
  media: 'id',
  avatars: 'id',
  tracks: 'id',
  audio_clips: 'id',
  camera_keyframes: 'id',
  timewarp_segments: 'id',
} as const;
export type TrackedTable = keyof typeof TRACKED_TABLES;

export type RowValue = string | number | null;
export type Row = Record<string, RowValue>;

export interface RowChange {
  table: TrackedTable;
  key: string;
  before: Row | null;
  after: Row | null;
}

export interface Mutator {
  insert(table: TrackedTable, row: Row): void;
  /** Changes the given columns of one row; a patch equal to the row records nothing. */
  update(table: TrackedTable, key: string, patch: Row): void;
  delete(table: TrackedTable, key: string): void;
  get(table: TrackedTable, key: string): Row | null;
}

/** Column names per table, read from the schema, so that nothing but real columns reaches SQL. */
export class RowWriter {
  private readonly columns = new Map<TrackedTable, Set<string>>();
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
    for (const table of Object.keys(TRACKED_TABLES) as TrackedTable[]) {
      const info = db.pragma(`table_info(${table})`) as Array<{ name: string }>;
      this.columns.set(table, new Set(info.map((c) => c.name)));
    }
  }

  private checkColumns(table: TrackedTable, row: Row): string[] {
    const known = this.columns.get(table);
    if (!known) throw new Error(`Not an undoable table: ${String(table)}`);
    const names = Object.keys(row);
    for (const name of names) {
      if (!known.has(name)) throw new Error(`Table ${table} has no column ${name}`);
      const value = row[name];
      if (value !== null && typeof value !== 'string' && typeof value !== 'number') {
        throw new Error(`Column ${table}.${name} takes only text, numbers or null in an undoable edit`);
      }
    }
    return names;
  }

  get(table: TrackedTable, key: string): Row | null {
    this.checkColumns(table, {});
    const keyColumn = TRACKED_TABLES[table];
    return (this.db.prepare(`SELECT * FROM ${table} WHERE ${keyColumn} = ?`).get(key) as Row | undefined) ?? null;
  }

  insert(table: TrackedTable, row: Row): void {
    const names = this.checkColumns(table, row);
    const sql = `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`;
    this.db.prepare(sql).run(row);
  }

  update(table: TrackedTable, key: string, patch: Row): void {
    const names = this.checkColumns(table, patch).filter((n) => n !== TRACKED_TABLES[table]);
    if (names.length === 0) return;
    const sql = `UPDATE ${table} SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE ${TRACKED_TABLES[table]} = @__key`;
    this.db.prepare(sql).run({ ...patch, __key: key });
  }

  delete(table: TrackedTable, key: string): void {
    this.checkColumns(table, {});
    this.db.prepare(`DELETE FROM ${table} WHERE ${TRACKED_TABLES[table]} = ?`).run(key);
  }

  /** Puts a row into the state `row` (null: absent), whatever its state now. */
  restore(table: TrackedTable, key: string, row: Row | null): void {
    const current = this.get(table, key);
    if (row === null) {
      if (current) this.delete(table, key);
    } else if (current) {
      this.update(table, key, row);
    } else {
      this.insert(table, row);
    }
  }
}

/** A Mutator that applies changes and records them for the history entry of the current edit. */
export function recordingMutator(writer: RowWriter, changes: RowChange[]): Mutator {
  return {
    get: (table, key) => writer.get(table, key),
    insert(table, row) {
      const key = row[TRACKED_TABLES[table]];
      if (typeof key !== 'string') throw new Error(`Insert into ${table} needs a text ${TRACKED_TABLES[table]}`);
      writer.insert(table, row);
      changes.push({ table, key, before: null, after: writer.get(table, key) });
    },
    update(table, key, patch) {
      const before = writer.get(table, key);
      if (!before) throw new Error(`No ${table} row with key ${key}`);
      const changed = Object.entries(patch).some(([name, value]) => before[name] !== value);
      if (!changed) return;
      writer.update(table, key, patch);
      changes.push({ table, key, before, after: writer.get(table, key) });
    },
    delete(table, key) {
      const before = writer.get(table, key);
      if (!before) return;
      writer.delete(table, key);
      changes.push({ table, key, before, after: null });
    },
  };
}

export function applyChanges(writer: RowWriter, changes: readonly RowChange[], direction: 'undo' | 'redo'): void {
  const ordered = direction === 'undo' ? [...changes].reverse() : changes;
  for (const change of ordered) {
    writer.restore(change.table, change.key, direction === 'undo' ? change.before : change.after);
  }
}
