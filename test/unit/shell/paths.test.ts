import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('electron', () => import('./electron-stub.ts'));
import { app, resetElectronStub } from './electron-stub.ts';
import { devServerUrl, resolveShellPaths } from '../../../src/main/shell/paths.ts';
import { projectPathsFromArgv } from '../../../src/main/shell/launch-files.ts';

describe('shell paths', () => {
  beforeEach(() => {
    resetElectronStub();
    Object.defineProperty(process, 'resourcesPath', { value: '/opt/studio/resources', configurable: true });
  });
  afterEach(() => {
    Reflect.deleteProperty(process, 'resourcesPath');
  });

  it('development: everything from the project root, dev server when electron-vite gives one', () => {
    const paths = resolveShellPaths({ ELECTRON_RENDERER_URL: 'http://localhost:5173' });
    expect(paths).toEqual({
      preload: '/opt/studio/out/preload/index.cjs',
      renderer: { kind: 'dev', url: 'http://localhost:5173/' },
      resourcesDir: '/opt/studio',
      projectsDir: '/home/creator/documents/Splat-Portrait Studio',
      configDir: '/home/creator/userData',
      icon: '/opt/studio/resources/icons/icon.png',
    });
    expect(resolveShellPaths({}).renderer).toEqual({ kind: 'file', file: '/opt/studio/out/renderer/index.html' });
  });

  it('packaged: resources from process.resourcesPath, and never a UI from the environment', () => {
    app.isPackaged = true;
    app.getAppPath.mockReturnValue('/opt/studio/resources/app.asar');
    const paths = resolveShellPaths({ ELECTRON_RENDERER_URL: 'http://localhost:5173' });
    expect(paths.renderer).toEqual({ kind: 'file', file: '/opt/studio/resources/app.asar/out/renderer/index.html' });
    expect(paths.preload).toBe('/opt/studio/resources/app.asar/out/preload/index.cjs');
    expect(paths.resourcesDir).toBe('/opt/studio/resources');
    expect(paths.icon).toBe('/opt/studio/resources/resources/icons/icon.png');
  });

  it('accepts a dev server only over http on loopback', () => {
    expect(devServerUrl('http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173/');
    expect(devServerUrl('http://[::1]:5173/')).toBe('http://[::1]:5173/');
    expect(devServerUrl('http://evil.example:5173/')).toBeNull();
    expect(devServerUrl('https://localhost:5173/')).toBeNull();
    expect(devServerUrl('file:///tmp/index.html')).toBeNull();
    expect(devServerUrl('nonsense')).toBeNull();
    expect(devServerUrl(undefined)).toBeNull();
  });
});

describe('project files on the command line', () => {
  it('keeps .splatproj arguments, absolute, and skips the executable and switches', () => {
    expect(
      projectPathsFromArgv(
        ['/opt/studio/splat-portrait-studio', '--allow-file-access-from-files', 'talk.splatproj', '/x/Ada.SPLATPROJ', 'notes.txt', '.'],
        '/home/creator',
      ),
    ).toEqual(['/home/creator/talk.splatproj', '/x/Ada.SPLATPROJ']);
    expect(projectPathsFromArgv(['/opt/studio/studio.splatproj'], '/')).toEqual([]);
  });
});
