/**
 * The application menu. Studio commands (new, open, undo, ...) go to the renderer, which runs
 * them like its own buttons; Undo/Redo are the project's history, not the text-field roles.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api/contract.ts';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Adds Reload; development builds only. */
  isDev: boolean;
  appName: string;
  send(command: MenuCommand): void;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { platform, isDev, appName, send } = options;
  const isMac = platform === 'darwin';
  // '&' marks the Alt-key mnemonic on Windows and Linux; macOS has none.
  const top = (label: string) => (isMac ? label.replace('&', '') : label);
  const command = (label: string, accelerator: string, name: MenuCommand): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(name),
  });

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };

  const fileMenu: MenuItemConstructorOptions = {
    label: top('&File'),
    submenu: [
      command('New Project', 'CmdOrCtrl+N', 'project.new'),
      command('Open Project…', 'CmdOrCtrl+O', 'project.open'),
      command('Save As…', 'CmdOrCtrl+Shift+S', 'project.saveAs'),
      { type: 'separator' },
      command('Import Media…', 'CmdOrCtrl+I', 'media.import'),
      { type: 'separator' },
      command('Close Project', 'CmdOrCtrl+W', 'project.close'),
      // macOS has Quit in the app menu.
      ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'quit', accelerator: 'CmdOrCtrl+Q' } as const]),
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: top('&Edit'),
    submenu: [
      command('Undo', 'CmdOrCtrl+Z', 'edit.undo'),
      command('Redo', platform === 'win32' ? 'Ctrl+Y' : 'CmdOrCtrl+Shift+Z', 'edit.redo'),
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const viewMenu: MenuItemConstructorOptions = {
    label: top('&View'),
    submenu: [
      ...(isDev ? [{ role: 'reload' } as const] : []),
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  // Spelled out: the stock windowMenu on Windows/Linux has Close on CmdOrCtrl+W, which is Close Project here.
  const windowMenu: MenuItemConstructorOptions = {
    label: top('&Window'),
    role: 'window',
    submenu: isMac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close', label: 'Close Window', accelerator: 'CmdOrCtrl+Shift+W' }],
  };
  // On macOS About lives in the app menu; the Help menu still gets the system search field.
  const helpMenu: MenuItemConstructorOptions = { label: top('&Help'), role: 'help', submenu: isMac ? [] : [{ role: 'about' }] };

  return [...(isMac ? [appMenu] : []), fileMenu, editMenu, viewMenu, windowMenu, helpMenu];
}

export function installAppMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(options)));
}
