/**
 * Baked offsets on disk: one file per bake key (bake-key.ts), `<key>.offsets`, written frame by
 * frame while a bake runs and read by preview and export. Only a cache: a file that does not
 * match is deleted and made again, and deleting any file at any time only costs recomputation.
 * Memory stays constant whatever the clip length: frames go straight between the caller's
 * buffers and the file; only the done bitmap (one bit per frame) is held.
 *
 * File layout, little-endian, byte by byte:
 *
 *   offset  size  field
 *   0       8     magic "SPOFFSET" (ASCII)
 *   8       4     u32 format version (OFFSETS_FORMAT_VERSION)
 *   12      4     u32 header length: byte offset of frame 0 (64 + bitmap, rounded up to 64)
 *   16      4     u32 numSplats
 *   20      4     u32 frames
 *   24      8     f64 fps
 *   32      4     u32 bitmap offset (64)
 *   36      4     u32 bitmap length in bytes, ceil(frames / 8)
 *   40      24    zero
 *   64      ...   done bitmap: frame f is bit (f % 8) of byte floor(f / 8), 1 = fully written
 *   ...           zero padding up to the header length
 *   header length + f * numSplats * 12: frame f, float32 [numSplats, 3] (x, y, z per splat)
 *
 * The bitmap lives in the same file so one unlink removes a bake, and a file never pairs with
 * another bake's bitmap. The file is created at its full size (sparse) under a temporary name and
 * renamed into place, so a file under the final name always has a whole header.
 *
 * Crash safety: a frame's bit is set only after its data is written. With `durable` (the
 * default) the data is also fdatasync'ed before the bit is written, so even a power loss never
 * leaves a bit whose data is not on disk; the bitmap itself is not synced, since losing its
 * newest bits only costs recomputing those frames. A kill of the process needs no sync at all:
 * the kernel keeps the writes in order. Rewriting a done frame clears its bit (durably) first.
 *
 * One writer per key: two BakeCache objects over one file do not see each other's bits. Share
 * one object between the baker and its readers; its calls run one at a time, in call order.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors.ts';
import { ensureDir, toCacheFileError } from './cache-dir.ts';

export const OFFSETS_MAGIC = 'SPOFFSET';
export const OFFSETS_FORMAT_VERSION = 1;
const HEADER_BYTES = 64;
/** Frame data starts on a 64-byte boundary (a cache line), which also keeps float32 views aligned. */
const DATA_ALIGN = 64;
const FLOATS_PER_SPLAT = 3;
const BYTES_PER_SPLAT = FLOATS_PER_SPLAT * 4;
/** Linux writes at most 0x7ffff000 bytes per call; stay under it. */
const MAX_IO_BYTES = 1 << 30;
const KEY_PATTERN = /^[0-9a-f]{64}$/;
const FILE_PATTERN = /^([0-9a-f]{64})\.offsets$/;
const TEMP_PATTERN = /^([0-9a-f]{64})\.offsets\.(\d+)\.[0-9a-f]+\.tmp$/;
const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** What a bake holds: `frames` frames of `numSplats` xyz offsets, frame i at time i / fps. */
export interface BakeShape {
  frames: number;
  numSplats: number;
  fps: number;
}

export interface BakeCacheOptions {
  /** fdatasync frame data before marking it done (see the file comment). Default true. */
  durable?: boolean;
}

/** Frames first .. first + count - 1. */
export interface FrameRange {
  first: number;
  count: number;
}

interface Layout {
  bitmapBytes: number;
  dataOffset: number;
  frameBytes: number;
  totalBytes: number;
}

export function offsetsFileName(key: string): string {
  return `${key}.offsets`;
}

function layoutOf(shape: BakeShape): Layout {
  const bitmapBytes = Math.ceil(shape.frames / 8);
  const dataOffset = Math.ceil((HEADER_BYTES + bitmapBytes) / DATA_ALIGN) * DATA_ALIGN;
  const frameBytes = shape.numSplats * BYTES_PER_SPLAT;
  return { bitmapBytes, dataOffset, frameBytes, totalBytes: dataOffset + shape.frames * frameBytes };
}

