/**
 * export.* methods (issue 7): one export at a time, run by src/main/export/export-job.ts on the
 * open project, with the bakes from the studio's bake scheduler, progress pushed as
 * 'export.progress', and a row in the project's export history per export.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ApiError } from '../../shared/api/errors.ts';
import type { ExportProgress, ExportRecord, ExportSettings, StudioHandlers } from '../../shared/api/contract.ts';
import type { BakedTiming } from '../../shared/bake/offset-interpolation.ts';
import type { Avatar, ProjectSnapshot } from '../../shared/project/types.ts';
import { splatsFromBytes } from '../../shared/splats/splat-bytes.ts';
import { BakeCache, offsetsFileName } from '../engine/bake/bake-cache.ts';
import { bakeCacheDir } from '../engine/bake/cache-dir.ts';
import { toOutputError } from '../export/atomic-output.ts';
import { MIX_RATE } from '../export/audio-mix.ts';
import { listExports, recordExportEnd, recordExportStart } from '../export/export-history.ts';
import { runExport, type ExportSources } from '../export/export-job.ts';
import type { FaceClip } from '../export/face-offsets.ts';
import { decodePcmRange } from '../media/pcm-range.ts';
import { mediaFile } from '../media/project-cache.ts';
import type { ProjectStore } from '../project/project-store.ts';
import { packDirFor, plannedBakes, type BakeScheduler } from './bake-scheduler.ts';
import type { StudioContext } from './studio-context.ts';

type ExportHandlers = Pick<StudioHandlers, 'export.start' | 'export.cancel' | 'export.history'>;

export interface ExportHandlerOptions {
  bakes: BakeScheduler;
  /** Access check of a path the caller sent (path-access.ts); returns the canonical path. */
  checkPath(path: string): string;
}

/** Seconds between looks at the bake state while waiting (events usually come first). */
const BAKE_POLL_MS = 500;

/** Resolves when every clip is baked, with its timing; rejects when a bake failed or cannot run. */
async function waitForBakes(
  ctx: StudioContext,
  bakes: BakeScheduler,
  clips: readonly FaceClip[],
  signal: AbortSignal,
  onWaiting: (done: number, total: number) => void,
): Promise<Map<string, BakedTiming>> {
  await bakes.reconcile();
  for (;;) {
    if (signal.aborted) throw new ApiError('CANCELLED', 'Export cancelled');
    const statuses = new Map(bakes.status().map((s) => [s.clipId, s]));
    const timings = new Map<string, BakedTiming>();
    let done = 0;
    let total = 0;
    for (const { clip } of clips) {
      const status = statuses.get(clip.id);
      if (status?.state === 'failed' || status?.state === 'no-avatar') {
        throw new ApiError('INVALID_INPUT', `Cannot export: a clip could not be baked (${status.error ?? status.state}). Retry the bake, then export again.`, { clipId: clip.id });
      }
      if (status?.state === 'done') timings.set(clip.id, { fps: status.fps, frames: status.total });
      done += status?.done ?? 0;
      total += status?.total ?? 0;
    }
    if (timings.size === clips.length) return timings;
    onWaiting(done, total);
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        off();
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, BAKE_POLL_MS);
      const off = ctx.events.on('bake.progress', finish);
      signal.addEventListener('abort', finish);
    });
  }
}

/** A clip's finished bake, pinned for one export: its cache file stays what the export reads. */
interface PinnedBake {
  key: string;
  cache: BakeCache | null;
}

/**
 * The bake key of each face clip of `snapshot` (the scheduler's rule, bake-scheduler.ts
 * wantedJobs: avatar splats, model pack files, clip media and trim, fps), so the export reads the
 * bakes of the timeline it started with even when an edit mid-export re-plans the scheduler
 * (a deleted or trimmed clip no longer has a current bake there). Bake files are never pruned
 * while the studio runs, so a pinned key's file stays readable.
 */
async function pinBakeKeys(ctx: StudioContext, store: ProjectStore, snapshot: ProjectSnapshot, avatar: Avatar): Promise<{ keys: Map<string, string>; numSplats: number; fps: number }> {
  const { json: pack } = packDirFor(ctx.resourcesDir, avatar);
  const jobs = await plannedBakes(ctx.resourcesDir, store, { ...snapshot, activeAvatarId: avatar.id });
  return { keys: new Map(jobs.map((j) => [j.clipId, j.key])), numSplats: pack.num_splats, fps: pack.feature_window.fps };
}

const TIMELINE_CHANGED = 'The timeline changed while the export waited for its bakes; export again.';

/**
 * What the export reads, fixed when it starts (issue 7): the project as one snapshot (plain data),
 * the active avatar's splats and background, and, once baked, each clip's bake file under the key
 * of the snapshot's clip; an edit, undo or re-bake during the export does not reach it.
 */
