/** Bake keys and model-pack hashes (src/main/engine/bake/bake-key.ts). */
import { rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { bakeKey, modelFilesSha256, type BakeKeyInput } from '../../../src/main/engine/bake/bake-key.ts';
import { useTmpDirs } from '../../helpers/tmp-dir.ts';

const makeDir = useTmpDirs('bake-key');

const sha = (digit: string): string => digit.repeat(64);

function input(): BakeKeyInput {
  return {
    avatarSha256: sha('a'),
    model: { name: 'tiny-64', version: 1, filesSha256: sha('b') },
    audio: { mediaSha256: sha('c'), trimInS: 0.3, trimOutS: 4.5 },
    fps: 25,
    numSplats: 65_536,
    frontend: 'logmel-v1',
  };
}

describe('bakeKey', () => {
  it('is 64 hex digits, the same for equal inputs whatever their key order', () => {
    const key = bakeKey(input());
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const reordered: BakeKeyInput = {
      frontend: 'logmel-v1',
      numSplats: 65_536,
      fps: 25,
      audio: { trimOutS: 4.5, trimInS: 0.3, mediaSha256: sha('c') },
      model: { filesSha256: sha('b'), version: 1, name: 'tiny-64' },
      avatarSha256: sha('a'),
    };
    expect(bakeKey(reordered)).toBe(key);
  });

  it('ignores float noise below a microsecond and the case of hex digests', () => {
    const key = bakeKey(input());
    const noisy = input();
    noisy.audio.trimInS = 0.1 + 0.2;
    noisy.audio.trimOutS = 4.5 + 1e-9;
    noisy.fps = 25 * (1 + 1e-12);
    noisy.avatarSha256 = sha('A');
    expect(bakeKey(noisy)).toBe(key);
  });

  const changes: Record<string, (i: BakeKeyInput) => void> = {
    avatar: (i) => (i.avatarSha256 = sha('d')),
    'model name': (i) => (i.model.name = 'tiny-64-b'),
    'model version': (i) => (i.model.version = 2),
    'model version as a string': (i) => (i.model.version = '1'),
    'model files': (i) => (i.model.filesSha256 = sha('e')),
    'audio media': (i) => (i.audio.mediaSha256 = sha('f')),
    'trim in by a millisecond': (i) => (i.audio.trimInS += 0.001),
    'trim out by a microsecond': (i) => (i.audio.trimOutS += 2e-6),
    fps: (i) => (i.fps = 30),
    'fps 29.97 vs 30000/1001': (i) => (i.fps = 29.97),
    'splat count': (i) => (i.numSplats = 65_535),
    frontend: (i) => (i.frontend = 'logmel-v2'),
  };
  it.each(Object.entries(changes))('changes with the %s', (_name, change) => {
    const base = input();
    base.fps = 30000 / 1001;
    const changed = structuredClone(base);
    change(changed);
    expect(bakeKey(changed)).not.toBe(bakeKey(base));
  });

  it('refuses malformed input, naming the field', () => {
    const bad = (change: (i: BakeKeyInput) => void): (() => string) => () => {
      const i = input();
      change(i);
      return bakeKey(i);
    };
    expect(bad((i) => (i.avatarSha256 = 'abc'))).toThrow(/avatarSha256/);
    expect(bad((i) => (i.audio.trimInS = -1))).toThrow(/trimInS/);
    expect(bad((i) => (i.audio.trimOutS = Number.NaN))).toThrow(/trimOutS/);
    expect(bad((i) => (i.fps = 0))).toThrow(/fps/);
    expect(bad((i) => (i.fps = Infinity))).toThrow(/fps/);
    expect(bad((i) => (i.numSplats = 1.5))).toThrow(/numSplats/);
  });
});

describe('modelFilesSha256', () => {
  async function pack(): Promise<string> {
    const dir = await makeDir();
    await writeFile(join(dir, 'static_generator.onnx'), Buffer.from('static graph bytes'));
    await writeFile(join(dir, 'dynamic_decoder.onnx'), Buffer.from('dynamic graph bytes'));
    return dir;
  }
  const files = ['static_generator.onnx', 'dynamic_decoder.onnx'];

  it('is a hex SHA-256 that does not depend on the order files are named in', async () => {
    const dir = await pack();
    const hash = await modelFilesSha256(dir, files);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await modelFilesSha256(dir, [...files].reverse())).toBe(hash);
    expect(await modelFilesSha256(dir, files)).toBe(hash);
  });

  it('changes when one byte of an ONNX file changes in place', async () => {
    const dir = await pack();
    const before = await modelFilesSha256(dir, files);
    const path = join(dir, 'dynamic_decoder.onnx');
    await writeFile(path, Buffer.from('dynamic graph bytez'));
    // A real edit comes later than the first hash; file times tick in jiffies, so say so.
    const later = new Date(Date.now() + 10_000);
    await utimes(path, later, later);
    expect(await modelFilesSha256(dir, files)).not.toBe(before);
  });

  it('changes when a file is replaced by another of the same size (new inode)', async () => {
    const dir = await pack();
    const before = await modelFilesSha256(dir, files);
    await writeFile(join(dir, 'replacement'), Buffer.from('static graph bytez'));
    await rename(join(dir, 'replacement'), join(dir, 'static_generator.onnx'));
    expect(await modelFilesSha256(dir, files)).not.toBe(before);
  });

  it('changes when a file is renamed, since names are hashed with contents', async () => {
    const dir = await pack();
    const before = await modelFilesSha256(dir, files);
    await rename(join(dir, 'dynamic_decoder.onnx'), join(dir, 'dynamic_decoder_v2.onnx'));
    expect(await modelFilesSha256(dir, ['static_generator.onnx', 'dynamic_decoder_v2.onnx'])).not.toBe(before);
  });

  it('says which file is missing', async () => {
    const dir = await pack();
    const error = await modelFilesSha256(dir, ['absent.onnx']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('NOT_FOUND');
    expect((error as ApiError).message).toContain('absent.onnx');
  });
});
