/**
 * Where baked offsets live, and what file errors there mean to a user. DESIGN.md "Project file":
 * recomputable caches live beside the project file and may be deleted at any time, so the bake
 * cache of /x/My.splatproj is /x/My.splatproj.cache/bake/. Deleting that folder, whole or file by
 * file, even while the studio runs, only costs recomputation.
 */
import { mkdir } from 'node:fs/promises';
import { ApiError } from '../../../shared/api/errors.ts';
import { toFileApiError } from '../../project/file-errors.ts';

/** The bake cache folder of a project file; nothing is created. */
export function bakeCacheDir(projectFile: string): string {
  // A suffix rather than a sibling folder name, so two projects in one folder never share a cache.
  return `${projectFile}.cache/bake`;
}

/** The bake cache folder of a project file, created with its parents if missing. */
export async function ensureBakeCacheDir(projectFile: string): Promise<string> {
  const dir = bakeCacheDir(projectFile);
  await ensureDir(dir);
  return dir;
}

/** Creates `dir` with its parents if missing; fs errors become ApiErrors. */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw toCacheFileError(error, dir, 'create the bake cache folder');
  }
}

interface CodedError {
  code?: unknown;
}

/**
 * A file-system failure in the cache as an ApiError. Disk full and read-only get messages that
 * say what a cache failure costs (nothing in the project is lost); the rest map as any file error.
 */
export function toCacheFileError(error: unknown, path: string, action: string): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as CodedError | null)?.code;
  const details = { path };
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new ApiError(
        'DISK_FULL',
        `Cannot ${action}: the disk holding ${path} is full. Free some space and bake again; the project is not changed and baking resumes where it stopped.`,
        details,
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ApiError(
        'READ_ONLY',
        `Cannot ${action}: ${path} is in a read-only location or not accessible. Save the project in a folder you can write to, so its bake cache can live beside it.`,
        details,
      );
  }
  return toFileApiError(error, path, action);
}
