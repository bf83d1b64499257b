/**
 * The studio's main window. The renderer gets no Node, no Electron, only the preload's bridge.
 */
import { BrowserWindow, type WebPreferences } from 'electron';
import { PRODUCT_NAME } from './identity.ts';
import type { RendererLocation } from './paths.ts';

/** Matches the renderer's background, so nothing flashes white while it loads. */
export const WINDOW_BACKGROUND = '#15171c';

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableWebSQL: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export interface MainWindowOptions {
  preload: string;
  renderer: RendererLocation;
  icon?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: PRODUCT_NAME,
    backgroundColor: WINDOW_BACKGROUND,
    ...(options.icon && process.platform !== 'darwin' ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences(options.preload),
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('render-process-gone', (_event, details) => {
    console.error(`[shell] renderer gone: ${details.reason} (exit code ${details.exitCode})`);
  });
  const loading =
    options.renderer.kind === 'file' ? win.loadFile(options.renderer.file) : win.loadURL(options.renderer.url);
  loading.catch((error: unknown) => {
    console.error('[shell] could not load the renderer:', error);
    // ready-to-show may never come; a visible (if empty) window beats an invisible process.
    if (!win.isDestroyed() && !win.isVisible()) win.show();
  });
  return win;
}