function checkShape(shape: BakeShape): void {
  const u32 = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
  if (!u32(shape.frames)) throw new RangeError(`BakeCache: frames must be an integer in 0 .. 2^32 - 1, got ${shape.frames}`);
  if (!u32(shape.numSplats) || shape.numSplats === 0) throw new RangeError(`BakeCache: numSplats must be an integer in 1 .. 2^32 - 1, got ${shape.numSplats}`);
  if (!(Number.isFinite(shape.fps) && shape.fps > 0)) throw new RangeError(`BakeCache: fps must be finite and > 0, got ${shape.fps}`);
  if (!Number.isSafeInteger(layoutOf(shape).totalBytes)) throw new RangeError(`BakeCache: ${shape.frames} frames of ${shape.numSplats} splats do not fit in one file`);
}

function encodeHeader(shape: BakeShape, layout: Layout): Uint8Array {
  const bytes = new Uint8Array(layout.dataOffset);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(OFFSETS_MAGIC), 0);
  view.setUint32(8, OFFSETS_FORMAT_VERSION, true);
  view.setUint32(12, layout.dataOffset, true);
  view.setUint32(16, shape.numSplats, true);
  view.setUint32(20, shape.frames, true);
  view.setFloat64(24, shape.fps, true);
  view.setUint32(32, HEADER_BYTES, true);
  view.setUint32(36, layout.bitmapBytes, true);
  return bytes;
}

/** Whether `head` (the first dataOffset bytes of a file) is the header of a file of this shape. */
function headerMatches(head: Uint8Array, shape: BakeShape, layout: Layout): boolean {
  const expected = encodeHeader(shape, layout);
  for (let i = 0; i < HEADER_BYTES; i++) if (head[i] !== expected[i]) return false;
  return true;
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, Math.min(bytes.length - done, MAX_IO_BYTES), position + done);
    done += bytesWritten;
  }
}

/** Reads bytes.length bytes; false if the file ends first. */
async function readAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<boolean> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesRead } = await handle.read(bytes, done, Math.min(bytes.length - done, MAX_IO_BYTES), position + done);
    if (bytesRead === 0) return false;
    done += bytesRead;
  }
  return true;
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** The open file and its done bitmap, or null when it is missing or does not match (then it is deleted). */
async function openExisting(path: string, shape: BakeShape, layout: Layout): Promise<{ handle: FileHandle; bitmap: Uint8Array } | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return null;
    throw toCacheFileError(error, path, 'open the bake cache file');
  }
  try {
    const head = new Uint8Array(layout.dataOffset);
    const { size } = await handle.stat();
    if (size === layout.totalBytes && (await readAll(handle, head, 0)) && headerMatches(head, shape, layout)) {
      const bitmap = head.slice(HEADER_BYTES, HEADER_BYTES + layout.bitmapBytes);
      // Bits past the last frame mean nothing; clear them so counting can ignore them.
      if (shape.frames % 8 !== 0) bitmap[bitmap.length - 1]! &= (1 << shape.frames % 8) - 1;
      return { handle, bitmap };
    }
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw toCacheFileError(error, path, 'read the bake cache file');
  }
  await handle.close();
  try {
    await rm(path, { force: true });
  } catch (error) {
    throw toCacheFileError(error, path, 'replace the outdated bake cache file');
  }
  return null;
}

/** Creates the file at its full size with an empty bitmap, under a temporary name first. */
async function createFile(path: string, shape: BakeShape, layout: Layout): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
    await writeAll(handle, encodeHeader(shape, layout), 0);
    await handle.truncate(layout.totalBytes);
    await handle.close();
    handle = undefined;
    // No sync before the rename: whatever a crash leaves under the final name (empty, short or
    // zeroed) fails the header and size check and is made again.
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw toCacheFileError(error, path, 'create the bake cache file');
  }
}

