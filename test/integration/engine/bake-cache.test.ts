/**
 * The baked-offsets cache on a real disk (src/main/engine/bake/bake-cache.ts, cache-dir.ts):
 * round trip, resume after close, kills mid-write, outdated files replaced, pruning, error
 * mapping, and constant memory for a 60 s clip of 65,536 splats.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, open, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { BakeCache, offsetsFileName, pruneCache, type BakeShape } from '../../../src/main/engine/bake/bake-cache.ts';
import { bakeCacheDir, ensureBakeCacheDir, toCacheFileError } from '../../../src/main/engine/bake/cache-dir.ts';
import { useTmpDirs } from '../../helpers/tmp-dir.ts';

const makeDir = useTmpDirs('bake-cache');
const BAKE_CACHE_URL = pathToFileURL(resolve(import.meta.dirname, '../../../src/main/engine/bake/bake-cache.ts')).href;

const KEY = 'a'.repeat(64);
const OTHER_KEY = 'b'.repeat(64);
const SHAPE: BakeShape = { frames: 100, numSplats: 7, fps: 25 };

/** Frame f, value j: (f + 1) * 1000 + j, exact in float32, so a frame from another frame or a zero shows. */
function frameData(first: number, count: number, numSplats: number): Float32Array {
  const perFrame = numSplats * 3;
  const data = new Float32Array(count * perFrame);
  for (let f = 0; f < count; f++) for (let j = 0; j < perFrame; j++) data[f * perFrame + j] = (first + f + 1) * 1000 + (j % 1000);
  return data;
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

/** Runs an ES module in a fresh Node (the one running the tests); resolves to its exit and stdout. */
function runNode(code: string, args: string[], options: { uid?: number; gid?: number } = {}): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolveDone, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolveDone({ code: exitCode, signal, stdout, stderr }));
  });
  return { child, done };
}

describe('bake cache folder', () => {
  it('lives beside the project file and is created on demand', async () => {
    const root = await makeDir();
    const project = join(root, 'My Talk.splatproj');
    expect(bakeCacheDir(project)).toBe(`${project}.cache/bake`);
    expect(bakeCacheDir('/x/My.splatproj')).toBe('/x/My.splatproj.cache/bake');
    const dir = await ensureBakeCacheDir(project);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });
});

