/**
 * The studio's back end: the one implementation of the API contract that both transports serve
 * (Electron IPC and the loopback web host). Plain Node: it never imports electron.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ApiError } from '../../shared/api/errors.ts';
import type { EngineStatus } from '../../shared/api/engine-types.ts';
import { MAX_MEDIA_BYTES, type ExportFormat, type StudioEvents, type StudioHandlers, type TransportKind } from '../../shared/api/contract.ts';
import { Emitter } from '../../shared/events/emitter.ts';
import { stripExtension } from '../../shared/export/export-paths.ts';
import { PROJECT_EXTENSION, type ImportResult, type ProjectSnapshot, type RecentProject } from '../../shared/project/types.ts';
import { latestVersion, loadMigrations, type Migration } from '../project/migrations.ts';
import { ProjectStore, sha256Hex } from '../project/project-store.ts';
import { RecentProjects } from '../project/recent-projects.ts';
import { toFileApiError } from '../project/file-errors.ts';
import type { EngineMethods } from '../engine/engine-api.ts';
import { resolveEngineEntry } from '../engine/process/engine-entry-path.ts';
import { EngineHost } from '../engine/process/engine-host.ts';
import { spawnNodeEngine, type EngineProcess } from '../engine/process/engine-transport.ts';
import { FORMAT_INFO } from '../export/ffmpeg-args.ts';
import { avatarHandlers } from './avatar-handlers.ts';
import { BakeScheduler } from './bake-scheduler.ts';
import { cameraHandlers } from './camera-handlers.ts';
import { exportHandlers } from './export-handlers.ts';
import { mediaAudioHandlers } from './media-audio-handlers.ts';
import { PathAccess } from './path-access.ts';
import { SerialQueue } from './serial-queue.ts';
import type { StudioContext } from './studio-context.ts';
import { timelineHandlers, untieClip } from './timeline-handlers.ts';
import { timewarpHandlers } from './timewarp-handlers.ts';

export interface NativeDialogs {
  openProject(): Promise<string | null>;
  saveProjectAs(suggestedName: string): Promise<string | null>;
  importMedia(): Promise<string[]>;
  /** The export's output path, with the format's extension; null when cancelled. */
  chooseExportPath(suggestedName: string, format: ExportFormat): Promise<string | null>;
}

export interface StudioOptions {
  transport: TransportKind;
  /** Default folder for new projects: the project library. */
  projectsDir: string;
  /** Where recent-projects.json lives. */
  configDir: string;
  appVersion: string;
  /** Folder holding resources/ and projects-schema/. */
  resourcesDir: string;
  dialogs?: NativeDialogs;
  /**
   * Starts the engine process: Electron's utilityProcess in the app; by default a Node child
   * process running the engine entry (engine-entry-path.ts).
   */
  spawnEngine?: () => EngineProcess;
}

export interface Studio {
  handlers: StudioHandlers;
  events: Emitter<StudioEvents>;
  /** Allows a path the user chose outside the renderer: a file the OS opened with the app, a CLI argument. */
  grantPath(path: string): void;
  /** The engine process's id while one runs (diagnostics, crash tests). */
  enginePid(): number | undefined;
  dispose(): void;
}

