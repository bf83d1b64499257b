/**
 * A stand-in for the 'electron' module (its binary cannot be downloaded here). Tests load it with
 * `vi.mock('electron', () => import('./electron-stub.ts'))`; it records what the shell asks of
 * Electron and lets tests fire the events Electron would. Only what the shell uses is modelled.
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';

/** An Electron-style event: `preventDefault()` sets `defaultPrevented`. */
export function fakeEvent<T extends object>(fields: T = {} as T): T & { preventDefault(): void; defaultPrevented: boolean } {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  url = '';
  destroyed = false;
  readonly sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;

  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }

  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  loadedFile: string | null = null;
  loadedUrl: string | null = null;
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;
  restore = vi.fn(() => {
    this.minimized = false;
  });

  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    BrowserWindow.instances.push(this);
    app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  loadFile(file: string): Promise<void> {
    this.loadedFile = file;
    this.webContents.url = pathToFileURL(file).href;
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'Splat-Portrait Studio';
  lockAvailable = true;
  requestSingleInstanceLock = vi.fn(() => this.lockAvailable);
  quit = vi.fn();
  exit = vi.fn();
  enableSandbox = vi.fn();
  setAppUserModelId = vi.fn();
  setAboutPanelOptions = vi.fn();
  getVersion = vi.fn(() => '0.1.0');
  getAppPath = vi.fn(() => '/opt/studio');
  getPath = vi.fn((name: string) => `/home/creator/${name}`);
  whenReady = vi.fn(() => Promise.resolve());
}

export const app = new FakeApp();

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke would do from a frame. */
  invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return Promise.resolve(handler(event, ...args));
  }
}

export const ipcMain = new FakeIpcMain();

export const Menu = {
  applicationMenu: null as { template: unknown[] } | null,
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn((menu: { template: unknown[] } | null) => {
    Menu.applicationMenu = menu;
  }),
};

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePath: '' })),
  showErrorBox: vi.fn(),
};

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]>; cancel?: boolean }) => void,
) => void;

type RequestListener = (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void;

function fakeSession() {
  return {
    permissionRequestHandler: null as ((...args: unknown[]) => void) | null,
    permissionCheckHandler: null as ((...args: unknown[]) => boolean) | null,
    headersListener: null as HeadersListener | null,
    requestListener: null as RequestListener | null,
    setPermissionRequestHandler(handler: (...args: unknown[]) => void) {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
      this.permissionCheckHandler = handler;
    },
    webRequest: {
      onHeadersReceived: (listener: HeadersListener) => {
        session.defaultSession.headersListener = listener;
      },
      onBeforeRequest: (listener: RequestListener) => {
        session.defaultSession.requestListener = listener;
      },
    },
  };
}

export const session = { defaultSession: fakeSession() };

export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    if (contextBridge.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
    contextBridge.exposed.set(key, api);
  }),
};

class FakeIpcRenderer extends EventEmitter {
  invoke = vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, result: null }));
  send = vi.fn();
}

export const ipcRenderer = new FakeIpcRenderer();

/** Fresh state for the next test (in place: the shell holds these objects through its imports). */
export function resetElectronStub(): void {
  app.removeAllListeners();
  app.isPackaged = false;
  app.lockAvailable = true;
  ipcMain.removeAllListeners();
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  session.defaultSession = fakeSession();
  BrowserWindow.instances = [];
  Menu.applicationMenu = null;
  contextBridge.exposed.clear();
  // Back to the implementations given to vi.fn(), dropping per-test overrides.
  vi.resetAllMocks();
}
