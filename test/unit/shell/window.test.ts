import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('electron', () => import('./electron-stub.ts'));
import { BrowserWindow, resetElectronStub } from './electron-stub.ts';
import { createMainWindow, secureWebPreferences, WINDOW_BACKGROUND } from '../../../src/main/shell/window.ts';

describe('main window', () => {
  beforeEach(resetElectronStub);

  it('turns every renderer security setting on, and Node off', () => {
    const prefs = secureWebPreferences('/opt/studio/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/opt/studio/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });

  it('loads the built renderer file hidden on a dark background, and shows it when ready', () => {
    const win = createMainWindow({
      preload: '/opt/studio/out/preload/index.cjs',
      renderer: { kind: 'file', file: '/opt/studio/out/renderer/index.html' },
    }) as unknown as BrowserWindow;
    expect(BrowserWindow.instances).toHaveLength(1);
    expect(win.options).toMatchObject({ show: false, backgroundColor: WINDOW_BACKGROUND });
    expect(win.options.webPreferences).toEqual(secureWebPreferences('/opt/studio/out/preload/index.cjs'));
    expect(win.loadedFile).toBe('/opt/studio/out/renderer/index.html');
    expect(win.loadedUrl).toBeNull();
    expect(win.isVisible()).toBe(false);
    win.emit('ready-to-show');
    expect(win.isVisible()).toBe(true);
  });

  it('loads the dev server URL when told to', () => {
    const win = createMainWindow({
      preload: '/p.cjs',
      renderer: { kind: 'dev', url: 'http://localhost:5173/' },
    }) as unknown as BrowserWindow;
    expect(win.loadedUrl).toBe('http://localhost:5173/');
    expect(win.loadedFile).toBeNull();
  });

  it('shows the window even when the renderer fails to load', async () => {
    const spy = vi.spyOn(BrowserWindow.prototype, 'loadFile').mockRejectedValueOnce(new Error('ERR_FILE_NOT_FOUND'));
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const win = createMainWindow({ preload: '/p.cjs', renderer: { kind: 'file', file: '/missing.html' } });
    await vi.waitFor(() => expect(win.isVisible()).toBe(true));
    spy.mockRestore();
    error.mockRestore();
  });
});
