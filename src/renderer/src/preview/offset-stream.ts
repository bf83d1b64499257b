/**
 * The per-splat offsets the preview shows at an output time: time warp to animation time
 * (src/shared/timeline/time-warp.ts), the clip under it, its baked frames fetched in chunks ahead
 * of the playhead into a small LRU (bounded bytes), interpolated between frames and eased to
 * the rest pose at the clip's ends; the avatar's rest offsets ('bake.restOffsets') between clips
 * and wherever a frame is not at hand. Which clip drives the face, and how, is the rule the export
 * follows too (src/shared/bake/face-source.ts); this file fetches and caches the frames.
 *
 * Stale work is dropped: a new avatar, or a clip whose bake changed (moved trims, new media,
 * status no longer 'done'), aborts its fetches and forgets its chunks.
 */
import type { BakeOffsets, BakeStatus } from '../../../shared/api/engine-types.ts';
import { faceClipAt, faceClips, faceSourceAt, writeFaceOffsets, type FaceClip } from '../../../shared/bake/face-source.ts';
import { frameBracket, type BakedTiming } from '../../../shared/bake/offset-interpolation.ts';
import type { AudioClip, TimeWarpSegment, Track } from '../../../shared/project/types.ts';
import { animationTimeAt } from '../../../shared/timeline/time-warp.ts';

/** What the stream reads from the project; the caller builds it from the snapshot and bake statuses. */
export interface OffsetSources {
  /** Changes whenever the avatar's splats may have changed (id and generation); null: no avatar. */
  avatarKey: string | null;
  avatarId: string | null;
  numSplats: number;
  clips: readonly AudioClip[];
  tracks: readonly Track[];
  /** Seconds, by media id. */
  mediaDurations: ReadonlyMap<string, number>;
  timeWarp: readonly Pick<TimeWarpSegment, 'startS' | 'endS' | 'rate' | 'audioMode'>[];
  statuses: ReadonlyMap<string, BakeStatus>;
}

/** How the API is asked; `signal` aborts a fetch that is no longer wanted. */
export interface OffsetFetcher {
  offsets(clipId: string, firstFrame: number, count: number, signal: AbortSignal): Promise<BakeOffsets>;
  restOffsets(avatarId: string, signal: AbortSignal): Promise<{ numSplats: number; bytes: Uint8Array }>;
}

/**
 * What a frame shows:
 *   'rest'     no clip under the playhead: the rest pose, final;
 *   'clip'     the clip's baked offsets, final;
 *   'loading'  the clip is baked but its frames are still on the way: rest pose for now;
 *   'baking'   the clip is not baked yet: rest pose, `progress` says how far;
 *   'failed'   its bake failed: rest pose.
 */
export type FrameState = 'rest' | 'clip' | 'loading' | 'baking' | 'failed';

export interface FrameSample {
  outputS: number;
  animS: number;
  clipId: string | null;
  state: FrameState;
  /** 'baking': frames baked / frames in all, 0..1; else null. */
  progress: number | null;
  /** True when the frame is what the export shows ('rest' or 'clip'). */
  baked: boolean;
}

export interface OffsetStreamOptions {
  fetcher: OffsetFetcher;
  /** Called when fetched data arrives, so an idle preview renders again. */
  onData?: () => void;
  /** Most bytes of offsets kept, default 64 MiB; at least two chunks are always allowed. */
  budgetBytes?: number;
  /** Frames per fetch, default 25 (one second at the bake rate); fewer if the budget needs it. */
  chunkFrames?: number;
  /** Animation seconds ahead of the playhead whose frames are fetched early, default 1.5. */
  lookaheadS?: number;
  /** Fetches in flight at once, default 2. */
  maxInFlight?: number;
}

interface ActiveClip extends FaceClip {
  /** Changes when the clip's bake does: fetched frames of another identity are stale. */
  identity: string;
}

interface Chunk {
  key: string;
  identity: string;
  first: number;
  count: number;
  /** [count, N, 3]. */
  values: Float32Array;
}

const DEFAULT_BUDGET = 64 * 1024 * 1024;

export class OffsetStream {
  private readonly fetcher: OffsetFetcher;
  private readonly onData: () => void;
  private readonly budgetBytes: number;
  private readonly chunkFramesWanted: number;
  private readonly lookaheadS: number;
  private readonly maxInFlight: number;

  private sources: OffsetSources | null = null;
  private active: ActiveClip[] = [];
  /** Least recently used first (Map keeps insertion order; a read re-inserts). */
  private readonly chunks = new Map<string, Chunk>();
  private readonly inFlight = new Map<string, { identity: string; label: string; controller: AbortController }>();
  private readonly failedChunks = new Set<string>();
  private rest: { avatarKey: string; values: Float32Array | null; controller: AbortController } | null = null;
  private disposed = false;

