/**
 * Keeps the baked offsets of the timeline up to date (issue 5, part 4): for the active avatar,
 * every clip on an audio track is baked by the engine, one clip at a time, into the cache beside
 * the project. After any project change `reconcile()` works out which bakes are wanted (keyed by
 * avatar, clip media and trim, model pack files, fps), cancels a running bake that is no longer
 * wanted and starts the next one. Progress and failures are pushed as `bake.progress` events; an
 * engine crash fails the running bake with a readable message until `retry()`.
 */
import { ApiError } from '../../shared/api/errors.ts';
import type { BakeOffsets, BakeStatus } from '../../shared/api/engine-types.ts';
import type { Avatar, MediaItem, ProjectSnapshot } from '../../shared/project/types.ts';
import { BakeCache } from '../engine/bake/bake-cache.ts';
import { bakeKey, modelFilesSha256 } from '../engine/bake/bake-key.ts';
import { bakeCacheDir } from '../engine/bake/cache-dir.ts';
import type { BakeProgress } from '../engine/engine-api.ts';
import { readModelJson, type ModelJson } from '../engine/models/model-pack.ts';
import { shippedPacks } from '../engine/models/pack-registry.ts';
import { mediaFile } from '../media/project-cache.ts';
import type { ProjectStore } from '../project/project-store.ts';
import type { StudioContext } from './studio-context.ts';
import { clipDuration } from './timeline-handlers.ts';

export interface Job {
  clipId: string;
  key: string;
  avatar: Avatar;
  packDir: string;
  pack: ModelJson;
  media: MediaItem;
  startS: number;
  durationS: number;
  fps: number;
}

interface Baked {
  key: string;
  frames: number;
  numSplats: number;
  fps: number;
}

export class BakeScheduler {
  private readonly ctx: StudioContext;
  private readonly getProject: () => ProjectStore | null;
  private statuses = new Map<string, BakeStatus>();
  private jobs: Job[] = [];
  /** Per clip id, the bake the engine finished (its key and frame count). */
  private readonly baked = new Map<string, Baked>();
  /** Keys that failed, with the message; cleared by retry(). */
  private readonly failed = new Map<string, string>();
  private running: { job: Job; abort: AbortController; progress?: BakeProgress } | null = null;
  private reconciling: Promise<void> = Promise.resolve();
  private again = false;
  private readonly restCache = new Map<string, Float32Array>();

  constructor(ctx: StudioContext, getProject: () => ProjectStore | null) {
    this.ctx = ctx;
    this.getProject = getProject;
  }

  status(): BakeStatus[] {
    return [...this.statuses.values()];
  }

  /** Re-plans after a project change; resolves when the plan is in place (not when baking ends). */
  reconcile(): Promise<void> {
    this.again = true;
    this.reconciling = this.reconciling.then(async () => {
      while (this.again) {
        this.again = false;
        await this.plan().catch((error: unknown) => console.error('[bake] planning failed:', error));
      }
    });
    return this.reconciling;
  }

  retry(): Promise<void> {
    this.failed.clear();
    return this.reconcile();
  }

  /** Baked offsets of frames [first, first + count) of a clip, as bytes. */
  async offsets(clipId: string, first: number, count: number): Promise<BakeOffsets> {
    const store = this.requireStore();
    const baked = this.baked.get(clipId);
    const job = this.jobs.find((j) => j.clipId === clipId);
    if (!baked || !job || baked.key !== job.key) {
      throw new ApiError('NOT_FOUND', 'That clip is not baked yet; wait for its bake to finish.', { clipId });
    }
    if (first + count > baked.frames) throw new ApiError('INVALID_INPUT', `The clip has ${baked.frames} frames; asked for ${first}..${first + count - 1}.`);
    const cache = await BakeCache.open(bakeCacheDir(store.path), baked.key, { frames: baked.frames, numSplats: baked.numSplats, fps: baked.fps }, { durable: false });
    try {
      const bytes = await cache.readFramesBytes(first, count);
      return { clipId, fps: baked.fps, numSplats: baked.numSplats, firstFrame: first, count, bytes };
    } finally {
      await cache.close();
    }
  }

