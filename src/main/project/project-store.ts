/**
 * One open project file. Every change is its own SQLite transaction: there is no unsaved state.
 * User edits go through `edit()`, which records them in the persistent undo log.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, closeSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ApiError } from '../../shared/api/errors.ts';
import { viewStateInput } from '../../shared/api/contract.ts';
import { DEFAULT_VIEW_STATE, type AudioClip, type Avatar, type AvatarCamera, type AvatarCrop, type MediaItem, type ProjectSnapshot, type Track, type ViewState } from '../../shared/project/types.ts';
import { toFileApiError } from './file-errors.ts';
import { applyChanges, recordingMutator, RowWriter, type Mutator, type Row, type RowChange } from './history.ts';
import { APPLICATION_ID, latestVersion, migrate, type Migration } from './migrations.ts';
import { toCameraKey, toSegment } from './timeline-rows.ts';

const SQLITE_HEADER = 'SQLite format 3\u0000';
/** The view_state row the studio's ViewState lives in (projects-schema/0003). */
const VIEW_KEY = 'studio';
/** Oldest entries beyond this many are dropped from the undo log. */
const MAX_HISTORY_ENTRIES = 1000;

export interface StoreOptions {
  migrations: readonly Migration[];
}

interface HistoryRow {
  seq: number;
  label: string;
  changes: string;
}