export function createStudio(options: StudioOptions): Studio {
  const migrations: Migration[] = loadMigrations(join(options.resourcesDir, 'projects-schema'));
  const recent = new RecentProjects(options.configDir);
  const access = new PathAccess(options.projectsDir, () => recent.paths());
  const events = new Emitter<StudioEvents>();
  const queue = new SerialQueue();
  let current: ProjectStore | null = null;
  const engine = new EngineHost<EngineMethods>({ spawn: options.spawnEngine ?? (() => spawnNodeEngine(resolveEngineEntry())) });
  let engineStatus: EngineStatus = { state: 'idle', message: null, restarts: 0 };
  engine.events.on('crashed', ({ message }) => {
    engineStatus = { state: 'crashed', message, restarts: engine.restarts };
    events.emit('engine.status', engineStatus);
  });
  engine.events.on('restarted', ({ restarts }) => {
    engineStatus = { state: 'idle', message: null, restarts };
    events.emit('engine.status', engineStatus);
  });

  const requireProject = (): ProjectStore => {
    if (!current) throw new ApiError('NO_PROJECT_OPEN', 'No project is open. Create or open a project first.');
    return current;
  };

  const publish = (): ProjectSnapshot => {
    const snapshot = requireProject().snapshot();
    events.emit('project.changed', snapshot);
    void bakes.reconcile();
    return snapshot;
  };

  const switchTo = (next: ProjectStore): ProjectSnapshot => {
    if (current && current !== next) current.close();
    current = next;
    recent.touch(next.path, next.name);
    return publish();
  };

  const importBytes = async (name: string, bytes: Uint8Array, signal: AbortSignal): Promise<ImportResult> => {
    requireProject();
    const sha256 = sha256Hex(bytes);
    const known = requireProject().findMediaBySha(sha256);
    if (known) return { item: known, deduplicated: true, snapshot: requireProject().snapshot() };
    // Loaded on first use: sharp and file-type are a third of the host's cold start.
    const { probeMedia } = await import('../media/media-probe.ts');
    const probed = await probeMedia(name, bytes, signal);
    return queue.run(() => {
      const store = requireProject();
      const again = store.findMediaBySha(sha256);
      if (again) return { item: again, deduplicated: true, snapshot: store.snapshot() };
      store.putBlob(bytes);
      if (probed.kind === 'image') store.putThumbnail(sha256, probed.thumbnail.mime, probed.thumbnail.bytes);
      else store.putOverview(sha256, probed.overview);
      const id = randomUUID();
      store.edit(`Import ${name}`, (m) =>
        m.insert('media', {
          id,
          sha256,
          kind: probed.kind,
          name,
          mime: probed.mime,
          size: bytes.byteLength,
          width: probed.kind === 'image' ? probed.width : null,
          height: probed.kind === 'image' ? probed.height : null,
          duration_s: probed.kind === 'audio' ? probed.durationS : null,
          sample_rate: probed.kind === 'audio' ? probed.sampleRate : null,
          channels: probed.kind === 'audio' ? probed.channels : null,
          imported_at: new Date().toISOString(),
        }),
      );
      const item = store.getMedia(id);
      if (!item) throw new ApiError('INTERNAL', 'The imported media vanished');
      return { item, deduplicated: false, snapshot: publish() };
    });
  };

  const ctx: StudioContext = { requireProject, publish, queue, events, engine, resourcesDir: options.resourcesDir };
  // Re-planned whenever a snapshot is published or the project closes.
  const bakes = new BakeScheduler(ctx, () => current);
  const exports = exportHandlers(ctx, { bakes, checkPath: (p) => access.check(p) });

  const dialogs = (): NativeDialogs => {
    if (!options.dialogs) throw new ApiError('INVALID_INPUT', 'Native dialogs exist only in the desktop app; the browser studio uses its own pickers.');
    return options.dialogs;
  };

  const handlers: StudioHandlers = {
    'app.info': () => ({
      name: 'Splat-Portrait Studio',
      version: options.appVersion,
      transport: options.transport,
      schemaVersion: latestVersion(migrations),
      projectsDir: options.projectsDir,
      nativeDialogs: options.dialogs !== undefined,
      platform: process.platform,
    }),

    'projects.list': () => ({ recent: recent.list(), library: listLibrary(options.projectsDir) }),
    'projects.forgetRecent': ({ path }) => {
      recent.forget(path);
      return recent.list();
    },

    'project.current': () => current?.snapshot() ?? null,

    'project.create': ({ name, path }) =>
      queue.run(() => {
        const target = path ? withExtension(access.check(path)) : uniqueProjectPath(options.projectsDir, name);
        return switchTo(ProjectStore.create(target, name, { migrations }));
      }),

    'project.open': ({ path }) =>
      queue.run(() => {
        const target = access.check(path);
        if (current?.path === target) return current.snapshot();
        return switchTo(ProjectStore.open(target, { migrations }));
      }),

    'project.close': () =>
      queue.run(() => {
        current?.close();
        current = null;
        events.emit('project.changed', null);
        void bakes.reconcile();
        return null;
      }),

    'project.saveAs': ({ path, name }) =>
      queue.run(() => {
        const store = requireProject();
        const target = path ? withExtension(access.check(path)) : uniqueProjectPath(options.projectsDir, name ?? store.name);
        if (target === store.path) return store.snapshot();
        store.writeCopy(target);
        const copy = ProjectStore.open(target, { migrations });
        if (name) copy.edit('Rename project', (m) => m.update('settings', 'project.name', { value: JSON.stringify(name) }));
        return switchTo(copy);
      }),

    'project.rename': ({ name }) =>
      queue.run(() => {
        const store = requireProject();
        store.edit('Rename project', (m) => m.update('settings', 'project.name', { value: JSON.stringify(name) }));
        recent.touch(store.path, name);
        return publish();
      }),

    // Not an edit: no history entry, no revision, no project.changed (the studio already shows this view).
    'project.saveView': ({ view }) =>
      queue.run(() => {
        requireProject().saveView(view);
        return null;
      }),

    'media.import': ({ name, bytes }, { signal }) => importBytes(name, bytes, signal),

    'media.importFile': async ({ path }, { signal }) => {
      const target = access.check(path);
      let bytes: Buffer;
      try {
        const size = statSync(target).size;
        if (size > MAX_MEDIA_BYTES) throw new ApiError('TOO_LARGE', `${basename(target)} is ${(size / 1e9).toFixed(2)} GB; the studio accepts files up to ${(MAX_MEDIA_BYTES / 1e9).toFixed(2)} GB.`);
        if (size === 0) throw new ApiError('UNSUPPORTED_MEDIA', `${basename(target)} is empty.`);
        bytes = readFileSync(target);
      } catch (error) {
        throw toFileApiError(error, target, 'import');
      }
      return importBytes(basename(target), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), signal);
    },

    'media.rename': ({ id, name }) =>
      queue.run(() => {
        const store = requireProject();
        if (!store.getMedia(id)) throw new ApiError('NOT_FOUND', 'That media item is no longer in the project.');
        store.edit(`Rename ${name}`, (m) => m.update('media', id, { name }));
        return publish();
      }),

    'media.remove': ({ id }) =>
      queue.run(() => {
        const store = requireProject();
        const item = store.getMedia(id);
        if (!item) throw new ApiError('NOT_FOUND', 'That media item is no longer in the project.');
        const dependents = store.dependentsOfMedia(id);
        const snapshot = store.snapshot();
        store.edit(`Remove ${item.name}`, (m) => {
          for (const clip of dependents.clips) {
            untieClip(m, snapshot, clip);
            m.delete('audio_clips', clip);
          }
          for (const avatar of dependents.avatars) m.delete('avatars', avatar);
          m.delete('media', id);
        });
        return publish();
      }),

    'media.thumbnail': ({ id }) => {
      const store = requireProject();
      const item = store.getMedia(id);
      if (!item) throw new ApiError('NOT_FOUND', 'That media item is no longer in the project.');
      const thumb = store.getThumbnail(item.sha256);
      return thumb ? { mime: thumb.mime, bytes: new Uint8Array(thumb.bytes) } : null;
    },

    'media.overview': ({ id }) => {
      const store = requireProject();
      const item = store.getMedia(id);
      if (!item) throw new ApiError('NOT_FOUND', 'That media item is no longer in the project.');
      const peaks = store.getOverview(item.sha256);
      return peaks ? { peaks: new Uint8Array(peaks) } : null;
    },

    ...mediaAudioHandlers(ctx),
    ...avatarHandlers(ctx),
    ...timelineHandlers(ctx),
    ...cameraHandlers(ctx),
    ...timewarpHandlers(ctx),
    'export.start': exports['export.start'],
    'export.cancel': exports['export.cancel'],
    'export.history': exports['export.history'],

    'bake.status': async () => {
      await bakes.reconcile();
      return bakes.status();
    },
    'bake.offsets': ({ clipId, firstFrame, count }) => bakes.offsets(clipId, firstFrame, count),
    'bake.restOffsets': async ({ avatarId }) => {
      const rest = await bakes.restOffsets(avatarId);
      return { numSplats: rest.length / 3, bytes: new Uint8Array(rest.buffer, rest.byteOffset, rest.byteLength) };
    },
    'bake.retry': async () => {
      await bakes.retry();
      return bakes.status();
    },
    'engine.status': () => engineStatus,

    'history.undo': () =>
      queue.run(() => {
        const store = requireProject();
        return store.undo() ? publish() : store.snapshot();
      }),
    'history.redo': () =>
      queue.run(() => {
        const store = requireProject();
        return store.redo() ? publish() : store.snapshot();
      }),

    'dialog.openProject': async () => grantOne(await dialogs().openProject()),
    'dialog.saveProjectAs': async ({ suggestedName }) => grantOne(await dialogs().saveProjectAs(suggestedName)),
    'dialog.importMedia': async () => {
      const paths = await dialogs().importMedia();
      paths.forEach((p) => access.grant(p));
      return paths;
    },
    'dialog.chooseExportPath': async ({ suggestedName, format }) => {
      const path = await dialogs().chooseExportPath(suggestedName, format);
      // The dialog keeps the chosen name when the format changes afterwards: the name is granted
      // with each format's extension (a folder for PNG), and nothing else.
      if (path) exportPathVariants(path).forEach((p) => access.grant(p));
      return path;
    },
  };

  function grantOne(path: string | null): string | null {
    if (path) access.grant(withExtension(path));
    return path ? withExtension(path) : null;
  }

  return {
    handlers,
    events,
    grantPath: (path) => access.grant(path),
    enginePid: () => engine.pid,
    dispose() {
      exports.dispose();
      bakes.dispose();
      void engine.dispose();
      current?.close();
      current = null;
      events.clear();
    },
  };
}