  /** The avatar's rest offsets (silence in): what the face does between clips. */
  async restOffsets(avatarId: string): Promise<Float32Array> {
    const store = this.requireStore();
    const avatar = store.snapshot().avatars.find((a) => a.id === avatarId);
    if (!avatar) throw new ApiError('NOT_FOUND', 'That avatar is no longer in the project.');
    const blobs = store.avatarBlobs(avatarId);
    // The splats' hash changes with every regeneration, as the bake keys do.
    const cacheKey = `${store.avatarSplatsSha(avatarId)}:${avatar.modelName}:${avatar.modelVersion}`;
    const known = this.restCache.get(cacheKey);
    if (known) return known;
    const rest = await this.ctx.engine.call('bake.rest', {
      packDir: packDirFor(this.ctx.resourcesDir, avatar).dir,
      features: blobs.features,
      camToWorld: Float32Array.from(avatar.camera.camToWorld),
    });
    this.restCache.set(cacheKey, rest);
    return rest;
  }

  dispose(): void {
    this.running?.abort.abort();
    this.running = null;
    this.jobs = [];
    this.statuses.clear();
  }

  private requireStore(): ProjectStore {
    const store = this.getProject();
    if (!store) throw new ApiError('NO_PROJECT_OPEN', 'No project is open. Create or open a project first.');
    return store;
  }

  private async plan(): Promise<void> {
    const store = this.getProject();
    const snapshot = store?.isOpen ? store.snapshot() : null;
    this.jobs = store && snapshot ? await this.wantedJobs(snapshot) : [];
    const wanted = new Set(this.jobs.map((j) => j.key));
    if (this.running && !wanted.has(this.running.job.key)) {
      this.running.abort.abort();
      this.running = null;
    }
    const next = new Map<string, BakeStatus>();
    const avatarless = snapshot && !snapshot.activeAvatarId;
    for (const clip of snapshot?.clips ?? []) {
      const job = this.jobs.find((j) => j.clipId === clip.id);
      if (avatarless || !job) {
        next.set(clip.id, { clipId: clip.id, state: 'no-avatar', done: 0, total: 0, fps: 25, error: avatarless ? 'Create an avatar from a portrait to bake this clip.' : null });
        continue;
      }
      next.set(clip.id, this.statusOf(job));
    }
    const previous = this.statuses;
    this.statuses = next;
    // Announce only what changed (a re-plan after an unrelated edit says nothing).
    for (const status of next.values()) {
      if (!sameStatus(previous.get(status.clipId), status)) this.ctx.events.emit('bake.progress', status);
    }
    this.startNext();
  }

  private statusOf(job: Job, progress?: BakeProgress): BakeStatus {
    const estimate = Math.ceil(job.durationS * job.fps - 1e-9);
    const baked = this.baked.get(job.clipId);
    const base = { clipId: job.clipId, fps: job.fps, error: null };
    if (baked?.key === job.key) return { ...base, state: 'done', done: baked.frames, total: baked.frames };
    const failure = this.failed.get(job.key);
    if (failure) return { ...base, state: 'failed', done: 0, total: estimate, error: failure };
    if (this.running?.job.key === job.key) {
      const latest = progress ?? this.running.progress;
      return { ...base, state: 'baking', done: latest?.done ?? 0, total: latest?.total ?? estimate };
    }
    return { ...base, state: 'waiting', done: 0, total: estimate };
  }

  private setStatus(status: BakeStatus): void {
    if (!this.statuses.has(status.clipId) || sameStatus(this.statuses.get(status.clipId), status)) return;
    this.statuses.set(status.clipId, status);
    this.ctx.events.emit('bake.progress', status);
  }

  private startNext(): void {
    if (this.running) return;
    const store = this.getProject();
    const job = this.jobs.find((j) => this.baked.get(j.clipId)?.key !== j.key && !this.failed.has(j.key));
    if (!store || !job) return;
    const abort = new AbortController();
    this.running = { job, abort };
    this.setStatus(this.statusOf(job));
    void this.runJob(store, job, abort.signal).finally(() => {
      if (this.running?.job === job) this.running = null;
      if (!abort.signal.aborted) this.startNext();
    });
  }