export class BakeCache {
  readonly path: string;
  readonly frames: number;
  readonly numSplats: number;
  readonly fps: number;
  private readonly layout: Layout;
  private readonly durable: boolean;
  private readonly bitmap: Uint8Array;
  private handle: FileHandle | null;
  private done: number;
  /** Every file operation runs after the previous one, so bit and data writes never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, shape: BakeShape, layout: Layout, handle: FileHandle, bitmap: Uint8Array, durable: boolean) {
    this.path = path;
    this.frames = shape.frames;
    this.numSplats = shape.numSplats;
    this.fps = shape.fps;
    this.layout = layout;
    this.handle = handle;
    this.bitmap = bitmap;
    this.durable = durable;
    this.done = 0;
    for (let f = 0; f < shape.frames; f++) if (this.isDone(f)) this.done++;
  }

  /**
   * Opens the cache file of `key` in `dir` (created if missing), keeping the frames already done
   * when the file matches `shape`; otherwise the file is replaced by an empty one.
   */
  static async open(dir: string, key: string, shape: BakeShape, options: BakeCacheOptions = {}): Promise<BakeCache> {
    if (!KEY_PATTERN.test(key)) throw new RangeError(`BakeCache: key must be a bakeKey (64 lowercase hex digits), got ${JSON.stringify(key)}`);
    checkShape(shape);
    if (!LITTLE_ENDIAN_HOST) throw new ApiError('INTERNAL', 'Baked offsets are stored little-endian; this machine is big-endian.');
    await ensureDir(dir);
    const path = join(dir, offsetsFileName(key));
    const layout = layoutOf(shape);
    let file = await openExisting(path, shape, layout);
    if (file === null) {
      await createFile(path, shape, layout);
      file = await openExisting(path, shape, layout);
      if (file === null) throw new ApiError('INTERNAL', `The bake cache file ${path} vanished right after it was created.`, { path });
    }
    return new BakeCache(path, shape, layout, file.handle, file.bitmap, options.durable ?? true);
  }

  /** Frames fully written. */
  get doneCount(): number {
    return this.done;
  }

  isDone(frame: number): boolean {
    if (!Number.isInteger(frame) || frame < 0 || frame >= this.frames) return false;
    return ((this.bitmap[frame >> 3]! >> (frame & 7)) & 1) === 1;
  }

  /** Frames not yet written, in order. */
  missingFrames(): number[] {
    const missing: number[] = [];
    for (let f = 0; f < this.frames; f++) if (!this.isDone(f)) missing.push(f);
    return missing;
  }

  /** Frames not yet written, as maximal runs in order: what a baker batches. */
  missingRanges(): FrameRange[] {
    const ranges: FrameRange[] = [];
    for (let f = 0; f < this.frames; f++) {
      if (this.isDone(f)) continue;
      const last = ranges.at(-1);
      if (last && last.first + last.count === f) last.count++;
      else ranges.push({ first: f, count: 1 });
    }
    return ranges;
  }

  /**
   * Writes frames firstFrame .. firstFrame + count - 1 from `data`, float32 [count, numSplats, 3],
   * then marks them done. Resolves once they are done; on failure (DISK_FULL, READ_ONLY) none of
   * them is marked done. Frames already done are rewritten. Calls queue, so `data` must stay
   * unchanged until the promise settles.
   */
  async writeFrames(firstFrame: number, data: Float32Array): Promise<void> {
    const floatsPerFrame = this.numSplats * FLOATS_PER_SPLAT;
    if (data.length % floatsPerFrame !== 0) {
      throw new RangeError(`BakeCache.writeFrames: data must be [count, ${this.numSplats}, 3] float32, got ${data.length} values (not a multiple of ${floatsPerFrame})`);
    }
    const range = { first: firstFrame, count: data.length / floatsPerFrame };
    this.checkRange('writeFrames', range);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return this.serial(async (handle) => {
      if (range.count === 0) return;
      try {
        if (this.anyDone(range)) {
          await this.writeBits(handle, range, false);
          if (this.durable) await handle.datasync();
        }
        await writeAll(handle, bytes, this.layout.dataOffset + range.first * this.layout.frameBytes);
        if (this.durable) await handle.datasync();
        await this.writeBits(handle, range, true);
      } catch (error) {
        throw toCacheFileError(error, this.path, 'write baked offsets');
      }
    });
  }

  /** Frames first .. first + count - 1 as float32 [count, numSplats, 3]. All must be done (else NOT_FOUND). */
  async readFrames(first: number, count: number): Promise<Float32Array> {
    const bytes = await this.readFramesBytes(first, count);
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }

