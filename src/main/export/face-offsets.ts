/**
 * The per-splat offsets an export frame shows at animation time a (issue 7, item 1), by the rule
 * the preview follows (renderer preview/offset-stream.ts; the two must agree, so a frame of the
 * export is the frame the creator saw):
 *   - the clip under a is, among clips on audio tracks that can be heard (not muted; only solo
 *     tracks while any is solo) and with some length, the one that started last (ties: the upper
 *     track);
 *   - its baked frames interpolated at clip-local time a - startS (offset-interpolation.ts),
 *     eased to the rest offsets over REST_EASE_S at both ends of the clip;
 *   - the avatar's rest offsets between clips (zeros, the static head, when it has none).
 * Baked frames are read in chunks in frame order, holding at most MAX_CHUNKS chunks, so memory does
 * not grow with the clip's length.
 */
import { blendToRest, frameBracket, offsetsAt, restWeightAt, type BakedTiming } from '../../shared/bake/offset-interpolation.ts';
import type { AudioClip, MediaItem, Track } from '../../shared/project/types.ts';
import { clipLength } from '../../shared/timeline/clip-geometry.ts';

/** Frames per read; one second at the tiny pack's 25 fps. */
export const CHUNK_FRAMES = 25;
const MAX_CHUNKS = 4;

export interface FaceClip {
  clip: AudioClip;
  durationS: number;
  trackPosition: number;
}

/** Clips that can drive the face, as the preview's activeClips. */
export function faceClips(clips: readonly AudioClip[], tracks: readonly Track[], media: readonly Pick<MediaItem, 'id' | 'durationS'>[]): FaceClip[] {
  const audioTracks = new Map(tracks.filter((t) => t.kind === 'audio').map((t) => [t.id, t]));
  const anySolo = [...audioTracks.values()].some((t) => t.solo);
  const durations = new Map(media.map((m) => [m.id, m.durationS]));
  const out: FaceClip[] = [];
  for (const clip of clips) {
    const track = audioTracks.get(clip.trackId);
    if (!track || track.muted || (anySolo && !track.solo)) continue;
    const mediaS = durations.get(clip.mediaId);
    if (mediaS === undefined || mediaS === null) continue;
    const durationS = clipLength(clip, mediaS);
    if (durationS > 0) out.push({ clip, durationS, trackPosition: track.position });
  }
  return out;
}

/** The clip driving the face at animation time animS, or null (rest). */
export function faceClipAt(clips: readonly FaceClip[], animS: number): FaceClip | null {
  let best: FaceClip | null = null;
  for (const c of clips) {
    const { startS } = c.clip;
    if (!(animS >= startS && animS < startS + c.durationS)) continue;
    if (!best || startS > best.clip.startS || (startS === best.clip.startS && c.trackPosition < best.trackPosition)) best = c;
  }
  return best;
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
    const current = faceClipAt(this.options.clips, animS);
    if (!current) {
      if (rest) out.set(rest);
      else out.fill(0);
      return null;
    }
    const clipId = current.clip.id;
    const timing = timings.get(clipId);
    if (!timing) throw new Error(`no bake timing for clip ${clipId}`);
    const local = animS - current.clip.startS;
    const bracket = frameBracket(local, timing);
    if (bracket === null) throw new Error(`the bake of clip ${clipId} has no frames`);
    await this.load(clipId, bracket.lower, timing.frames);
    await this.load(clipId, bracket.upper, timing.frames);
    const read = (frame: number): Float32Array | null => this.frame(clipId, frame);
    if (!offsetsAt(local, timing, read, out)) throw new Error(`baked frames of clip ${clipId} around ${local.toFixed(3)} s could not be read`);
    const weight = restWeightAt(local, current.durationS);
    if (weight > 0) blendToRest(out, rest, weight, out);
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
