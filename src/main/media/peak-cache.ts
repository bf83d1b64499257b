/**
 * Fine peaks (fine-peaks.ts) per audio media, computed once by a streaming decode and kept in
 * the project's cache as `<project>.cache/peaks/<sha256>.u8`. A missing, truncated or damaged file
 * is recomputed; files are written atomically. Recently used peaks also stay in memory.
 *
 * File layout, little-endian, PEAK_HEADER_BYTES of header then the peaks:
 *   0  4 bytes  magic "SPPK"
 *   4  u32      format version (1)
 *   8  u32      sample rate the peaks were taken at (PEAK_SAMPLE_RATE)
 *  12  u32      samples per peak (SAMPLES_PER_PEAK)
 *  16  f64      decoded sample count n
 *  24  u32      CRC-32 of the peaks (zlib.crc32)
 *  28  u32      0 (reserved)
 *  32  u8[ceil(n / SAMPLES_PER_PEAK)]  peaks, 0..255 for |sample| 0..1
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { streamPcm } from '../engine/audio/pcm-stream.ts';
import { FinePeakBuilder, PEAK_SAMPLE_RATE, SAMPLES_PER_PEAK } from './fine-peaks.ts';
import { projectCacheDir, writeFileAtomic } from './project-cache.ts';

const MAGIC = 'SPPK';
const FORMAT_VERSION = 1;
export const PEAK_HEADER_BYTES = 32;
/** Bytes of peaks kept in memory across media: about 9 hours of audio. */
const MEMORY_BUDGET_BYTES = 16 * 1024 * 1024;

export function peakFilePath(projectFile: string, sha256: string): string {
  return join(projectCacheDir(projectFile, 'peaks'), `${sha256}.u8`);
}

export function encodePeakFile(peaks: Uint8Array, sampleCount: number): Uint8Array {
  const bytes = new Uint8Array(PEAK_HEADER_BYTES + peaks.length);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, PEAK_SAMPLE_RATE, true);
  view.setUint32(12, SAMPLES_PER_PEAK, true);
  view.setFloat64(16, sampleCount, true);
  view.setUint32(24, crc32(peaks), true);
  bytes.set(peaks, PEAK_HEADER_BYTES);
  return bytes;
}

/** The peaks of a well-formed file of this build's layout, else null (the caller recomputes). */
export function decodePeakFile(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length < PEAK_HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  const count = view.getFloat64(16, true);
  if (magic !== MAGIC || view.getUint32(4, true) !== FORMAT_VERSION) return null;
  if (view.getUint32(8, true) !== PEAK_SAMPLE_RATE || view.getUint32(12, true) !== SAMPLES_PER_PEAK) return null;
  if (!Number.isSafeInteger(count) || count < 0 || bytes.length !== PEAK_HEADER_BYTES + Math.ceil(count / SAMPLES_PER_PEAK)) return null;
  const peaks = bytes.slice(PEAK_HEADER_BYTES);
  return crc32(peaks) === view.getUint32(24, true) ? peaks : null;
}

export interface PeakSource {
  /** Cache file of these peaks. */
  cacheFile: string;
  /** The media's audio, as a file ffmpeg reads (called only when the peaks must be computed). */
  audioFile(): Promise<string>;
  name: string;
  /** Probed duration, seconds: sizes the buffer. */
  durationS: number;
}

/** Decodes the whole file at PEAK_SAMPLE_RATE, keeping only the peaks. */
export async function computeFinePeaks(file: string, name: string, durationS: number): Promise<{ peaks: Uint8Array; samples: number }> {
  const builder = new FinePeakBuilder(Math.ceil(durationS * PEAK_SAMPLE_RATE));
  await streamPcm(file, { sampleRate: PEAK_SAMPLE_RATE, name, cancelMessage: 'Waveform computation cancelled', onSamples: (s) => builder.push(s) });
  return { peaks: builder.finish(), samples: builder.samples };
}

/** Fine peaks by cache file: from memory, else from the file, else computed (once, however many ask at the same time). */
export class PeakCache {
  private readonly memory = new Map<string, Uint8Array>();
  private memoryBytes = 0;
  private readonly pending = new Map<string, Promise<Uint8Array>>();

  get(source: PeakSource): Promise<Uint8Array> {
    const known = this.memory.get(source.cacheFile);
    if (known) {
      // Most recently used last: the Map's order is the eviction order.
      this.memory.delete(source.cacheFile);
      this.memory.set(source.cacheFile, known);
      return Promise.resolve(known);
    }
    let running = this.pending.get(source.cacheFile);
    if (!running) {
      running = this.load(source).finally(() => this.pending.delete(source.cacheFile));
      this.pending.set(source.cacheFile, running);
    }
    return running;
  }

  private async load(source: PeakSource): Promise<Uint8Array> {
    const stored = await readFile(source.cacheFile).then((b) => decodePeakFile(b), () => null);
    let peaks = stored;
    if (!peaks) {
      const computed = await computeFinePeaks(await source.audioFile(), source.name, source.durationS);
      // A cache that cannot be written (read-only folder, full disk) costs recomputation later, not this answer.
      await writeFileAtomic(source.cacheFile, encodePeakFile(computed.peaks, computed.samples)).catch((error: unknown) =>
        console.warn(`[peaks] not cached: ${(error as Error).message}`),
      );
      peaks = computed.peaks;
    }
    this.remember(source.cacheFile, peaks);
    return peaks;
  }

  private remember(key: string, peaks: Uint8Array): void {
    this.memory.set(key, peaks);
    this.memoryBytes += peaks.length;
    for (const [oldKey, old] of this.memory) {
      if (this.memoryBytes <= MEMORY_BUDGET_BYTES || oldKey === key) break;
      this.memory.delete(oldKey);
      this.memoryBytes -= old.length;
    }
  }
}