describe('BakeCache', () => {
  it('reads back what it wrote, as floats and as little-endian bytes', async () => {
    const dir = await makeDir();
    const cache = await BakeCache.open(dir, KEY, SHAPE);
    expect(cache.doneCount).toBe(0);
    await cache.writeFrames(0, frameData(0, 10, 7));
    await cache.writeFrames(10, frameData(10, 1, 7));
    expect(cache.doneCount).toBe(11);
    expect(await cache.readFrames(0, 11)).toEqual(frameData(0, 11, 7));
    expect(await cache.readFrames(4, 2)).toEqual(frameData(4, 2, 7));
    const bytes = await cache.readFramesBytes(10, 1);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getFloat32(4 * 5, true)).toBe(11_005);
    expect((await readdir(dir)).sort()).toEqual([offsetsFileName(KEY)]);
    await cache.close();
  });

  it('resumes: frames 0..49 written, closed and reopened, misses exactly 50..99', async () => {
    const dir = await makeDir();
    const first = await BakeCache.open(dir, KEY, SHAPE);
    for (let f = 0; f < 50; f += 16) await first.writeFrames(f, frameData(f, Math.min(16, 50 - f), 7));
    await first.close();
    const again = await BakeCache.open(dir, KEY, SHAPE);
    expect(again.doneCount).toBe(50);
    expect(again.missingFrames()).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
    expect(again.missingRanges()).toEqual([{ first: 50, count: 50 }]);
    expect(again.isDone(49)).toBe(true);
    expect(again.isDone(50)).toBe(false);
    expect(await again.readFrames(0, 50)).toEqual(frameData(0, 50, 7));
    await again.close();
  });

  it('lists gaps as ranges and rewrites done frames', async () => {
    const dir = await makeDir();
    const cache = await BakeCache.open(dir, KEY, { frames: 20, numSplats: 2, fps: 30 });
    await cache.writeFrames(3, frameData(3, 4, 2));
    await cache.writeFrames(15, frameData(15, 1, 2));
    expect(cache.missingRanges()).toEqual([
      { first: 0, count: 3 },
      { first: 7, count: 8 },
      { first: 16, count: 4 },
    ]);
    const replacement = frameData(40, 2, 2);
    await cache.writeFrames(5, replacement);
    expect(cache.doneCount).toBe(5);
    expect(await cache.readFrames(5, 2)).toEqual(replacement);
    await cache.close();
  });

  it('refuses frames not done (NOT_FOUND) and outside the bake (INVALID_INPUT), never giving zeros', async () => {
    const dir = await makeDir();
    const cache = await BakeCache.open(dir, KEY, SHAPE);
    await cache.writeFrames(0, frameData(0, 2, 7));
    const notDone = await rejection(cache.readFrames(1, 2));
    expect(notDone.code).toBe('NOT_FOUND');
    expect(notDone.details?.firstMissing).toBe(2);
    expect((await rejection(cache.readFramesBytes(99, 2))).code).toBe('INVALID_INPUT');
    expect((await rejection(cache.readFrames(-1, 1))).code).toBe('INVALID_INPUT');
    expect((await rejection(cache.writeFrames(99, frameData(99, 2, 7)))).code).toBe('INVALID_INPUT');
    await expect(cache.writeFrames(0, new Float32Array(5))).rejects.toThrow(/\[count, 7, 3\]/);
    await cache.close();
    await cache.close();
    await expect(cache.readFrames(0, 1)).rejects.toThrow(/closed/);
  });

  it('keeps queued writes in call order and a failed call does not block the next', async () => {
    const dir = await makeDir();
    const cache = await BakeCache.open(dir, KEY, SHAPE);
    const calls = [cache.writeFrames(0, frameData(0, 5, 7)), cache.readFrames(0, 5), cache.readFrames(50, 1), cache.writeFrames(5, frameData(5, 5, 7))];
    const [, read, missing, last] = await Promise.allSettled(calls);
    expect(read).toEqual({ status: 'fulfilled', value: frameData(0, 5, 7) });
    expect(missing?.status).toBe('rejected');
    expect(last?.status).toBe('fulfilled');
    expect(cache.doneCount).toBe(10);
    await cache.close();
  });
});

describe('BakeCache after a crash', () => {
  it('does not count a frame whose data was written but whose bit was not', async () => {
    const dir = await makeDir();
    const cache = await BakeCache.open(dir, KEY, SHAPE);
    await cache.writeFrames(0, frameData(0, 10, 7));
    await cache.close();
    // What a kill between the data write and the bit write leaves: frame 10's data, no bit.
    const handle = await open(join(dir, offsetsFileName(KEY)), 'r+');
    const headerLength = (await handle.read(Buffer.alloc(4), 0, 4, 12)).buffer.readUInt32LE(0);
    const half = frameData(10, 1, 7).subarray(0, 10);
    await handle.write(new Uint8Array(half.buffer, half.byteOffset, half.byteLength), 0, half.byteLength, headerLength + 10 * 7 * 12);
    await handle.close();
    const again = await BakeCache.open(dir, KEY, SHAPE);
    expect(again.doneCount).toBe(10);
    expect(again.isDone(10)).toBe(false);
    expect(again.missingFrames()[0]).toBe(10);
    await again.close();
  });

  it('replaces a truncated file with an empty one', async () => {
    const dir = await makeDir();
    const cache = await BakeCache.open(dir, KEY, SHAPE);
    await cache.writeFrames(0, frameData(0, 100, 7));
    await cache.close();
    const path = join(dir, offsetsFileName(KEY));
    const fullSize = (await stat(path)).size;
    for (const size of [fullSize - 1, 200, 30, 0]) {
      await truncate(path, size);
      const again = await BakeCache.open(dir, KEY, SHAPE);
      expect(again.doneCount).toBe(0);
      expect((await stat(path)).size).toBe(fullSize);
      await again.writeFrames(0, frameData(0, 100, 7));
      await again.close();
    }
  });

  it('never reports a partial frame after SIGKILL mid-bake (no fsync)', async () => {
    const dir = await makeDir();
    const shape = { frames: 400, numSplats: 65_536, fps: 25 };
    const code = `
      import { BakeCache } from ${JSON.stringify(BAKE_CACHE_URL)};
      const [dir, key, frames, numSplats] = process.argv.slice(1);
      const cache = await BakeCache.open(dir, key, { frames: +frames, numSplats: +numSplats, fps: 25 }, { durable: false });
      const perFrame = +numSplats * 3;
      const data = new Float32Array(perFrame);
      for (let f = 0; f < +frames; f++) {
        for (let j = 0; j < perFrame; j++) data[j] = (f + 1) * 1000 + (j % 1000);
        await cache.writeFrames(f, data);
        process.stdout.write(f + '\\n');
      }`;
    const { child, done } = runNode(code, [dir, KEY, String(shape.frames), String(shape.numSplats)]);
    let reported = -1;
    child.stdout?.on('data', (chunk: Buffer) => {
      reported = Math.max(reported, ...chunk.toString().trim().split('\n').map(Number));
      // Kill at an odd moment once some frames are done: usually mid-write of the next.
      if (reported >= 20) setTimeout(() => child.kill('SIGKILL'), Math.random() * 3);
    });
    const exit = await done;
    expect(exit.signal, exit.stderr).toBe('SIGKILL');
    const cache = await BakeCache.open(dir, KEY, shape);
    expect(cache.doneCount).toBeGreaterThanOrEqual(reported + 1);
    expect(cache.doneCount).toBeLessThan(shape.frames);
    for (let f = 0; f < shape.frames; f++) {
      if (!cache.isDone(f)) continue;
      expect(await cache.readFrames(f, 1)).toEqual(frameData(f, 1, shape.numSplats));
    }
    await cache.close();
  });
});

