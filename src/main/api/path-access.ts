/**
 * File access limited to what the user chose: a path is usable only when it is inside the
 * project library folder, on the recent-projects list, or was returned by a native dialog in this
 * run. Everything else is refused, whatever the renderer sends.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ApiError } from '../../shared/api/errors.ts';

export class PathAccess {
  private readonly granted = new Set<string>();
  private readonly libraryDir: string;
  private readonly recentPaths: () => string[];

  constructor(libraryDir: string, recentPaths: () => string[]) {
    this.libraryDir = canonical(libraryDir);
    this.recentPaths = recentPaths;
  }

  grant(path: string): void {
    this.granted.add(canonical(path));
  }

  /** Returns the canonical path when access is allowed, else throws ACCESS_DENIED. */
  check(path: string): string {
    const target = canonical(path);
    if (this.granted.has(target)) return target;
    if (isInside(this.libraryDir, target)) return target;
    if (this.recentPaths().some((p) => canonical(p) === target)) return target;
    throw new ApiError('ACCESS_DENIED', `The studio may only open files you chose: ${path} was not picked in a dialog and is not in your project library or recent projects.`, { path });
  }
}

/** Resolves symlinks of the existing part of a path, so `library/../elsewhere` or a link cannot escape. */
function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    if (parent === absolute) return absolute;
    // basename, not slice(parent.length + 1): a root parent ('/') already ends with the separator.
    return resolve(canonical(parent), basename(absolute));
  }
}

function isInside(folder: string, target: string): boolean {
  const rel = relative(folder, target);
  // A '..' segment, not a '..' prefix: `..draft.splatproj` is a legal name inside the library.
  return rel !== '' && !isAbsolute(rel) && !rel.split(sep).includes('..');
}
