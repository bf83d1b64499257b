/**
 * The per-splat offsets an export frame shows at animation time a (issue 7, item 1), by the rule
 * the preview follows (src/shared/bake/face-source.ts: the clip under a, its frames, the ease to
 * the rest pose), so a frame of the export is the frame the creator saw. This file reads the
 * baked frames: in chunks in frame order, holding at most MAX_CHUNKS chunks, so memory does not
 * grow with the clip's length.
 */
import type { BakedTiming } from '../../shared/bake/offset-interpolation.ts';
import { faceClips as faceClipsOf, faceSourceAt, writeFaceOffsets, type FaceClip } from '../../shared/bake/face-source.ts';
import type { AudioClip, MediaItem, Track } from '../../shared/project/types.ts';

export type { FaceClip } from '../../shared/bake/face-source.ts';

/** Frames per read; one second at the shipped packs' 25 fps. */
export const CHUNK_FRAMES = 25;
const MAX_CHUNKS = 4;

/** Clips that can drive the face (face-source.ts), from the snapshot's media list. */
export function faceClips(clips: readonly AudioClip[], tracks: readonly Track[], media: readonly Pick<MediaItem, 'id' | 'durationS'>[]): FaceClip[] {
  const durations = new Map<string, number>();
  for (const m of media) if (m.durationS !== null) durations.set(m.id, m.durationS);
  return faceClipsOf(clips, tracks, durations);
}

/** Reads baked frames [first, first + count) of a clip as float32 [count, N, 3]. */
export type BakedFramesReader = (clipId: string, first: number, count: number) => Promise<Float32Array>;

export interface FaceOffsetsOptions {
  clips: readonly FaceClip[];
  /** Bake timing per clip id (fps and frame count of its finished bake). */
  timings: ReadonlyMap<string, BakedTiming>;
  read: BakedFramesReader;
  /** float32 [N * 3], or null for the static head. */
  rest: Float32Array | null;
  numSplats: number;
}

interface Chunk {
  clipId: string;
  first: number;
  count: number;
  values: Float32Array;
}

export class FaceOffsets {
  private readonly options: FaceOffsetsOptions;
  /** Oldest first. */
  private readonly chunks: Chunk[] = [];

  constructor(options: FaceOffsetsOptions) {
    this.options = options;
  }

  /** Writes the offsets at animation time animS into out (float32 [N * 3]); returns the clip id or null for rest. */
  async at(animS: number, out: Float32Array): Promise<string | null> {
    const { rest, timings } = this.options;
    const source = faceSourceAt(this.options.clips, animS, (clipId) => timings.get(clipId) ?? null);
    if (!source) {
      if (rest) out.set(rest);
      else out.fill(0);
      return null;
    }
    const clipId = source.clip.clip.id;
    if (!source.timing) throw new Error(`no bake timing for clip ${clipId}`);
    if (source.frames === null) throw new Error(`the bake of clip ${clipId} has no frames`);
    await this.load(clipId, source.frames.lower, source.timing.frames);
    await this.load(clipId, source.frames.upper, source.timing.frames);
    const read = (frame: number): Float32Array | null => this.frame(clipId, frame);
    if (!writeFaceOffsets(source, read, rest, out)) throw new Error(`baked frames of clip ${clipId} around ${source.localS.toFixed(3)} s could not be read`);
    return clipId;
  }

  private chunkOf(clipId: string, frame: number): Chunk | undefined {
    return this.chunks.find((c) => c.clipId === clipId && frame >= c.first && frame < c.first + c.count);
  }

  private async load(clipId: string, frame: number, frames: number): Promise<void> {
    if (this.chunkOf(clipId, frame)) return;
    const first = Math.floor(frame / CHUNK_FRAMES) * CHUNK_FRAMES;
    const count = Math.min(CHUNK_FRAMES, frames - first);
    const values = await this.options.read(clipId, first, count);
    const expected = count * this.options.numSplats * 3;
    if (values.length !== expected) throw new Error(`baked frames of clip ${clipId}: expected ${expected} values, got ${values.length}`);
    this.chunks.push({ clipId, first, count, values });
    if (this.chunks.length > MAX_CHUNKS) this.chunks.shift();
  }

  private frame(clipId: string, frame: number): Float32Array | null {
    const chunk = this.chunkOf(clipId, frame);
    if (!chunk) return null;
    const size = this.options.numSplats * 3;
    const k = frame - chunk.first;
    return chunk.values.subarray(k * size, (k + 1) * size);
  }
}