describe('BakeCache with a file that does not match', () => {
  async function bakedFile(): Promise<{ dir: string; path: string }> {
    const dir = await makeDir();
    const cache = await BakeCache.open(dir, KEY, SHAPE);
    await cache.writeFrames(0, frameData(0, 100, 7));
    await cache.close();
    return { dir, path: join(dir, offsetsFileName(KEY)) };
  }

  it.each([
    ['another splat count', { ...SHAPE, numSplats: 8 }],
    ['another frame count', { ...SHAPE, frames: 101 }],
    ['another fps', { ...SHAPE, fps: 30 }],
  ])('replaces it for %s', async (_what, shape) => {
    const { dir, path } = await bakedFile();
    const cache = await BakeCache.open(dir, KEY, shape);
    expect(cache.doneCount).toBe(0);
    expect(cache.missingFrames().length).toBe(shape.frames);
    await cache.close();
    expect((await readdir(dir)).sort()).toEqual([offsetsFileName(KEY)]);
    expect((await stat(path)).size).toBeGreaterThan(0);
  });

  it.each([
    ['a wrong magic', 0, Buffer.from('NOTBAKED')],
    ['a newer format version', 8, Buffer.from([2, 0, 0, 0])],
    ['a damaged header length', 12, Buffer.from([1, 0, 0, 0])],
  ])('replaces it for %s', async (_what, position, bytes) => {
    const { dir, path } = await bakedFile();
    const handle = await open(path, 'r+');
    await handle.write(bytes, 0, bytes.length, position);
    await handle.close();
    const cache = await BakeCache.open(dir, KEY, SHAPE);
    expect(cache.doneCount).toBe(0);
    await cache.writeFrames(0, frameData(0, 1, 7));
    expect(await cache.readFrames(0, 1)).toEqual(frameData(0, 1, 7));
    await cache.close();
  });

  it('replaces a file that is not a cache file at all', async () => {
    const dir = await makeDir();
    await writeFile(join(dir, offsetsFileName(KEY)), 'hello');
    const cache = await BakeCache.open(dir, KEY, SHAPE);
    expect(cache.doneCount).toBe(0);
    await cache.close();
  });
});

describe('pruneCache', () => {
  it('deletes the files of keys no longer used, and leftovers of crashed processes', async () => {
    const dir = await makeDir();
    for (const key of [KEY, OTHER_KEY]) await (await BakeCache.open(dir, key, SHAPE)).close();
    const leftover = `${offsetsFileName(OTHER_KEY)}.999999999.abcd1234.tmp`;
    await writeFile(join(dir, leftover), 'half a header');
    await writeFile(join(dir, 'notes.txt'), 'not ours');
    expect(await pruneCache(dir, [KEY])).toEqual([OTHER_KEY]);
    expect((await readdir(dir)).sort()).toEqual([offsetsFileName(KEY), 'notes.txt']);
    expect(await pruneCache(dir, [KEY])).toEqual([]);
  });

  it('treats a missing folder as an empty cache', async () => {
    const dir = await makeDir();
    expect(await pruneCache(join(dir, 'never-made'), [])).toEqual([]);
  });
});