  /**
   * The same frames as their little-endian bytes, as the API sends them. Throws INVALID_INPUT
   * for frames outside the bake and NOT_FOUND (with `firstMissing`) if any frame is not done yet:
   * a caller asks isDone / missingFrames first, and never gets zeros that look like a closed mouth.
   */
  async readFramesBytes(first: number, count: number): Promise<Uint8Array> {
    const range = { first, count };
    this.checkRange('readFrames', range);
    return this.serial(async (handle) => {
      for (let f = first; f < first + count; f++) {
        if (!this.isDone(f)) {
          throw new ApiError('NOT_FOUND', `Frame ${f} of ${this.frames} is not baked yet.`, { path: this.path, firstMissing: f });
        }
      }
      const bytes = new Uint8Array(count * this.layout.frameBytes);
      let complete: boolean;
      try {
        complete = await readAll(handle, bytes, this.layout.dataOffset + first * this.layout.frameBytes);
      } catch (error) {
        throw toCacheFileError(error, this.path, 'read baked offsets');
      }
      if (!complete) throw new ApiError('INTERNAL', `The bake cache file ${this.path} was cut short while in use; bake again.`, { path: this.path });
      return bytes;
    });
  }

  /** Closes the file after the calls already made; later calls throw. Safe to call twice. */
  async close(): Promise<void> {
    const handle = this.handle;
    if (handle === null) return;
    this.handle = null;
    await this.queue.catch(() => undefined);
    await handle.close();
  }

  private checkRange(method: string, { first, count }: FrameRange): void {
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0 || first + count > this.frames) {
      throw new ApiError('INVALID_INPUT', `BakeCache.${method}: frames ${first} .. ${first + count - 1} are outside the bake's ${this.frames} frames.`, { path: this.path });
    }
  }

  private serial<T>(operation: (handle: FileHandle) => Promise<T>): Promise<T> {
    const handle = this.handle;
    if (handle === null) return Promise.reject(new Error(`BakeCache: ${this.path} is closed`));
    const result = this.queue.catch(() => undefined).then(() => operation(handle));
    this.queue = result;
    return result;
  }

  private anyDone({ first, count }: FrameRange): boolean {
    for (let f = first; f < first + count; f++) if (this.isDone(f)) return true;
    return false;
  }

  /** Sets or clears the bits of `range` on disk, then in memory (so memory never claims what disk may not). */
  private async writeBits(handle: FileHandle, { first, count }: FrameRange, value: boolean): Promise<void> {
    const firstByte = first >> 3;
    const bytes = this.bitmap.slice(firstByte, ((first + count - 1) >> 3) + 1);
    let changed = 0;
    for (let f = first; f < first + count; f++) {
      const i = (f >> 3) - firstByte;
      const bit = 1 << (f & 7);
      if (((bytes[i]! & bit) !== 0) !== value) changed++;
      bytes[i] = value ? bytes[i]! | bit : bytes[i]! & ~bit;
    }
    if (changed === 0) return;
    await writeAll(handle, bytes, HEADER_BYTES + firstByte);
    this.bitmap.set(bytes, firstByte);
    this.done += value ? changed : -changed;
  }
}

/**
 * Deletes the cache files in `dir` whose key is not in `keepKeys` (stale avatars, clips, model
 * packs), and temporary files that a crashed process left. Files that are not the cache's are
 * left alone; a missing folder is an empty cache. Resolves to the deleted keys.
 */
export async function pruneCache(dir: string, keepKeys: Iterable<string>): Promise<string[]> {
  const keep = new Set(keepKeys);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return [];
    throw toCacheFileError(error, dir, 'list the bake cache folder');
  }
  const deleted: string[] = [];
  for (const name of names) {
    const file = FILE_PATTERN.exec(name);
    const temp = TEMP_PATTERN.exec(name);
    const key = file?.[1] ?? temp?.[1];
    if (key === undefined) continue;
    // A temporary file of this process may be mid-creation; one of another process is a leftover.
    const stale = file ? !keep.has(key) : Number(temp?.[2]) !== process.pid;
    if (!stale) continue;
    try {
      await rm(join(dir, name), { force: true });
    } catch (error) {
      throw toCacheFileError(error, join(dir, name), 'delete an outdated bake cache file');
    }
    if (file) deleted.push(key);
  }
  return deleted;
}