export class ProjectStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly writer: RowWriter;
  private readonly schemaVersion: number;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
    this.writer = new RowWriter(db);
    this.schemaVersion = db.pragma('user_version', { simple: true }) as number;
  }

  /** Creates a new project at `path` (which must not exist) and opens it. */
  static create(path: string, name: string, options: StoreOptions): ProjectStore {
    assertWritableFolder(dirname(path), 'create the project');
    if (existsAt(path)) throw new ApiError('ALREADY_EXISTS', `A file named ${basename(path)} already exists in ${dirname(path)}.`, { path });
    // Build the file under a temporary name and rename it into place: a crash never leaves a half project.
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.creating`);
    try {
      const db = new Database(temp);
      try {
        configure(db);
        migrate(db, options.migrations);
        db.prepare(`INSERT INTO settings (key, value) VALUES ('project.name', ?)`).run(JSON.stringify(name));
      } finally {
        db.close();
      }
      renameSync(temp, path);
    } catch (error) {
      rmSync(temp, { force: true });
      rmSync(`${temp}-journal`, { force: true });
      throw toFileApiError(error, path, 'create the project');
    }
    return ProjectStore.open(path, options);
  }

  /**
   * Opens an existing project, refusing (and never modifying) files that are not projects,
   * are damaged, or come from a newer studio. Older schemas are migrated forward.
   */
  static open(path: string, options: StoreOptions): ProjectStore {
    checkLooksLikeSqlite(path);
    const writable = isWritable(path) && isWritable(dirname(path));
    let db: Database.Database;
    try {
      // Read-write even just to inspect: after a crash, SQLite must roll the hot journal back,
      // which a read-only connection cannot do.
      db = new Database(path, { fileMustExist: true, readonly: !writable });
    } catch (error) {
      throw toFileApiError(error, path, 'open the project');
    }
    try {
      inspect(db, path, options.migrations);
      if (!writable) {
        throw new ApiError('READ_ONLY', `${basename(path)} is in a read-only location (${dirname(path)}). Copy it to a folder you can write to, then open the copy.`, { path });
      }
      configure(db);
      migrate(db, options.migrations);
      return new ProjectStore(path, db);
    } catch (error) {
      db.close();
      throw toFileApiError(error, path, 'open the project');
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  get name(): string {
    const row = this.db.prepare(`SELECT value FROM settings WHERE key = 'project.name'`).get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as string) : basename(this.path);
  }

  get revision(): number {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'revision'`).get() as { value: string };
    return Number(row.value);
  }

  /**
   * Runs one user edit in its own transaction and records it in the undo log under `label`.
   * Returns false (and records nothing) when the edit changed no row.
   */
  edit(label: string, apply: (m: Mutator) => void): boolean {
    const run = this.db.transaction(() => {
      const changes: RowChange[] = [];
      apply(recordingMutator(this.writer, changes));
      if (changes.length === 0) return false;
      this.db.prepare(`DELETE FROM history WHERE undone = 1`).run();
      this.db
        .prepare(`INSERT INTO history (label, changes, created_at) VALUES (?, ?, ?)`)
        .run(label, JSON.stringify(changes), new Date().toISOString());
      this.db
        .prepare(`DELETE FROM history WHERE seq <= (SELECT max(seq) FROM history) - ?`)
        .run(MAX_HISTORY_ENTRIES);
      this.bumpRevision();
      return true;
    });
    return this.guard('save the change', () => run.immediate());
  }

  /** Reverts the latest edit that is not undone. Returns false when there is nothing to undo. */
  undo(): boolean {
    return this.step('undo');
  }

  redo(): boolean {
    return this.step('redo');
  }

  private step(direction: 'undo' | 'redo'): boolean {
    const run = this.db.transaction(() => {
      const entry = this.db
        .prepare(
          direction === 'undo'
            ? `SELECT seq, label, changes FROM history WHERE undone = 0 ORDER BY seq DESC LIMIT 1`
            : `SELECT seq, label, changes FROM history WHERE undone = 1 ORDER BY seq ASC LIMIT 1`,
        )
        .get() as HistoryRow | undefined;
      if (!entry) return false;
      applyChanges(this.writer, JSON.parse(entry.changes) as RowChange[], direction);
      this.db.prepare(`UPDATE history SET undone = ? WHERE seq = ?`).run(direction === 'undo' ? 1 : 0, entry.seq);
      this.bumpRevision();
      return true;
    });
    return this.guard(direction, () => run.immediate());
  }

  private bumpRevision(): void {
    this.db.prepare(`UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'`).run();
  }

  /** Stores bytes once under their SHA-256 and returns the hash. Immutable, outside the undo log. */
  putBlob(bytes: Uint8Array): string {
    const sha256 = sha256Hex(bytes);
    this.guard('store the file', () =>
      this.db.prepare(`INSERT OR IGNORE INTO blobs (sha256, size, bytes) VALUES (?, ?, ?)`).run(sha256, bytes.byteLength, bytes),
    );
    return sha256;
  }

  getBlob(sha256: string): Buffer | null {
    const row = this.db.prepare(`SELECT bytes FROM blobs WHERE sha256 = ?`).get(sha256) as { bytes: Buffer } | undefined;
    return row?.bytes ?? null;
  }

  putThumbnail(sha256: string, mime: string, bytes: Uint8Array): void {
    this.guard('store the thumbnail', () =>
      this.db.prepare(`INSERT OR REPLACE INTO media_thumbnails (sha256, mime, bytes) VALUES (?, ?, ?)`).run(sha256, mime, bytes),
    );
  }

  getThumbnail(sha256: string): { mime: string; bytes: Buffer } | null {
    return (this.db.prepare(`SELECT mime, bytes FROM media_thumbnails WHERE sha256 = ?`).get(sha256) as { mime: string; bytes: Buffer } | undefined) ?? null;
  }

  putOverview(sha256: string, peaks: Uint8Array): void {
    this.guard('store the audio overview', () =>
      this.db.prepare(`INSERT OR REPLACE INTO media_overviews (sha256, peaks) VALUES (?, ?)`).run(sha256, peaks),
    );
  }

  getOverview(sha256: string): Buffer | null {
    return (this.db.prepare(`SELECT peaks FROM media_overviews WHERE sha256 = ?`).get(sha256) as { peaks: Buffer } | undefined)?.peaks ?? null;
  }

  /**
   * Remembers how the studio looks at the project. Not an edit: outside the undo log, and the
   * revision stays (nothing the snapshot's other fields show has changed).
   */
  saveView(view: ViewState): void {
    this.guard('save the view', () =>
      this.db.prepare(`INSERT OR REPLACE INTO view_state (key, value) VALUES (?, ?)`).run(VIEW_KEY, JSON.stringify(view)),
    );
  }

  /** The saved view, with defaults for fields a different build did not write; null if never saved or unreadable. */
  view(): ViewState | null {
    const row = this.db.prepare(`SELECT value FROM view_state WHERE key = ?`).get(VIEW_KEY) as { value: string } | undefined;
    if (!row) return null;
    const parsed = viewStateInput.safeParse(withViewDefaults(JSON.parse(row.value) as Partial<ViewState>));
    return parsed.success ? parsed.data : null;
  }

  findMediaBySha(sha256: string): MediaItem | null {
    const row = this.db.prepare(`SELECT * FROM media WHERE sha256 = ?`).get(sha256) as Row | undefined;
    return row ? toMediaItem(row) : null;
  }

  getMedia(id: string): MediaItem | null {
    const row = this.db.prepare(`SELECT * FROM media WHERE id = ?`).get(id) as Row | undefined;
    return row ? toMediaItem(row) : null;
  }

  /** An avatar's heavy buffers (splat-bytes layout, float32 background, decoder features tensor pack). */
  avatarBlobs(id: string): { splats: Uint8Array; background: Uint8Array; features: Uint8Array } {
    const row = this.db.prepare(`SELECT splats_sha256, background_sha256, features_sha256 FROM avatars WHERE id = ?`).get(id) as Row | undefined;
    if (!row) throw new ApiError('NOT_FOUND', 'That avatar is no longer in the project.');
    const blob = (sha: unknown, what: string): Uint8Array => {
      const bytes = typeof sha === 'string' ? this.getBlob(sha) : null;
      if (!bytes) throw new ApiError('PROJECT_CORRUPT', `The avatar's ${what} is missing from the project. Regenerate the avatar.`);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    };
    return { splats: blob(row.splats_sha256, 'splats'), background: blob(row.background_sha256, 'background'), features: blob(row.features_sha256, 'decoder features') };
  }

  /** SHA-256 of an avatar's splat buffer: what identifies its geometry in bake keys. */
  avatarSplatsSha(id: string): string {
    const row = this.db.prepare(`SELECT splats_sha256 FROM avatars WHERE id = ?`).get(id) as { splats_sha256: string } | undefined;
    if (!row) throw new ApiError('NOT_FOUND', 'That avatar is no longer in the project.');
    return row.splats_sha256;
  }

  /** Ids of clips and avatars that use a media item (removed with it, in the same edit). */
  dependentsOfMedia(id: string): { clips: string[]; avatars: string[] } {
    const clips = (this.db.prepare(`SELECT id FROM audio_clips WHERE media_id = ?`).all(id) as Array<{ id: string }>).map((r) => r.id);
    const avatars = (this.db.prepare(`SELECT id FROM avatars WHERE portrait_media_id = ?`).all(id) as Array<{ id: string }>).map((r) => r.id);
    return { clips, avatars };
  }

  snapshot(): ProjectSnapshot {
    const media = (this.db.prepare(`SELECT * FROM media ORDER BY imported_at, rowid`).all() as Row[]).map(toMediaItem);
    const tracks = (this.db.prepare(`SELECT * FROM tracks ORDER BY position`).all() as Row[]).map(toTrack);
    const clips = (this.db.prepare(`SELECT * FROM audio_clips ORDER BY track_id, start_s`).all() as Row[]).map(toClip);
    const cameraKeys = (this.db.prepare(`SELECT * FROM camera_keyframes ORDER BY time_s, id`).all() as Row[]).map(toCameraKey);
    const timeWarp = (this.db.prepare(`SELECT * FROM timewarp_segments ORDER BY start_s, id`).all() as Row[]).map(toSegment);
    const avatars = (this.db.prepare(`SELECT * FROM avatars ORDER BY created_at, rowid`).all() as Row[]).map(toAvatar);
    const active = this.db.prepare(`SELECT value FROM settings WHERE key = 'avatar.active'`).get() as { value: string } | undefined;
    const activeId = active ? (JSON.parse(active.value) as string | null) : null;
    const undo = this.db.prepare(`SELECT label FROM history WHERE undone = 0 ORDER BY seq DESC LIMIT 1`).get() as { label: string } | undefined;
    const redo = this.db.prepare(`SELECT label FROM history WHERE undone = 1 ORDER BY seq ASC LIMIT 1`).get() as { label: string } | undefined;
    return {
      path: this.path,
      name: this.name,
      schemaVersion: this.schemaVersion,
      media,
      tracks,
      clips,
      avatars,
      activeAvatarId: avatars.some((a) => a.id === activeId) ? activeId : (avatars.at(-1)?.id ?? null),
      cameraKeys,
      timeWarp,
      view: this.view(),
      history: { canUndo: !!undo, canRedo: !!redo, undoLabel: undo?.label ?? null, redoLabel: redo?.label ?? null },
      revision: this.revision,
    };
  }

  /**
   * Writes a compacted copy of the project to `destination` (atomically: temp file + rename).
   * The caller then opens the copy.
   */
  writeCopy(destination: string): void {
    assertWritableFolder(dirname(destination), 'save the project');
    const temp = join(dirname(destination), `.${basename(destination)}.${process.pid}.${Date.now()}.saving`);
    try {
      this.db.prepare(`VACUUM INTO ?`).run(temp);
      renameSync(temp, destination);
    } catch (error) {
      rmSync(temp, { force: true });
      throw toFileApiError(error, destination, 'save the project');
    }
  }

  private guard<T>(action: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw toFileApiError(error, this.path, action);
    }
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function configure(db: Database.Database): void {
  // A single-file document: rollback journal (no -wal/-shm files left beside it), full fsync.
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

function existsAt(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function assertWritableFolder(folder: string, action: string): void {
  let stats;
  try {
    stats = statSync(folder);
  } catch (error) {
    throw toFileApiError(error, folder, action);
  }
  if (!stats.isDirectory()) throw new ApiError('NOT_FOUND', `Cannot ${action}: ${folder} is not a folder.`, { path: folder });
  if (!isWritable(folder)) {
    throw new ApiError('READ_ONLY', `Cannot ${action}: the folder ${folder} is read-only. Choose a folder you can write to.`, { path: folder });
  }
}

/** Reads only the first bytes: a file that is not SQLite at all is refused before SQLite sees it. */
function checkLooksLikeSqlite(path: string): void {
  let fd: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new ApiError('NOT_A_PROJECT', `${path} is a folder, not a Splat-Portrait project.`, { path });
    if (stats.size === 0) throw new ApiError('NOT_A_PROJECT', `${basename(path)} is an empty file, not a Splat-Portrait project.`, { path });
    fd = openSync(path, 'r');
  } catch (error) {
    throw toFileApiError(error, path, 'open the project');
  }
  try {
    const header = Buffer.alloc(16);
    const read = readSync(fd, header, 0, 16, 0);
    if (read < 16 || header.toString('latin1') !== SQLITE_HEADER) {
      throw new ApiError('NOT_A_PROJECT', `${basename(path)} is not a Splat-Portrait project (it is not a project database).`, { path });
    }
  } finally {
    closeSync(fd);
  }
}

/** Refuses foreign databases, newer schemas and damaged files, changing nothing. */
function inspect(db: Database.Database, path: string, migrations: readonly Migration[]): void {
  const name = basename(path);
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (applicationId !== APPLICATION_ID) {
    throw new ApiError('NOT_A_PROJECT', `${name} is an SQLite database of another application, not a Splat-Portrait project.`, { path });
  }
  const newest = latestVersion(migrations);
  if (version > newest) {
    throw new ApiError(
      'PROJECT_TOO_NEW',
      `${name} was saved by a newer version of Splat-Portrait Studio (project format ${version}; this version reads up to ${newest}). Update the studio to open it. The file was not changed.`,
      { path, found: version, supported: newest },
    );
  }
  const problems = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check);
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new ApiError('PROJECT_CORRUPT', `${name} is damaged (${problems.slice(0, 3).join('; ')}). Restore it from a backup.`, { path });
  }
}