describe('bake cache errors', () => {
  it.each([
    ['ENOSPC', 'DISK_FULL', /disk .* is full/],
    ['EDQUOT', 'DISK_FULL', /disk .* is full/],
    ['EACCES', 'READ_ONLY', /read-only/],
    ['EPERM', 'READ_ONLY', /read-only/],
    ['EROFS', 'READ_ONLY', /read-only/],
    ['ENOENT', 'NOT_FOUND', /does not exist/],
    ['EIO', 'INTERNAL', /EIO/],
  ])('maps %s to %s with a message that names the file', (code, apiCode, message) => {
    const error = toCacheFileError(Object.assign(new Error(`${code}: failed`), { code }), '/x/My.splatproj.cache/bake/k.offsets', 'write baked offsets');
    expect(error.code).toBe(apiCode);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('/x/My.splatproj.cache/bake/k.offsets');
  });

  // Root ignores file modes, so as root the open runs in a child process as user nobody.
  it('is READ_ONLY in a read-only folder, leaving no file behind', async () => {
    const root = await makeDir();
    const dir = join(root, 'bake');
    await mkdir(dir, { mode: 0o555 });
    await chmod(dir, 0o555);
    await chmod(root, 0o755); // mkdtemp makes 0700; nobody must reach `dir`
    const asRoot = process.getuid?.() === 0;
    const code = `
      import { BakeCache } from ${JSON.stringify(BAKE_CACHE_URL)};
      try {
        await BakeCache.open(process.argv[1], ${JSON.stringify(KEY)}, { frames: 10, numSplats: 4, fps: 25 });
        console.log(JSON.stringify({ code: 'OPENED' }));
      } catch (error) {
        console.log(JSON.stringify({ code: error.code, message: error.message }));
      }`;
    const { done } = runNode(code, [dir], asRoot ? { uid: 65534, gid: 65534 } : {});
    const exit = await done;
    expect(exit.code, exit.stderr).toBe(0);
    const result = JSON.parse(exit.stdout) as { code: string; message: string };
    expect(result.code).toBe('READ_ONLY');
    expect(result.message).toContain(dir);
    expect(await readdir(dir)).toEqual([]);
    await chmod(dir, 0o755);
  });
});

describe('BakeCache memory', () => {
  // 60 s at 25 fps of 65,536 splats: 1500 frames x 786 KB = 1.2 GB on disk. Written in batches of
  // 16 from one reused buffer and read back in batches, the process must not hold the frames: RSS
  // may grow by the batch buffers and allocator slack, far below the 1.2 GB of the bake.
  it('bakes and reads a 60 s clip of 65,536 splats with bounded RSS', { timeout: 300_000 }, async () => {
    const dir = await makeDir();
    const shape = { frames: 1500, numSplats: 65_536, fps: 25 };
    const batch = 16;
    const perFrame = shape.numSplats * 3;
    const data = new Float32Array(batch * perFrame);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const cache = await BakeCache.open(dir, KEY, shape);
    for (let first = 0; first < shape.frames; first += batch) {
      const count = Math.min(batch, shape.frames - first);
      for (let f = 0; f < count; f++) data.fill(first + f, f * perFrame, (f + 1) * perFrame);
      await cache.writeFrames(first, count === batch ? data : data.subarray(0, count * perFrame));
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    expect(cache.doneCount).toBe(shape.frames);
    for (let first = 0; first < shape.frames; first += 100) {
      const frames = await cache.readFrames(first, 4);
      expect([frames[0], frames[frames.length - 1]]).toEqual([first, first + 3]);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    await cache.close();
    expect((await stat(join(dir, offsetsFileName(KEY)))).size).toBeGreaterThanOrEqual(shape.frames * perFrame * 4);
    expect(await pruneCache(dir, [])).toEqual([KEY]);
    expect(rssPeak - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });
});
