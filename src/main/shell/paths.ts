/**
 * Where the Electron shell finds its pieces and keeps the user's things.
 *
 * Bundle files are found from app.getAppPath(): the project root in development (electron-vite
 * runs `electron .`), resources/app.asar when packaged. Shipped folders (resources/,
 * projects-schema/) are extraResources when packaged, so they sit in process.resourcesPath.
 */
import { app } from 'electron';
import { join } from 'node:path';
import { PRODUCT_NAME } from './identity.ts';

/** The build layout written by electron.vite.config.ts, relative to the app root. */
export const BUILD_LAYOUT = {
  main: 'out/main/index.js',
  preload: 'out/preload/index.cjs',
  renderer: 'out/renderer/index.html',
} as const;

/** Folder under Documents where new projects go. */
export const PROJECTS_FOLDER_NAME = PRODUCT_NAME;

/** Where the renderer is loaded from: the built file, or the electron-vite dev server. */
export type RendererLocation = { kind: 'file'; file: string } | { kind: 'dev'; url: string };

export interface ShellPaths {
  preload: string;
  renderer: RendererLocation;
  /** Holds resources/ and projects-schema/. */
  resourcesDir: string;
  projectsDir: string;
  /** Per-user settings (recent.json); Electron's userData folder. */
  configDir: string;
  /** Window icon (Linux and Windows; macOS takes it from the bundle). */
  icon: string;
}

export function resolveShellPaths(env: NodeJS.ProcessEnv = process.env): ShellPaths {
  const appRoot = app.getAppPath();
  const resourcesDir = app.isPackaged ? process.resourcesPath : appRoot;
  // A packaged app never takes its UI from an environment variable.
  const devUrl = app.isPackaged ? null : devServerUrl(env.ELECTRON_RENDERER_URL);
  return {
    preload: join(appRoot, BUILD_LAYOUT.preload),
    renderer: devUrl ? { kind: 'dev', url: devUrl } : { kind: 'file', file: join(appRoot, BUILD_LAYOUT.renderer) },
    resourcesDir,
    projectsDir: join(app.getPath('documents'), PROJECTS_FOLDER_NAME),
    configDir: app.getPath('userData'),
    icon: join(resourcesDir, 'resources', 'icons', 'icon.png'),
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The dev server URL electron-vite exports, accepted only when it is plain http on loopback. */
export function devServerUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return null;
  return url.href;
}
