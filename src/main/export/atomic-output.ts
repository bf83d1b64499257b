/**
 * Output written under a temporary name beside the chosen one and renamed only when complete
 * (issue 7, item 4), so a cancelled, failed or crashed export never leaves a half file under the
 * chosen name. The temporary name is `<name>.partial-<pid>-<random>`: it can never be mistaken for
 * the output, and a leftover from a crashed run (its pid no longer running) is removed by the next
 * export to the same name. A png-sequence is a folder, renamed the same way.
 *
 * The folder is checked before any rendering: the temporary is created at once, so a missing or
 * unwritable folder fails in milliseconds, and free space is compared with a low estimate of the
 * output's size.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../shared/api/errors.ts';

/** An fs failure on the output as the error a creator sees. */
export function toOutputError(error: unknown, path: string, action: string): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const folder = dirname(path);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new ApiError('DISK_FULL', `Cannot ${action}: the disk holding ${folder} is full. Free some space or choose another folder.`, { path });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ApiError('READ_ONLY', `Cannot ${action}: ${folder} is read-only or not accessible. Choose a folder you can write to.`, { path });
    case 'ENOENT':
    case 'ENOTDIR':
      return new ApiError('NOT_FOUND', `Cannot ${action}: the folder ${folder} does not exist.`, { path });
    case 'EISDIR':
      return new ApiError('ALREADY_EXISTS', `Cannot ${action}: ${path} is a folder.`, { path });
  }
  return new ApiError('INTERNAL', `Cannot ${action} (${path}): ${(error as Error)?.message ?? String(error)}`, { path });
}

const PARTIAL = /\.partial-(\d+)-[0-9a-f]+$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `<name>.partial-<pid>-*` left beside `finalPath` by runs that are no longer alive. */
export async function removeStalePartials(finalPath: string): Promise<string[]> {
  const folder = dirname(finalPath);
  const prefix = `${basename(finalPath)}.partial-`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = PARTIAL.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    await rm(join(folder, name), { recursive: true, force: true }).catch(() => undefined);
    removed.push(join(folder, name));
  }
  return removed;
}

export interface PartialOutput {
  finalPath: string;
  tempPath: string;
  /** Renames the temporary into place (replacing an older file or folder of that name). */
  commit(): Promise<void>;
  /** Removes the temporary; safe to call twice and after commit. */
  discard(): Promise<void>;
}

/**
 * Creates the temporary output (an empty file, or a folder) beside finalPath, after removing stale
 * ones; fails early when the folder is missing, read-only or has less room than minBytes.
 */
export async function createPartialOutput(finalPath: string, options: { folder: boolean; minBytes: number }): Promise<PartialOutput> {
  const tempPath = `${finalPath}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  const existing = await stat(finalPath).catch(() => null);
  if (existing && existing.isDirectory() !== options.folder) {
    throw new ApiError('ALREADY_EXISTS', `${finalPath} exists and is a ${existing.isDirectory() ? 'folder' : 'file'}; choose another name.`, { path: finalPath });
  }
  await removeStalePartials(finalPath);
  try {
    if (options.folder) await mkdir(tempPath);
    else await (await open(tempPath, 'wx')).close();
  } catch (error) {
    throw toOutputError(error, finalPath, 'write the export');
  }
  let committed = false;
  const discard = async (): Promise<void> => {
    if (!committed) await rm(tempPath, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    const fs = await statfs(dirname(finalPath));
    const free = fs.bavail * fs.bsize;
    if (free < options.minBytes) {
      throw new ApiError('DISK_FULL', `The disk holding ${dirname(finalPath)} has ${(free / 1e6).toFixed(0)} MB free; this export needs about ${(options.minBytes / 1e6).toFixed(0)} MB. Free some space or choose another folder.`, { path: finalPath });
    }
  } catch (error) {
    await discard();
    throw toOutputError(error, finalPath, 'write the export');
  }
  return {
    finalPath,
    tempPath,
    discard,
    async commit() {
      try {
        if (options.folder && (await stat(finalPath).catch(() => null))) {
          const old = `${finalPath}.replaced-${process.pid}-${randomBytes(4).toString('hex')}`;
          await rename(finalPath, old);
          await rename(tempPath, finalPath);
          await rm(old, { recursive: true, force: true });
        } else {
          await rename(tempPath, finalPath);
        }
        committed = true;
      } catch (error) {
        throw toOutputError(error, finalPath, 'put the finished export in place');
      }
    },
  };
}
