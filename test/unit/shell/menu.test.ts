import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('electron', () => import('./electron-stub.ts'));
import { Menu, resetElectronStub } from './electron-stub.ts';
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_COMMANDS, type MenuCommand } from '../../../src/shared/api/contract.ts';
import { buildMenuTemplate, installAppMenu } from '../../../src/main/shell/menu.ts';

function build(platform: NodeJS.Platform, isDev = false) {
  const sent: MenuCommand[] = [];
  const template = buildMenuTemplate({ platform, isDev, appName: 'Splat-Portrait Studio', send: (c) => sent.push(c) });
  return { template, sent };
}

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((menu) => [menu, ...(Array.isArray(menu.submenu) ? items(menu.submenu) : [])]);
}

function byLabel(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const item = items(template).find((i) => i.label === label);
  if (!item) throw new Error(`No menu item "${label}"`);
  return item;
}

function click(item: MenuItemConstructorOptions): void {
  (item.click as () => void)();
}

const STUDIO_ITEMS: [label: string, accelerator: string, command: MenuCommand][] = [
  ['New Project', 'CmdOrCtrl+N', 'project.new'],
  ['Open Project…', 'CmdOrCtrl+O', 'project.open'],
  ['Save As…', 'CmdOrCtrl+Shift+S', 'project.saveAs'],
  ['Import Media…', 'CmdOrCtrl+I', 'media.import'],
  ['Close Project', 'CmdOrCtrl+W', 'project.close'],
  ['Undo', 'CmdOrCtrl+Z', 'edit.undo'],
];

describe('app menu', () => {
  beforeEach(resetElectronStub);

  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`${platform}: each studio item has its accelerator and sends its command`, () => {
      const { template, sent } = build(platform);
      for (const [label, accelerator, command] of STUDIO_ITEMS) {
        const item = byLabel(template, label);
        expect(item.accelerator, label).toBe(accelerator);
        click(item);
        expect(sent.at(-1)).toBe(command);
      }
      const redo = byLabel(template, 'Redo');
      expect(redo.accelerator).toBe(platform === 'win32' ? 'Ctrl+Y' : 'CmdOrCtrl+Shift+Z');
      click(redo);
      expect(sent.at(-1)).toBe('edit.redo');
    });
  }

  it('can send every menu command of the contract', () => {
    const { template, sent } = build('linux');
    for (const item of items(template)) if (item.click) click(item);
    expect(new Set(sent)).toEqual(new Set(MENU_COMMANDS));
  });

  it('uses the project history for undo/redo, not the text-field roles, and keeps the clipboard roles', () => {
    const all = items(build('linux').template);
    const roles = all.map((i) => i.role).filter(Boolean);
    expect(roles).not.toContain('undo');
    expect(roles).not.toContain('redo');
    expect(roles).toEqual(expect.arrayContaining(['cut', 'copy', 'paste', 'selectAll', 'quit']));
    expect(roles).toEqual(
      expect.arrayContaining(['toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'minimize', 'about']),
    );
  });

  it('offers Reload only in development', () => {
    const roles = (isDev: boolean) => items(build('linux', isDev).template).map((i) => i.role);
    expect(roles(true)).toContain('reload');
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('forceReload');
  });

  it('puts the app-name menu first on macOS, with Quit there and not in File', () => {
    const mac = build('darwin').template;
    expect(mac[0]!.label).toBe('Splat-Portrait Studio');
    expect(items([mac[0]!]).map((i) => i.role)).toEqual(expect.arrayContaining(['about', 'hide', 'quit']));
    expect(items([mac[1]!]).map((i) => i.role)).not.toContain('quit');
    expect(mac.map((m) => m.label)).toEqual(['Splat-Portrait Studio', 'File', 'Edit', 'View', 'Window', 'Help']);

    const linux = build('linux').template;
    expect(linux.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    expect(items([linux[0]!]).find((i) => i.role === 'quit')?.accelerator).toBe('CmdOrCtrl+Q');
  });

  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`${platform}: no two items share a shortcut, counting the roles' built-in ones`, () => {
      const shortcuts = items(build(platform, true).template)
        .map((item) => item.accelerator ?? (item.role ? roleAccelerator(item.role, platform) : undefined))
        .filter((a): a is string => !!a)
        .map((a) => normalizeAccelerator(a, platform));
      expect(shortcuts.filter((a, i) => shortcuts.indexOf(a) !== i)).toEqual([]);
    });
  }

  it('installs the built menu as the application menu', () => {
    installAppMenu({ platform: 'linux', isDev: false, appName: 'Studio', send: () => undefined });
    expect(Menu.setApplicationMenu).toHaveBeenCalledOnce();
    expect(Menu.applicationMenu?.template).toHaveLength(5);
  });
});

/** Default accelerators of the roles (Electron's lib/browser/api/menu-item-roles.ts). */
function roleAccelerator(role: string, platform: NodeJS.Platform): string | undefined {
  const mac = platform === 'darwin';
  const table: Record<string, string | undefined> = {
    close: 'CommandOrControl+W',
    copy: 'CommandOrControl+C',
    cut: 'CommandOrControl+X',
    forceReload: 'Shift+CmdOrCtrl+R',
    hide: 'Command+H',
    hideOthers: 'Command+Alt+H',
    minimize: 'CommandOrControl+M',
    paste: 'CommandOrControl+V',
    quit: platform === 'win32' ? undefined : 'CommandOrControl+Q',
    redo: platform === 'win32' ? 'Control+Y' : 'Shift+CommandOrControl+Z',
    reload: 'CmdOrCtrl+R',
    resetZoom: 'CommandOrControl+0',
    selectAll: 'CommandOrControl+A',
    togglefullscreen: mac ? 'Control+Command+F' : 'F11',
    toggleDevTools: mac ? 'Alt+Command+I' : 'Ctrl+Shift+I',
    undo: 'CommandOrControl+Z',
    zoomIn: 'CommandOrControl+Plus',
    zoomOut: 'CommandOrControl+-',
  };
  return table[role];
}

/** One spelling per shortcut: modifiers resolved for the platform and sorted. */
function normalizeAccelerator(accelerator: string, platform: NodeJS.Platform): string {
  const mac = platform === 'darwin';
  const alias: Record<string, string> = {
    commandorcontrol: mac ? 'cmd' : 'ctrl',
    cmdorctrl: mac ? 'cmd' : 'ctrl',
    command: 'cmd',
    control: 'ctrl',
    option: 'alt',
  };
  const keys = accelerator.split('+').map((k) => k.toLowerCase()).map((k) => alias[k] ?? k);
  const key = keys.pop()!;
  return [...keys.sort(), key].join('+');
}
