/**
 * Questions the navigation guards, the request filter and the IPC sender check ask about URLs:
 * is this our renderer page, and is this a file the renderer may load?
 */
import { posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RendererLocation } from './paths.ts';

export type UrlCheck = (url: string) => boolean;

/**
 * Our page: the same file (query and fragment ignored; client-side routing may use them), or
 * the same origin as the loopback dev server.
 */
export function rendererUrlCheck(location: RendererLocation, platform: NodeJS.Platform = process.platform): UrlCheck {
  if (location.kind === 'dev') {
    const origin = new URL(location.url).origin;
    return (url) => parse(url)?.origin === origin;
  }
  const fs = fileSystem(platform);
  const expected = fs.normalize(location.file);
  return (url) => {
    const path = localPath(url, platform);
    return path !== null && fs.normalize(path) === expected;
  };
}

/**
 * file: URLs the renderer may fetch: the files of the built renderer folder, nothing else on the
 * disk (Electron lets file: pages read any local file). With the dev server, none.
 */
export function rendererFileCheck(location: RendererLocation, platform: NodeJS.Platform = process.platform): UrlCheck {
  if (location.kind === 'dev') return () => false;
  const fs = fileSystem(platform);
  const root = fs.normalize(fs.path.dirname(location.file));
  return (url) => {
    const path = localPath(url, platform);
    if (path === null) return false;
    const rel = fs.path.relative(root, fs.normalize(path));
    return rel !== '' && !rel.startsWith('..') && !fs.path.isAbsolute(rel);
  };
}

function fileSystem(platform: NodeJS.Platform) {
  const path = platform === 'win32' ? win32 : posix;
  // Windows and macOS file systems are case-insensitive by default, and Chromium may change the
  // case of a drive letter: compare the way the file system would.
  const caseless = platform === 'win32' || platform === 'darwin';
  return { path, normalize: (p: string) => (caseless ? path.resolve(p).toLowerCase() : path.resolve(p)) };
}

/** The local path a file: URL names (query and fragment dropped), or null for anything else. */
function localPath(url: string, platform: NodeJS.Platform): string | null {
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return null;
  parsed.search = '';
  parsed.hash = '';
  try {
    return fileURLToPath(parsed, { windows: platform === 'win32' });
  } catch {
    return null;
  }
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
