/**
 * The identity of one bake: a hex id that changes whenever anything that changes the offsets
 * changes (avatar, model pack, audio clip and trim, frame rate, splat count, audio front-end), and
 * only then. The id names the cache file (bake-cache.ts), so a stale bake is never read; it is
 * left for pruneCache to delete.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toFileApiError } from '../../project/file-errors.ts';

/** Everything a bake's offsets depend on. */
export interface BakeKeyInput {
  /** SHA-256 (hex) of the avatar's static splats and decoder features, as the project stores them. */
  avatarSha256: string;
  model: {
    /** model.json `name`. */
    name: string;
    /** model.json `version`. Packs retrained in place keep it, hence `filesSha256`. */
    version: number | string;
    /** modelFilesSha256 of the pack's ONNX files: a replaced pack gets a new key even at the same version. */
    filesSha256: string;
  };
  audio: {
    /** SHA-256 (hex) of the clip's imported media blob (content-addressed in the project). */
    mediaSha256: string;
    /** Seconds trimmed off the media's start (AudioClip.trimInS). */
    trimInS: number;
    /** Seconds trimmed off the media's end (AudioClip.trimOutS). */
    trimOutS: number;
  };
  /** Frames per second of the bake: frame i is the instant i / fps of the trimmed clip. */
  fps: number;
  /** Splats of the avatar; offsets are [frames, numSplats, 3]. */
  numSplats: number;
  /**
   * The audio front-end as the decoder sees it: its name and anything that identifies its
   * constants (e.g. "logmel-v1" or a hash of its spec). Anything else that a baker feeds into the
   * features (a gain, if a baker ever applied one before the front-end) must be folded in here.
   * The clip's playback gain is not part of the key: lips follow the media, not the volume.
   */
  frontend: string;
}

/** Bumped when the key's recipe changes, so keys of an older recipe never match. */
const KEY_RECIPE = 'splat-portrait-bake-key/1';

const SHA256_HEX = /^[0-9a-f]{64}$/i;

function sha256Hex(value: string, what: string): string {
  if (!SHA256_HEX.test(value)) throw new RangeError(`bakeKey: ${what} must be a SHA-256 in hex (64 digits), got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/** A non-negative finite number in integer millionths, so float noise (0.1 + 0.2) keeps the key. */
function micros(value: number, what: string): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`bakeKey: ${what} must be a finite number >= 0, got ${value}`);
  return Math.round(value * 1e6);
}

/** The stable hex id (SHA-256 of a canonical JSON) of a bake. Throws RangeError on malformed input. */
export function bakeKey(input: BakeKeyInput): string {
  const { model, audio } = input;
  if (!Number.isInteger(input.numSplats) || input.numSplats <= 0) throw new RangeError(`bakeKey: numSplats must be an integer > 0, got ${input.numSplats}`);
  if (!(input.fps > 0)) throw new RangeError(`bakeKey: fps must be > 0, got ${input.fps}`);
  if (typeof model.version === 'number' && !Number.isFinite(model.version)) throw new RangeError(`bakeKey: model.version must be finite, got ${model.version}`);
  const trimIn = micros(audio.trimInS, 'audio.trimInS');
  const trimOut = micros(audio.trimOutS, 'audio.trimOutS');
  // An array in a fixed order is the canonical form: no key order to depend on, and each number is
  // an integer (JSON prints integers one way only).
  const canonical = [
    KEY_RECIPE,
    sha256Hex(input.avatarSha256, 'avatarSha256'),
    model.name,
    model.version,
    sha256Hex(model.filesSha256, 'model.filesSha256'),
    sha256Hex(audio.mediaSha256, 'audio.mediaSha256'),
    trimIn,
    trimOut,
    micros(input.fps, 'fps'),
    input.numSplats,
    input.frontend,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

interface FileHash {
  /** Identity of the file version hashed: a rewrite, a replacement or a touch changes one of them. */
  stamp: string;
  sha256: string;
}

/** Per absolute path; a pack has a handful of files, so this never grows beyond a few entries per pack. */
const fileHashes = new Map<string, FileHash>();

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * SHA-256 of one file, streamed; remembered while its size, mtime, ctime and inode stay the same.
 * ctime is in the stamp because a copy that preserves mtime (cp -p) still changes it.
 */
async function fileSha256(path: string): Promise<string> {
  try {
    const s = await stat(path, { bigint: true });
    const stamp = `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
    const known = fileHashes.get(path);
    if (known?.stamp === stamp) return known.sha256;
    const sha256 = await hashFile(path);
    fileHashes.set(path, { stamp, sha256 });
    return sha256;
  } catch (error) {
    throw toFileApiError(error, path, 'hash the model file');
  }
}

/**
 * One SHA-256 over a model pack's files (the ONNX graphs, named relative to `dir`): the hash of
 * each file, with its name, in name order. Files are streamed, never held whole; each file's hash
 * is remembered in memory until the file changes, so asking again per bake costs a stat per file.
 */
export async function modelFilesSha256(dir: string, files: readonly string[]): Promise<string> {
  if (files.length === 0) throw new RangeError('modelFilesSha256: no files to hash');
  const names = [...new Set(files)].sort();
  const lines: string[] = [];
  for (const name of names) lines.push(`${name}\t${await fileSha256(resolve(join(dir, name)))}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}
