/**
 * Decoded audio chunks (pcm-plan.ts) as AudioBuffers, fetched from the engine once and kept in a
 * bounded least-recently-used cache, so playback and scrubbing never decode in the renderer.
 */
import { CHUNK_S, PCM_RATE, chunkRange } from './pcm-plan.ts';

/** Asks the engine for mono float32 PCM at PCM_RATE of media [startS, startS + durationS). */
export type PcmFetcher = (mediaId: string, startS: number, durationS: number) => Promise<Float32Array>;

/** At most this many chunks stay cached: 48 x 5 s x 48 kHz x 4 bytes, about 46 MB. */
const MAX_CHUNKS = 48;

export class PcmCache {
  private readonly entries = new Map<string, Promise<AudioBuffer | null>>();

  private readonly context: BaseAudioContext;
  private readonly fetchPcm: PcmFetcher;
  private readonly mediaDuration: (mediaId: string) => number | undefined;

  constructor(context: BaseAudioContext, fetchPcm: PcmFetcher, mediaDuration: (mediaId: string) => number | undefined) {
    this.context = context;
    this.fetchPcm = fetchPcm;
    this.mediaDuration = mediaDuration;
  }

  /** The chunk's buffer; null when the media is gone or the engine could not decode it. */
  get(mediaId: string, chunk: number): Promise<AudioBuffer | null> {
    const key = `${mediaId}:${chunk}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Refresh its place in the LRU order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const entry = this.load(mediaId, chunk);
    this.entries.set(key, entry);
    // A failure is asked again next time (the engine may have been restarting).
    entry.then((buffer) => buffer ?? this.entries.delete(key), () => this.entries.delete(key));
    while (this.entries.size > MAX_CHUNKS) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }

  private async load(mediaId: string, chunk: number): Promise<AudioBuffer | null> {
    const mediaS = this.mediaDuration(mediaId);
    if (mediaS === undefined) return null;
    const range = chunkRange(chunk, mediaS, CHUNK_S);
    if (range.durationS <= 0) return null;
    try {
      const samples = await this.fetchPcm(mediaId, range.startS, range.durationS);
      if (samples.length === 0) return null;
      const buffer = this.context.createBuffer(1, samples.length, PCM_RATE);
      buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
      return buffer;
    } catch {
      return null;
    }
  }
}