/** Only the fields this build knows, each from the file or its default (STYLE.md 16). */
function withViewDefaults(saved: Partial<ViewState>): ViewState {
  const d = DEFAULT_VIEW_STATE;
  const p = saved.panels ?? d.panels;
  return {
    pxPerS: saved.pxPerS ?? d.pxPerS,
    scrollS: saved.scrollS ?? d.scrollS,
    playheadS: saved.playheadS ?? d.playheadS,
    panels: { mediaBin: p.mediaBin ?? d.panels.mediaBin, inspector: p.inspector ?? d.panels.inspector, timeline: p.timeline ?? d.panels.timeline },
    previewMode: saved.previewMode ?? d.previewMode,
    safeFrameAspect: saved.safeFrameAspect ?? d.safeFrameAspect,
    loop: saved.loop ?? d.loop,
  };
}

function toMediaItem(row: Row): MediaItem {
  return {
    id: String(row.id),
    kind: row.kind === 'audio' ? 'audio' : 'image',
    name: String(row.name),
    mime: String(row.mime),
    sha256: String(row.sha256),
    sizeBytes: Number(row.size),
    width: row.width === null ? null : Number(row.width),
    height: row.height === null ? null : Number(row.height),
    durationS: row.duration_s === null ? null : Number(row.duration_s),
    sampleRate: row.sample_rate === null ? null : Number(row.sample_rate),
    channels: row.channels === null ? null : Number(row.channels),
    importedAt: String(row.imported_at),
  };
}