  private async runJob(store: ProjectStore, job: Job, signal: AbortSignal): Promise<void> {
    try {
      const blobs = store.avatarBlobs(job.avatar.id);
      const result = await this.ctx.engine.call(
        'bake.clip',
        {
          packDir: job.packDir,
          cacheDir: bakeCacheDir(store.path),
          key: job.key,
          audioPath: await mediaFile(store, job.media),
          audioName: job.media.name,
          startS: job.startS,
          durationS: job.durationS,
          fps: job.fps,
          features: blobs.features,
          camToWorld: Float32Array.from(job.avatar.camera.camToWorld),
        },
        {
          signal,
          onProgress: (p) => {
            if (this.running?.job === job) this.running.progress = p as BakeProgress;
            this.setStatus(this.statusOf(job, p as BakeProgress));
          },
        },
      );
      this.baked.set(job.clipId, { key: job.key, frames: result.frames, numSplats: job.pack.num_splats, fps: job.fps });
    } catch (error) {
      if (signal.aborted) return;
      const message = error instanceof ApiError ? error.message : `Baking failed: ${(error as Error).message}`;
      this.failed.set(job.key, message);
    }
    this.setStatus(this.statusOf(job));
  }

  private async wantedJobs(snapshot: ProjectSnapshot): Promise<Job[]> {
    const store = this.getProject();
    return store ? plannedBakes(this.ctx.resourcesDir, store, snapshot) : [];
  }
}

/**
 * One bake per audio clip of the snapshot for its active avatar, under the key its cache file
 * has: the scheduler bakes these, and an export pins the same keys at its start.
 */
export async function plannedBakes(resourcesDir: string, store: ProjectStore, snapshot: ProjectSnapshot): Promise<Job[]> {
  const avatar = snapshot.avatars.find((a) => a.id === snapshot.activeAvatarId);
  if (!avatar) return [];
  const { dir: packDir, json: pack } = packDirFor(resourcesDir, avatar);
  const filesSha256 = await modelFilesSha256(packDir, Object.values(pack.models).map((m) => m.file));
  const avatarSha256 = store.avatarSplatsSha(avatar.id);
  const fps = pack.feature_window.fps;
  const audioTracks = new Set(snapshot.tracks.filter((t) => t.kind === 'audio').map((t) => t.id));
  const jobs: Job[] = [];
  for (const clip of snapshot.clips) {
    const media = snapshot.media.find((m) => m.id === clip.mediaId);
    if (!media || !audioTracks.has(clip.trackId)) continue;
    const durationS = clipDuration(clip, media);
    const key = bakeKey({
      avatarSha256,
      model: { name: pack.name, version: pack.version, filesSha256 },
      audio: { mediaSha256: media.sha256, trimInS: clip.trimInS, trimOutS: clip.trimOutS },
      fps,
      numSplats: pack.num_splats,
      frontend: pack.audio_frontend.name,
    });
    jobs.push({ clipId: clip.id, key, avatar, packDir, pack, media, startS: clip.trimInS, durationS, fps });
  }
  return jobs;
}

function sameStatus(a: BakeStatus | undefined, b: BakeStatus): boolean {
  return !!a && a.state === b.state && a.done === b.done && a.total === b.total && a.error === b.error && a.fps === b.fps;
}

/** The shipped pack an avatar was made with (same name), or a readable error. */
export function packDirFor(resourcesDir: string, avatar: Avatar): { dir: string; json: ModelJson } {
  for (const dir of shippedPacks(resourcesDir)) {
    const json = readModelJson(dir);
    if (json.name === avatar.modelName) return { dir, json };
  }
  throw new ApiError('MODEL_PACK_INVALID', `The model pack "${avatar.modelName}" this avatar was made with is not installed. Regenerate the avatar.`);
}