function withExtension(path: string): string {
  return extname(path).toLowerCase() === PROJECT_EXTENSION ? path : `${path}${PROJECT_EXTENSION}`;
}

/** A file name from a project name: no path separators or characters that Windows refuses. */
export function projectFileStem(name: string): string {
  const stem = name
    .replace(/[<>:"/\\|?*]/g, '-')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100);
  return stem || 'Untitled';
}

function uniqueProjectPath(folder: string, name: string): string {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw toFileApiError(error, folder, 'create the project folder');
  }
  const stem = projectFileStem(name);
  for (let n = 1; ; n++) {
    const candidate = join(folder, `${stem}${n === 1 ? '' : ` ${n}`}${PROJECT_EXTENSION}`);
    if (!existsSync(candidate)) return candidate;
  }
}

function listLibrary(folder: string): RecentProject[] {
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => extname(f).toLowerCase() === PROJECT_EXTENSION && !f.startsWith('.'));
  } catch {
    return [];
  }
  return files
    .map((file) => {
      const path = join(folder, file);
      const stats = statSync(path, { throwIfNoEntry: false });
      return { path, name: basename(file, extname(file)), lastOpenedAt: stats?.mtime.toISOString() ?? '', exists: !!stats };
    })
    .sort((a, b) => b.lastOpenedAt.localeCompare(a.lastOpenedAt));
}

/** `path` with each export format's extension in place of its own (the bare stem for PNG sequences). */
export function exportPathVariants(path: string): string[] {
  const extensions = [...new Set(Object.values(FORMAT_INFO).map((f) => f.extension))];
  const stem = stripExtension(path, extensions);
  return extensions.map((ext) => `${stem}${ext}`);
}