function exportSources(ctx: StudioContext, bakes: BakeScheduler, store: ProjectStore): ExportSources {
  const snapshot = store.snapshot();
  const active = snapshot.avatars.find((a) => a.id === snapshot.activeAvatarId) ?? null;
  const blobs = active ? store.avatarBlobs(active.id) : null;
  // Read now, while the project is the snapshot's; failures surface where the job awaits them.
  const pinning = active ? pinBakeKeys(ctx, store, snapshot, active) : null;
  pinning?.catch(() => undefined);
  const pinned = new Map<string, PinnedBake>();
  const cacheDir = bakeCacheDir(store.path);
  const rest = active ? bakes.restOffsets(active.id) : null;
  rest?.catch(() => undefined); // awaited by the job
  return {
    snapshot,
    avatar: active && blobs ? { avatar: active, splats: splatsFromBytes(blobs.splats), background: blobs.background } : null,
    async waitForBakes(clips, signal, onWaiting) {
      const timings = await waitForBakes(ctx, bakes, clips, signal, onWaiting);
      const pins = await pinning;
      for (const { clip } of clips) {
        const key = pins?.keys.get(clip.id);
        const timing = timings.get(clip.id);
        if (!key || !timing || !pins) throw new ApiError('INVALID_INPUT', TIMELINE_CHANGED, { clipId: clip.id });
        const entry: PinnedBake = { key, cache: null };
        pinned.set(clip.id, entry);
        // Only an existing file: opening one of another shape would replace it (bake-cache.ts).
        if (!existsSync(join(cacheDir, offsetsFileName(key)))) throw new ApiError('INVALID_INPUT', TIMELINE_CHANGED, { clipId: clip.id });
        entry.cache = await BakeCache.open(cacheDir, key, { frames: timing.frames, numSplats: pins.numSplats, fps: timing.fps }, { durable: false });
        if (entry.cache.doneCount !== timing.frames) throw new ApiError('INVALID_INPUT', TIMELINE_CHANGED, { clipId: clip.id });
      }
      return timings;
    },
    async readBaked(clipId, first, count) {
      const cache = pinned.get(clipId)?.cache;
      if (!cache) throw new ApiError('NOT_FOUND', 'That clip is not baked yet; wait for its bake to finish.', { clipId });
      const bytes = await cache.readFramesBytes(first, count);
      return new Float32Array(bytes.slice().buffer);
    },
    restOffsets: () => rest!,
    async decodeMedia(mediaId, startS, durationS, signal) {
      const media = snapshot.media.find((m) => m.id === mediaId);
      if (!media) throw new ApiError('NOT_FOUND', 'A clip\'s media is no longer in the project.', { mediaId });
      const range = await decodePcmRange(await mediaFile(store, media), { name: media.name, startS, durationS, sampleRate: MIX_RATE, mediaDurationS: media.durationS, signal });
      return range.samples;
    },
    async release() {
      for (const entry of pinned.values()) await entry.cache?.close().catch(() => undefined);
      pinned.clear();
    },
  };
}

/** An image of the project's media bin as an export background: its bytes as a file the encoder reads. */
async function mediaBackground(store: ProjectStore, mediaId: string): Promise<ExportSettings['background']> {
  const media = store.snapshot().media.find((m) => m.id === mediaId);
  if (!media) throw new ApiError('NOT_FOUND', 'The background image is no longer in the media bin.', { mediaId });
  if (media.kind !== 'image') throw new ApiError('INVALID_INPUT', `${media.name} is not an image; choose an image from the media bin as the background.`, { mediaId });
  return { kind: 'image', path: await mediaFile(store, media) };
}

export function exportHandlers(ctx: StudioContext, options: ExportHandlerOptions): ExportHandlers & { dispose(): void } {
  let running: { id: number; controller: AbortController } | null = null;

  return {
    'export.start': async ({ outputPath, settings: asked, createFolder, backgroundMediaId }, { signal }) => {
      if (running) throw new ApiError('INVALID_INPUT', 'An export is already running; wait for it or cancel it first.');
      const output = options.checkPath(outputPath);
      const store = ctx.requireProject();
      const settings = backgroundMediaId ? { ...asked, background: await mediaBackground(store, backgroundMediaId) } : asked;
      if (!backgroundMediaId && settings.background.kind === 'image') options.checkPath(settings.background.path);
      if (createFolder) {
        try {
          await mkdir(dirname(output), { recursive: true });
        } catch (error) {
          throw toOutputError(error, output, 'create the export folder');
        }
      }
      const sources = exportSources(ctx, options.bakes, store);
      const projectPath = store.path;
      const id = recordExportStart(projectPath, output, settings);
      const controller = new AbortController();
      const abort = (): void => controller.abort();
      signal.addEventListener('abort', abort);
      running = { id, controller };
      let framesDone = 0;
      const emit = (p: Omit<ExportProgress, 'id' | 'outputPath'>): void => {
        if (p.state === 'rendering' || p.state === 'finishing') framesDone = p.framesDone;
        ctx.events.emit('export.progress', { ...p, id, outputPath: output });
      };
      try {
        const result = await runExport({ outputPath: output, settings, sources, signal: controller.signal, onProgress: emit });
        recordExportEnd(projectPath, id, 'done', result.frames, null);
        emit({ state: 'done', framesDone: result.frames, framesTotal: result.frames, fps: result.frames / result.wallS, secondsLeft: 0, error: null });
        return { id, outputPath: output, ...result };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const cancelled = error instanceof ApiError && error.code === 'CANCELLED';
        recordExportEnd(projectPath, id, cancelled ? 'cancelled' : 'failed', framesDone, cancelled ? null : message);
        emit({ state: cancelled ? 'cancelled' : 'failed', framesDone, framesTotal: 0, fps: 0, secondsLeft: null, error: cancelled ? null : message });
        throw error;
      } finally {
        signal.removeEventListener('abort', abort);
        running = null;
      }
    },

    'export.cancel': ({ id }) => {
      if (running?.id !== id) return false;
      running.controller.abort();
      return true;
    },

    'export.history': (): ExportRecord[] => {
      const store = ctx.requireProject();
      // A 'running' row that is not this run's export was cut off by a crash or a kill.
      return listExports(store.path).map((r) =>
        r.status === 'running' && r.id !== running?.id ? { ...r, status: 'failed', error: r.error ?? 'Interrupted: the studio stopped during the export.' } : r,
      );
    },

    dispose() {
      running?.controller.abort();
    },
  };
}
