/**
 * Smoke test of the built main bundle (out/main/index.js) with the real studio behind it: the
 * stub stands in for Electron only. Needs `electron-vite build` first; skipped without out/.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
vi.mock('electron', () => import('./electron-stub.ts'));
import { app, BrowserWindow, ipcMain } from './electron-stub.ts';
import { IPC_CHANNELS } from '../../../src/shared/api/bridge.ts';
import { BUILD_LAYOUT } from '../../../src/main/shell/paths.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BUNDLE = join(ROOT, BUILD_LAYOUT.main);

describe.skipIf(!existsSync(BUNDLE))('built main bundle', () => {
  const home = mkdtempSync(join(tmpdir(), 'studio-shell-'));
  afterAll(() => {
    app.emit('will-quit');
    rmSync(home, { recursive: true, force: true });
  });

  it('starts one window and serves the real studio over IPC', async () => {
    app.getAppPath.mockReturnValue(ROOT);
    app.getPath.mockImplementation((name: string) => join(home, name));
    await import(pathToFileURL(BUNDLE).href);
    await vi.waitFor(() => expect(BrowserWindow.instances).toHaveLength(1));
    const win = BrowserWindow.instances[0]!;
    expect(win.loadedFile).toBe(join(ROOT, BUILD_LAYOUT.renderer));

    const event = { sender: win.webContents, senderFrame: { url: win.webContents.url, parent: null } };
    const request = (id: number, method: string, input: unknown) => ipcMain.invoke(IPC_CHANNELS.request, event, id, method, input);

    const projectsDir = join(home, 'documents', 'Splat-Portrait Studio');
    await expect(request(1, 'app.info', {})).resolves.toMatchObject({
      ok: true,
      result: { transport: 'electron', nativeDialogs: true, projectsDir },
    });
    await expect(request(2, 'project.create', { name: 'Smoke test' })).resolves.toMatchObject({ ok: true });
    expect(readdirSync(projectsDir).filter((f) => f.endsWith('.splatproj'))).toHaveLength(1);
    expect(win.webContents.sent.some(([channel, name]) => channel === IPC_CHANNELS.event && name === 'project.changed')).toBe(true);

    const foreign = { sender: win.webContents, senderFrame: { url: 'https://evil.example/', parent: null } };
    await expect(ipcMain.invoke(IPC_CHANNELS.request, foreign, 3, 'project.close', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'ACCESS_DENIED' },
    });
  });
});
