import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('electron', () => import('./electron-stub.ts'));
import { BrowserWindow, dialog, resetElectronStub } from './electron-stub.ts';
import type { BrowserWindow as ElectronWindow } from 'electron';
import {
  createNativeDialogs,
  MEDIA_FILTERS,
  PROJECT_FILTER,
  safeFileName,
  withProjectExtension,
} from '../../../src/main/shell/dialogs.ts';

const PROJECTS = '/home/creator/Documents/Splat-Portrait Studio';

function setup(win: BrowserWindow | null = new BrowserWindow({})) {
  return { win, dialogs: createNativeDialogs({ getWindow: () => win as unknown as ElectronWindow, projectsDir: PROJECTS }) };
}

describe('native dialogs', () => {
  beforeEach(resetElectronStub);

  it('opens a .splatproj project as a sheet of the main window', async () => {
    const { win, dialogs } = setup();
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [`${PROJECTS}/Ada.splatproj`] });
    await expect(dialogs.openProject()).resolves.toBe(`${PROJECTS}/Ada.splatproj`);
    const [parent, options] = dialog.showOpenDialog.mock.calls[0]!;
    expect(parent).toBe(win);
    expect(options).toMatchObject({ defaultPath: PROJECTS, properties: ['openFile'], filters: [PROJECT_FILTER] });
    expect(PROJECT_FILTER.extensions).toEqual(['splatproj']);
  });

  it('returns null or [] when cancelled', async () => {
    const { dialogs } = setup();
    await expect(dialogs.openProject()).resolves.toBeNull();
    await expect(dialogs.saveProjectAs('Ada')).resolves.toBeNull();
    await expect(dialogs.importMedia()).resolves.toEqual([]);
  });

  it('suggests a file name in the projects folder and adds the extension GTK leaves off', async () => {
    const { dialogs } = setup();
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/tmp/Interview' });
    await expect(dialogs.saveProjectAs('Interview: take 2/3')).resolves.toBe('/tmp/Interview.splatproj');
    const [, options] = dialog.showSaveDialog.mock.calls[0]!;
    expect(options).toMatchObject({ defaultPath: `${PROJECTS}/Interview- take 2-3.splatproj`, filters: [PROJECT_FILTER] });
  });

  it('imports several media files, filtered to portraits, audio and video, with an escape hatch', async () => {
    const { dialogs } = setup(null);
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/m/a.png', '/m/b.wav'] });
    await expect(dialogs.importMedia()).resolves.toEqual(['/m/a.png', '/m/b.wav']);
    const [options] = dialog.showOpenDialog.mock.calls[0]!; // no window: not parented
    expect(options).toMatchObject({ properties: ['openFile', 'multiSelections'], filters: MEDIA_FILTERS });
    const all = MEDIA_FILTERS[0]!.extensions;
    for (const ext of ['png', 'jpg', 'jpeg', 'webp', 'wav', 'mp3', 'm4a', 'aac', 'flac', 'ogg', 'opus', 'mp4', 'mov', 'mkv', 'webm']) {
      expect(all).toContain(ext);
    }
    expect(MEDIA_FILTERS.at(-1)).toEqual({ name: 'All files', extensions: ['*'] });
  });

  it('chooses where an export goes: the library\'s Exports folder first, the format\'s extension added', async () => {
    const { dialogs } = setup();
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/videos/Take 1' });
    await expect(dialogs.chooseExportPath('Take: 1', 'webm-vp9')).resolves.toBe('/videos/Take 1.webm');
    const [, options] = dialog.showSaveDialog.mock.calls[0]!;
    expect(options).toMatchObject({ defaultPath: `${PROJECTS}/Exports/Take- 1.webm`, filters: [{ extensions: ['webm'] }] });
    // A PNG sequence is a folder: no extension, no filter.
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/videos/frames' });
    await expect(dialogs.chooseExportPath('Take', 'png-sequence')).resolves.toBe('/videos/frames');
    expect(dialog.showSaveDialog.mock.calls[1]![1]).toMatchObject({ defaultPath: `${PROJECTS}/Exports/Take`, filters: [] });
    await expect(dialogs.chooseExportPath('Take', 'mp4-h264')).resolves.toBeNull();
  });

  it('makes names safe for every file system', () => {
    expect(withProjectExtension('/a/b.SPLATPROJ')).toBe('/a/b.SPLATPROJ');
    expect(withProjectExtension('/a/b')).toBe('/a/b.splatproj');
    expect(safeFileName('a<b>c:"d|e?f*g\\h/i')).toBe('a-b-c--d-e-f-g-h-i');
    expect(safeFileName('trailing dots...')).toBe('trailing dots');
    expect(safeFileName('  ')).toBe('Untitled');
  });
});
