/**
 * Derived files beside a project (DESIGN.md "Project file": recomputable caches live beside it and
 * may be deleted at any time): /x/My.splatproj.cache/<kind>/. The bake cache (engine/bake/cache-dir.ts)
 * is the `bake` kind; this module adds `media` (project blobs as files, for ffmpeg) and `peaks`
 * (the timeline's waveform peaks).
 */
import { randomUUID } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ApiError } from '../../shared/api/errors.ts';
import type { MediaItem } from '../../shared/project/types.ts';
import { ensureDir, toCacheFileError } from '../engine/bake/cache-dir.ts';
import type { ProjectStore } from '../project/project-store.ts';

export type CacheKind = 'media' | 'peaks';

/** The cache folder of one kind for a project file; nothing is created. */
export function projectCacheDir(projectFile: string, kind: CacheKind): string {
  return join(`${projectFile}.cache`, kind);
}

/** Writes `bytes` to `file` through a temporary name, so a reader never sees half a file. */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  await ensureDir(dirname(file));
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw toCacheFileError(error, file, 'write the cache file');
  }
}

/**
 * A media item's bytes as a file ffmpeg can read: `<project>.cache/media/<sha256>`, written once
 * from the project's blob and reused (a file of the wrong size, e.g. cut short by a full disk, is
 * written again).
 */
export async function mediaFile(store: ProjectStore, media: Pick<MediaItem, 'sha256' | 'sizeBytes' | 'name'>): Promise<string> {
  const file = join(projectCacheDir(store.path, 'media'), media.sha256);
  const existing = await stat(file).catch(() => null);
  if (existing?.isFile() && existing.size === media.sizeBytes) return file;
  const bytes = store.getBlob(media.sha256);
  if (!bytes) throw new ApiError('PROJECT_CORRUPT', `The bytes of ${media.name} are missing from the project.`);
  await writeFileAtomic(file, bytes);
  return file;
}