  constructor(options: OffsetStreamOptions) {
    this.fetcher = options.fetcher;
    this.onData = options.onData ?? (() => undefined);
    this.budgetBytes = options.budgetBytes ?? DEFAULT_BUDGET;
    this.chunkFramesWanted = options.chunkFrames ?? 25;
    this.lookaheadS = options.lookaheadS ?? 1.5;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  /** Bytes of offsets held now (for tests and the memory bound). */
  get heldBytes(): number {
    let sum = 0;
    for (const chunk of this.chunks.values()) sum += chunk.values.byteLength;
    return sum;
  }

  /** Fetches under way, as "clipId:first" keys (for tests). */
  get pending(): string[] {
    return [...this.inFlight.values()].map((flight) => flight.label);
  }

  /** New project state: drops what it makes stale. Cheap when nothing relevant changed. */
  setSources(sources: OffsetSources): void {
    const avatarChanged = sources.avatarKey !== this.sources?.avatarKey || sources.numSplats !== this.sources?.numSplats;
    this.sources = sources;
    this.active = activeClips(sources);
    if (avatarChanged) {
      this.dropAll();
      this.rest?.controller.abort();
      this.rest = null;
    }
    const live = new Set(this.active.filter((a) => sources.statuses.get(a.clip.id)?.state === 'done').map((a) => a.identity));
    for (const [key, chunk] of this.chunks) if (!live.has(chunk.identity)) this.chunks.delete(key);
    for (const [key, flight] of this.inFlight) {
      if (!live.has(flight.identity)) {
        flight.controller.abort();
        this.inFlight.delete(key);
      }
    }
    for (const key of this.failedChunks) if (!live.has(key.slice(0, key.lastIndexOf('#')))) this.failedChunks.delete(key);
    this.ensureRest();
  }

  /**
   * Writes the offsets shown at output time `outputS` into `out` (float32 [N*3]) and says what
   * they are. Asks for the frames it lacks and those just ahead; never waits for them.
   */
  sample(outputS: number, out: Float32Array): FrameSample {
    const sources = this.sources;
    const animS = sources ? animationTimeAt(sources.timeWarp, outputS) : outputS;
    const base = { outputS, animS };
    const rest = this.rest?.values ?? null;
    const writeRest = (): void => {
      if (rest && rest.length === out.length) out.set(rest);
      else out.fill(0);
    };
    const current = sources ? faceSourceAt(this.active, animS, (clipId) => this.doneTiming(clipId)) : null;
    this.prefetch(animS, current?.clip ?? null);
    if (!current) {
      writeRest();
      return { ...base, clipId: null, state: 'rest', progress: null, baked: true };
    }
    const clipId = current.clip.clip.id;
    if (!current.timing) {
      writeRest();
      const status = sources?.statuses.get(clipId);
      const failed = status?.state === 'failed';
      const progress = status && status.total > 0 ? Math.min(1, status.done / status.total) : 0;
      return { ...base, clipId, state: failed ? 'failed' : 'baking', progress: failed ? null : progress, baked: false };
    }
    const identity = current.clip.identity;
    const read = (frame: number): Float32Array | null => this.frame(identity, frame, out.length);
    if (!writeFaceOffsets(current, read, rest, out)) {
      writeRest();
      return { ...base, clipId, state: 'loading', progress: null, baked: false };
    }
    return { ...base, clipId, state: 'clip', progress: null, baked: true };
  }

  /** Aborts everything and forgets all data. */
  dispose(): void {
    this.disposed = true;
    this.dropAll();
    this.rest?.controller.abort();
    this.rest = null;
  }

  private dropAll(): void {
    for (const flight of this.inFlight.values()) flight.controller.abort();
    this.inFlight.clear();
    this.chunks.clear();
    this.failedChunks.clear();
  }

  /** The timing of a clip's finished bake; null while it is not done. */
  private doneTiming(clipId: string): BakedTiming | null {
    const status = this.sources?.statuses.get(clipId);
    return status?.state === 'done' ? { fps: status.fps, frames: status.total } : null;
  }

  private frameBytes(): number {
    return (this.sources?.numSplats ?? 0) * 3 * 4;
  }

  /** Frames per chunk: the wanted count, fewer when four chunks would not fit the budget. */
  private chunkFrames(): number {
    const perFrame = Math.max(1, this.frameBytes());
    return Math.max(1, Math.min(this.chunkFramesWanted, Math.floor(this.budgetBytes / 4 / perFrame)));
  }

  private chunkKey(identity: string, first: number): string {
    return `${identity}#${first}`;
  }

  private frame(identity: string, frame: number, length: number): Float32Array | null {
    const size = this.chunkFrames();
    const first = Math.floor(frame / size) * size;
    const key = this.chunkKey(identity, first);
    const chunk = this.chunks.get(key);
    if (!chunk) return null;
    // Touch: most recently used goes last.
    this.chunks.delete(key);
    this.chunks.set(key, chunk);
    const index = frame - chunk.first;
    if (index < 0 || index >= chunk.count) return null;
    return chunk.values.subarray(index * length, (index + 1) * length);
  }

  /** Requests the frames at animS and just ahead of it (the next clip's first frames included). */
  private prefetch(animS: number, current: ActiveClip | null): void {
    if (!this.sources || this.disposed) return;
    const wanted: Array<{ a: ActiveClip; local: number }> = [];
    if (current) wanted.push({ a: current, local: animS - current.clip.startS });
    const ahead = faceClipAt(this.active, animS + this.lookaheadS);
    if (ahead) wanted.push({ a: ahead, local: Math.max(0, animS - ahead.clip.startS) });
    for (const { a, local } of wanted) {
      const timing = this.doneTiming(a.clip.id);
      if (!timing) continue;
      const from = frameBracket(local, timing);
      const to = frameBracket(Math.min(a.durationS, local + this.lookaheadS), timing);
      if (!from || !to) continue;
      const size = this.chunkFrames();
      for (let first = Math.floor(from.lower / size) * size; first <= to.upper; first += size) {
        this.request(a, first, Math.min(size, timing.frames - first));
      }
    }
  }

  private request(a: ActiveClip, first: number, count: number): void {
    const key = this.chunkKey(a.identity, first);
    if (count <= 0 || this.chunks.has(key) || this.inFlight.has(key) || this.failedChunks.has(key)) return;
    if (this.inFlight.size >= this.maxInFlight) return;
    const controller = new AbortController();
    this.inFlight.set(key, { identity: a.identity, label: `${a.clip.id}:${first}`, controller });
    const numSplats = this.sources?.numSplats ?? 0;
    this.fetcher.offsets(a.clip.id, first, count, controller.signal).then(
      (result) => {
        if (controller.signal.aborted || this.inFlight.get(key)?.controller !== controller) return;
        this.inFlight.delete(key);
        if (result.numSplats !== numSplats || result.count !== count || result.firstFrame !== first) {
          this.failedChunks.add(key);
          return;
        }
        this.store({ key, identity: a.identity, first, count, values: floatsOf(result.bytes) });
        this.onData();
      },
      () => {
        if (this.inFlight.get(key)?.controller !== controller) return;
        this.inFlight.delete(key);
        // Not asked again until the clip's bake changes: a failing fetch must not loop.
        if (!controller.signal.aborted) this.failedChunks.add(key);
      },
    );
  }

  private store(chunk: Chunk): void {
    this.chunks.set(chunk.key, chunk);
    // Evict least recently used, but never the chunk just stored nor below two chunks.
    for (const key of this.chunks.keys()) {
      if (this.heldBytes <= this.budgetBytes || this.chunks.size <= 2) break;
      if (key !== chunk.key) this.chunks.delete(key);
    }
  }

  private ensureRest(): void {
    const sources = this.sources;
    if (!sources?.avatarKey || !sources.avatarId || this.disposed) return;
    if (this.rest?.avatarKey === sources.avatarKey) return;
    const controller = new AbortController();
    const entry = { avatarKey: sources.avatarKey, values: null as Float32Array | null, controller };
    this.rest = entry;
    this.fetcher.restOffsets(sources.avatarId, controller.signal).then(
      (result) => {
        if (controller.signal.aborted || this.rest !== entry) return;
        if (result.numSplats !== sources.numSplats) return;
        entry.values = floatsOf(result.bytes);
        this.onData();
      },
      // Without rest offsets the static head stands in; nothing to retry here.
      () => undefined,
    );
  }
}

/** Float32 values of little-endian bytes, copied so they are aligned and owned. */
function floatsOf(bytes: Uint8Array): Float32Array {
  return new Float32Array(bytes.slice().buffer);
}

/** Clips that can drive the face (face-source.ts), each with the identity of its bake. */
export function activeClips(sources: OffsetSources): ActiveClip[] {
  return faceClips(sources.clips, sources.tracks, sources.mediaDurations).map((c) => ({
    ...c,
    identity: [sources.avatarKey, c.clip.id, c.clip.mediaId, c.clip.trimInS, c.clip.trimOutS].join('|'),
  }));
}
