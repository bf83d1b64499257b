import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('electron', () => import('./electron-stub.ts'));
import { app, BrowserWindow, dialog, fakeEvent, ipcMain, Menu, resetElectronStub } from './electron-stub.ts';
import type { MenuItemConstructorOptions } from 'electron';
import type { StudioEvents, StudioHandlers } from '../../../src/shared/api/contract.ts';
import { IPC_CHANNELS } from '../../../src/shared/api/bridge.ts';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { Emitter } from '../../../src/shared/events/emitter.ts';
import type { StudioOptions } from '../../../src/main/api/studio.ts';
import { startShell } from '../../../src/main/shell/app-lifecycle.ts';

const realPlatform = process.platform;
function setPlatform(platform: NodeJS.Platform) {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });
}

function fakeStudio() {
  const events = new Emitter<StudioEvents>();
  const open = vi.fn(async ({ path }: { path: string }) => ({ path }) as never);
  const grantPath = vi.fn((_path: string) => undefined);
  const studio = { handlers: { 'project.open': open } as unknown as StudioHandlers, events, grantPath, enginePid: () => undefined, dispose: vi.fn() };
  const createStudio = vi.fn((_options: StudioOptions) => studio);
  return { studio, createStudio, open };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

async function started(argv: string[] = ['/opt/studio/studio']) {
  const fake = fakeStudio();
  expect(startShell({ createStudio: fake.createStudio, argv, cwd: '/home/creator' })).toBe(true);
  await flush();
  return fake;
}

describe('app lifecycle', () => {
  beforeEach(() => {
    resetElectronStub();
    Object.defineProperty(process, 'resourcesPath', { value: '/opt/studio/resources', configurable: true });
  });
  afterEach(() => {
    setPlatform(realPlatform);
    Reflect.deleteProperty(process, 'resourcesPath');
  });

  it('a second instance quits at once and starts nothing', () => {
    app.lockAvailable = false;
    const { createStudio } = fakeStudio();
    expect(startShell({ createStudio })).toBe(false);
    expect(app.quit).toHaveBeenCalledOnce();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(app.listenerCount('second-instance')).toBe(0);
    expect(createStudio).not.toHaveBeenCalled();
  });

  it('the first instance builds studio, IPC, menu and one sandboxed window when ready', async () => {
    const { createStudio } = await started();
    expect(app.enableSandbox).toHaveBeenCalledOnce();
    expect(createStudio).toHaveBeenCalledOnce();
    const options = createStudio.mock.calls[0]![0];
    expect(options).toMatchObject({
      transport: 'electron',
      projectsDir: '/home/creator/documents/Splat-Portrait Studio',
      configDir: '/home/creator/userData',
      appVersion: '0.1.0',
      resourcesDir: '/opt/studio',
    });
    expect(options.dialogs).toBeDefined();
    expect(ipcMain.handlers.has(IPC_CHANNELS.request)).toBe(true);
    expect(Menu.setApplicationMenu).toHaveBeenCalledOnce();
    expect(BrowserWindow.instances).toHaveLength(1);
    expect(BrowserWindow.instances[0]!.loadedFile).toBe('/opt/studio/out/renderer/index.html');
  });

  it('focuses the existing window when a second instance starts', async () => {
    await started();
    const win = BrowserWindow.instances[0]!;
    win.minimized = true;
    app.emit('second-instance', fakeEvent(), ['/opt/studio/studio'], '/home/creator', {});
    expect(win.restore).toHaveBeenCalledOnce();
    expect(win.isVisible()).toBe(true);
    expect(win.focused).toBe(true);
    expect(BrowserWindow.instances).toHaveLength(1);
  });

  it('opens a project handed over on the command line, at start or by a second instance', async () => {
    const { open, studio } = await started(['/opt/studio/studio', 'first.splatproj']);
    await vi.waitFor(() => expect(open).toHaveBeenCalledOnce());
    expect(open.mock.calls[0]![0]).toEqual({ path: '/home/creator/first.splatproj' });
    expect(studio.grantPath).toHaveBeenCalledWith('/home/creator/first.splatproj');
    app.emit('second-instance', fakeEvent(), ['/opt/studio/studio', '/data/second.splatproj'], '/tmp', {});
    await vi.waitFor(() => expect(open).toHaveBeenCalledTimes(2));
    expect(open.mock.calls[1]![0]).toEqual({ path: '/data/second.splatproj' });
  });

  it('opens macOS open-file projects and reports failures in an error box', async () => {
    const { open } = await started();
    open.mockRejectedValueOnce(new ApiError('PROJECT_TOO_NEW', 'Made by a newer studio'));
    const event = fakeEvent();
    app.emit('open-file', event, '/Users/ada/talk.splatproj');
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(dialog.showErrorBox).toHaveBeenCalledWith('Cannot open the project', 'Made by a newer studio'));
  });

  it('sends menu commands to the window through the studio events', async () => {
    await started();
    const win = BrowserWindow.instances[0]!;
    const template = Menu.applicationMenu!.template as MenuItemConstructorOptions[];
    const file = template[0]!.submenu as MenuItemConstructorOptions[];
    (file[0]!.click as () => void)();
    expect(win.webContents.sent).toEqual([[IPC_CHANNELS.event, 'menu.command', 'project.new']]);
  });

  it('quits when the last window closes, except on macOS, and disposes the studio on quit', async () => {
    setPlatform('linux');
    const { studio } = await started();
    BrowserWindow.instances[0]!.close();
    app.emit('window-all-closed');
    expect(app.quit).toHaveBeenCalledOnce();
    app.emit('will-quit');
    expect(studio.dispose).toHaveBeenCalledOnce();
    expect(ipcMain.handlers.has(IPC_CHANNELS.request)).toBe(false);
  });

  it('on macOS stays alive with no window and reopens one on activate', async () => {
    setPlatform('darwin');
    await started();
    BrowserWindow.instances[0]!.close();
    app.emit('window-all-closed');
    expect(app.quit).not.toHaveBeenCalled();
    app.emit('activate');
    expect(BrowserWindow.getAllWindows()).toHaveLength(1);
  });

  it('shows an error and exits when startup fails', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    startShell({
      createStudio: () => {
        throw new Error('projects-schema is missing');
      },
    });
    await flush();
    expect(dialog.showErrorBox).toHaveBeenCalledWith('Splat-Portrait Studio could not start', 'projects-schema is missing');
    expect(app.exit).toHaveBeenCalledWith(1);
    error.mockRestore();
  });
});
