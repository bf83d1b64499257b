/**
 * Native open/save dialogs, attached to the main window (sheets on macOS). What the user picks
 * here is what the studio may touch; the studio grants those paths.
 */
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { join } from 'node:path';
import type { ExportFormat } from '../../shared/api/contract.ts';
import { EXPORT_FOLDER } from '../../shared/export/export-paths.ts';
import { PROJECT_EXTENSION } from '../../shared/project/types.ts';
import type { NativeDialogs } from '../api/studio.ts';
import { FORMAT_INFO } from '../export/ffmpeg-args.ts';

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

    async chooseExportPath(suggestedName, format) {
      const { extension } = FORMAT_INFO[format];
      const result = await save({
        title: format === 'png-sequence' ? 'Export PNG Sequence To Folder' : 'Export Video',
        defaultPath: join(options.projectsDir, EXPORT_FOLDER, `${safeFileName(suggestedName)}${extension}`),
        filters: exportFilters(format),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (result.canceled || !result.filePath) return null;
      return withExtension(result.filePath, extension);
    },
  };
}

/** The save dialog's filter for a format; none for a PNG sequence, which is a folder of frames. */
export function exportFilters(format: ExportFormat): { name: string; extensions: string[] }[] {
  const { extension } = FORMAT_INFO[format];
  return extension ? [{ name: `${format} video`, extensions: [extension.slice(1)] }] : [];
}

function usable(win: BrowserWindow | null): BrowserWindow | null {
  return win && !win.isDestroyed() ? win : null;
}

/** GTK's save dialog does not add the filter's extension; add it so the file is recognised. */
export function withProjectExtension(path: string): string {
  return withExtension(path, PROJECT_EXTENSION);
}

/** `path` ending in `extension` (case-insensitive); '' adds nothing. */
export function withExtension(path: string, extension: string): string {
  return !extension || path.toLowerCase().endsWith(extension) ? path : `${path}${extension}`;
}

/** A project name as a file name: characters no file system accepts become '-'. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '-').replace(/[. ]+$/, '').trim();
  return cleaned.length > 0 ? cleaned : 'Untitled';
}