function toTrack(row: Row): Track {
  return {
    id: String(row.id),
    kind: row.kind === 'camera' ? 'camera' : row.kind === 'timewarp' ? 'timewarp' : 'audio',
    name: String(row.name),
    position: Number(row.position),
    muted: row.muted === 1,
    solo: row.solo === 1,
    gain: Number(row.gain),
  };
}

function toAvatar(row: Row): Avatar {
  const crop = JSON.parse(String(row.crop)) as AvatarCrop;
  return {
    id: String(row.id),
    name: String(row.name),
    portraitMediaId: String(row.portrait_media_id),
    modelName: String(row.model_name),
    modelVersion: String(row.model_version),
    crop: { x: crop.x, y: crop.y, size: crop.size },
    faceIndex: Number(row.face_index),
    camera: JSON.parse(String(row.camera)) as AvatarCamera,
    splatCount: Number(row.splat_count),
    warnings: JSON.parse(String(row.warnings)) as string[],
    createdAt: String(row.created_at),
  };
}

function toClip(row: Row): AudioClip {
  return {
    id: String(row.id),
    trackId: String(row.track_id),
    mediaId: String(row.media_id),
    startS: Number(row.start_s),
    trimInS: Number(row.trim_in_s),
    trimOutS: Number(row.trim_out_s),
    gain: Number(row.gain),
  };
}
