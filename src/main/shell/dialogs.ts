/**
 * Native open/save dialogs, attached to the main window (sheets on macOS). What the user picks
 * here is what the studio may touch; the studio grants those paths.
 */
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { join } from 'node:path';
import { PROJECT_EXTENSION } from '../../shared/project/types.ts';
import type { NativeDialogs } from '../api/studio.ts';

export const PROJECT_FILTER = { name: 'Splat-Portrait Project', extensions: [PROJECT_EXTENSION.slice(1)] };

const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp'];
const AUDIO_EXTENSIONS = ['wav', 'mp3', 'm4a', 'aac', 'flac', 'ogg', 'opus'];
const VIDEO_EXTENSIONS = ['mp4', 'mov', 'mkv', 'webm'];

export const MEDIA_FILTERS = [
  { name: 'Portraits and audio', extensions: [...IMAGE_EXTENSIONS, ...AUDIO_EXTENSIONS, ...VIDEO_EXTENSIONS] },
  { name: 'Images', extensions: IMAGE_EXTENSIONS },
  { name: 'Audio', extensions: AUDIO_EXTENSIONS },
  { name: 'Video (its sound track)', extensions: VIDEO_EXTENSIONS },
  { name: 'All files', extensions: ['*'] },
];

export interface DialogOptions {
  getWindow(): BrowserWindow | null;
  /** Where the dialogs open first. */
  projectsDir: string;
}

export function createNativeDialogs(options: DialogOptions): NativeDialogs {
  const open = (opts: OpenDialogOptions) => {
    const win = usable(options.getWindow());
    return win ? dialog.showOpenDialog(win, opts) : dialog.showOpenDialog(opts);
  };
  const save = (opts: SaveDialogOptions) => {
    const win = usable(options.getWindow());
    return win ? dialog.showSaveDialog(win, opts) : dialog.showSaveDialog(opts);
  };

  return {
    async openProject() {
      const result = await open({
        title: 'Open Project',
        defaultPath: options.projectsDir,
        properties: ['openFile'],
        filters: [PROJECT_FILTER],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },

    async saveProjectAs(suggestedName) {
      const result = await save({
        title: 'Save Project As',
        defaultPath: join(options.projectsDir, `${safeFileName(suggestedName)}${PROJECT_EXTENSION}`),
        filters: [PROJECT_FILTER],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (result.canceled || !result.filePath) return null;
      return withProjectExtension(result.filePath);
    },

    async importMedia() {
      const result = await open({
        title: 'Import Media',
        properties: ['openFile', 'multiSelections'],
        filters: MEDIA_FILTERS,
      });
      return result.canceled ? [] : result.filePaths;
    },
  };
}

function usable(win: BrowserWindow | null): BrowserWindow | null {
  return win && !win.isDestroyed() ? win : null;
}

/** GTK's save dialog does not add the filter's extension; add it so the file is recognised. */
export function withProjectExtension(path: string): string {
  return path.toLowerCase().endsWith(PROJECT_EXTENSION) ? path : `${path}${PROJECT_EXTENSION}`;
}

/** A project name as a file name: characters no file system accepts become '-'. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '-').replace(/[. ]+$/, '').trim();
  return cleaned.length > 0 ? cleaned : 'Untitled';
}
