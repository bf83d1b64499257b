/**
 * The app's life: one instance, one studio, one main window (recreated on macOS 'activate'),
 * menu, IPC, and project files handed over by the operating system.
 */
import { app, dialog, type BrowserWindow } from 'electron';
import type { MenuCommand } from '../../shared/api/contract.ts';
import { dispatch } from '../api/dispatch.ts';
import type { Studio, StudioOptions } from '../api/studio.ts';
import { createNativeDialogs } from './dialogs.ts';
import { APP_ID, PRODUCT_NAME } from './identity.ts';
import { registerStudioIpc } from './ipc.ts';
import { projectPathsFromArgv } from './launch-files.ts';
import { installAppMenu } from './menu.ts';
import { resolveShellPaths, type ShellPaths } from './paths.ts';
import { rendererFileCheck, rendererUrlCheck } from './renderer-url.ts';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY, installSecurity } from './security.ts';
import { createMainWindow } from './window.ts';

export interface ShellDeps {
  createStudio(options: StudioOptions): Studio;
  argv?: readonly string[];
  cwd?: string;
}

/** Returns false when another instance already runs (this one then quits). */
export function startShell(deps: ShellDeps): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.enableSandbox();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  let paths: ShellPaths | null = null;
  let studio: Studio | null = null;
  let win: BrowserWindow | null = null;
  let disposeIpc: (() => void) | null = null;
  // Paths the OS handed over before the studio existed; only the last one is opened.
  let queued: string | null = projectPathsFromArgv(deps.argv ?? process.argv, deps.cwd ?? process.cwd()).at(-1) ?? null;

  const openWindow = () => {
    if (!paths) return;
    const created = createMainWindow({ preload: paths.preload, renderer: paths.renderer, icon: paths.icon });
    created.on('closed', () => {
      if (win === created) win = null;
    });
    win = created;
  };

  const focusWindow = () => {
    if (!win) return openWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const openProject = (path: string | undefined) => {
    if (!path) return;
    if (!studio) {
      queued = path;
      return;
    }
    // The OS handed us this file (double-click, argv, open-file): the user chose it.
    studio.grantPath(path);
    void dispatch(studio.handlers, 'project.open', { path }, { signal: new AbortController().signal }).then((reply) => {
      if (!reply.ok) dialog.showErrorBox('Cannot open the project', reply.error.message);
    });
  };

  const sendMenuCommand = (command: MenuCommand) => {
    // With no window (macOS), a menu command first brings the studio back.
    if (!win) return openWindow();
    studio?.events.emit('menu.command', command);
  };

  const dispose = () => {
    disposeIpc?.();
    disposeIpc = null;
    studio?.dispose();
    studio = null;
  };

  app.on('second-instance', (_event, argv, workingDirectory) => {
    focusWindow();
    openProject(projectPathsFromArgv(argv, workingDirectory).at(-1));
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (studio) focusWindow();
    openProject(path);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (studio && !win) openWindow();
  });
  app.on('will-quit', dispose);

  app
    .whenReady()
    .then(() => {
      paths = resolveShellPaths();
      const isTrustedUrl = rendererUrlCheck(paths.renderer);
      installSecurity({
        isTrustedUrl,
        isAllowedFile: rendererFileCheck(paths.renderer),
        csp: paths.renderer.kind === 'dev' ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY,
      });
      studio = deps.createStudio({
        transport: 'electron',
        projectsDir: paths.projectsDir,
        configDir: paths.configDir,
        appVersion: app.getVersion(),
        resourcesDir: paths.resourcesDir,
        dialogs: createNativeDialogs({ getWindow: () => win, projectsDir: paths.projectsDir }),
      });
      disposeIpc = registerStudioIpc({
        handlers: studio.handlers,
        events: studio.events,
        isTrustedUrl,
        getWindow: () => win,
      });
      app.setAboutPanelOptions({ applicationName: PRODUCT_NAME, applicationVersion: app.getVersion() });
      installAppMenu({ platform: process.platform, isDev: !app.isPackaged, appName: PRODUCT_NAME, send: sendMenuCommand });
      openWindow();
      const first = queued;
      queued = null;
      openProject(first ?? undefined);
    })
    .catch((error: unknown) => {
      console.error('[shell] startup failed:', error);
      dialog.showErrorBox(`${PRODUCT_NAME} could not start`, error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
  return true;
}
