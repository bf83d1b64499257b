import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('electron', () => import('./electron-stub.ts'));
import { BrowserWindow, ipcMain, resetElectronStub, type FakeWebContents } from './electron-stub.ts';
import type { BrowserWindow as ElectronWindow } from 'electron';
import { IPC_CHANNELS } from '../../../src/shared/api/bridge.ts';
import type { RequestContext, StudioEvents, StudioHandlers } from '../../../src/shared/api/contract.ts';
import { Emitter } from '../../../src/shared/events/emitter.ts';
import { registerStudioIpc } from '../../../src/main/shell/ipc.ts';

const OURS = 'file:///opt/studio/out/renderer/index.html';
const isTrustedUrl = (url: string) => url.split('#')[0] === OURS;

interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

/** An IPC event as Electron builds it: the sending web contents and frame. */
function ipcEvent(sender: FakeWebContents, frame: FakeFrame | null = { url: OURS, parent: null }) {
  return { sender, senderFrame: frame };
}

function setup(handlers: Partial<StudioHandlers> = {}) {
  const events = new Emitter<StudioEvents>();
  const win = new BrowserWindow({});
  win.webContents.url = OURS;
  const dispose = registerStudioIpc({
    handlers: handlers as StudioHandlers,
    events,
    isTrustedUrl,
    getWindow: () => win as unknown as ElectronWindow,
  });
  const request = (requestId: unknown, method: unknown, input: unknown, event = ipcEvent(win.webContents)) =>
    ipcMain.invoke(IPC_CHANNELS.request, event, requestId, method, input);
  const cancel = (requestId: unknown, event = ipcEvent(win.webContents)) => ipcMain.emit(IPC_CHANNELS.cancel, event, requestId);
  return { events, win, dispose, request, cancel };
}

/** A handler that waits until its request is aborted, then throws the abort reason. */
function waitsForAbort() {
  const seen: { signal?: AbortSignal } = {};
  const handler = (_input: unknown, ctx: RequestContext) =>
    new Promise<never>((_resolve, reject) => {
      seen.signal = ctx.signal;
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
    });
  return { handler, seen };
}

describe('studio IPC', () => {
  beforeEach(resetElectronStub);
  afterEach(() => vi.restoreAllMocks());

  it('routes a valid request through dispatch and returns its envelope', async () => {
    const rename = vi.fn(async ({ name }: { name: string }, _ctx: RequestContext) => ({ name }) as never);
    const { request } = setup({ 'project.rename': rename });
    await expect(request(1, 'project.rename', { name: '  Ada  ' })).resolves.toEqual({ ok: true, result: { name: 'Ada' } });
    expect(rename).toHaveBeenCalledOnce();
    expect(rename.mock.calls[0]?.[1].signal).toBeInstanceOf(AbortSignal);
  });

  it('answers an unknown method with UNKNOWN_METHOD and bad input with INVALID_INPUT', async () => {
    const rename = vi.fn();
    const { request } = setup({ 'project.rename': rename });
    await expect(request(1, 'fs.readFile', { path: '/etc/passwd' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    await expect(request(2, 'project.rename', { name: '' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(request(3, 'project.rename', { name: 'x', extra: 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(rename).not.toHaveBeenCalled();
  });

  it('refuses requests from a foreign page, a subframe or a vanished frame with ACCESS_DENIED', async () => {
    const info = vi.fn(() => ({}) as never);
    const { request, win } = setup({ 'app.info': info });
    const top = { url: OURS, parent: null };
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///tmp/index.html', parent: null },
      { url: OURS, parent: top },
      null,
    ]) {
      await expect(request(1, 'app.info', {}, ipcEvent(win.webContents, frame))).resolves.toMatchObject({
        ok: false,
        error: { code: 'ACCESS_DENIED' },
      });
    }
    expect(info).not.toHaveBeenCalled();
  });

  it('needs a safe-integer request id', async () => {
    const { request } = setup({ 'app.info': () => ({}) as never });
    for (const id of ['1', 1.5, Number.MAX_SAFE_INTEGER + 1, null, undefined, { id: 1 }]) {
      await expect(request(id, 'app.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    await expect(request(0, 'app.info', {})).resolves.toMatchObject({ ok: true });
  });

  it('aborts the request signal on cancel and replies CANCELLED', async () => {
    const { handler, seen } = waitsForAbort();
    const { request, cancel } = setup({ 'dialog.importMedia': handler });
    const reply = request(7, 'dialog.importMedia', {});
    await vi.waitFor(() => expect(seen.signal).toBeDefined());
    cancel(8); // another id: no effect
    expect(seen.signal!.aborted).toBe(false);
    cancel(7);
    expect(seen.signal!.aborted).toBe(true);
    await expect(reply).resolves.toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('ignores cancel from a foreign frame', async () => {
    const { handler, seen } = waitsForAbort();
    const { request, cancel, win } = setup({ 'dialog.importMedia': handler });
    void request(7, 'dialog.importMedia', {});
    await vi.waitFor(() => expect(seen.signal).toBeDefined());
    cancel(7, ipcEvent(win.webContents, { url: 'https://evil.example/', parent: null }));
    expect(seen.signal!.aborted).toBe(false);
  });

  it('refuses a request id that is already in flight, and frees it once answered', async () => {
    const { handler, seen } = waitsForAbort();
    const { request, cancel } = setup({ 'dialog.importMedia': handler });
    const first = request(3, 'dialog.importMedia', {});
    await vi.waitFor(() => expect(seen.signal).toBeDefined());
    await expect(request(3, 'dialog.importMedia', {})).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    cancel(3);
    await first;
    seen.signal = undefined;
    const again = request(3, 'dialog.importMedia', {});
    await vi.waitFor(() => expect(seen.signal).toBeDefined());
    cancel(3);
    await expect(again).resolves.toMatchObject({ error: { code: 'CANCELLED' } });
  });

  it('aborts pending requests with DISCONNECTED when the window goes away', async () => {
    const { handler, seen } = waitsForAbort();
    const { request, win } = setup({ 'dialog.importMedia': handler });
    const reply = request(1, 'dialog.importMedia', {});
    await vi.waitFor(() => expect(seen.signal).toBeDefined());
    win.webContents.destroy();
    await expect(reply).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
  });

  it('forwards every back-end event to the window', () => {
    const { events, win } = setup();
    events.emit('project.changed', null);
    events.emit('menu.command', 'edit.undo');
    expect(win.webContents.sent).toEqual([
      [IPC_CHANNELS.event, 'project.changed', null],
      [IPC_CHANNELS.event, 'menu.command', 'edit.undo'],
    ]);
  });

  it('sends nothing to a window showing a foreign page, or a closed one', () => {
    const { events, win } = setup();
    win.webContents.url = 'https://evil.example/';
    events.emit('menu.command', 'project.new');
    win.webContents.url = OURS;
    win.close();
    events.emit('menu.command', 'project.new');
    expect(win.webContents.sent).toEqual([]);
  });

  it('dispose removes the handler, the cancel listener and the event forwarding, and aborts what is pending', async () => {
    const { handler, seen } = waitsForAbort();
    const { dispose, events, request, win } = setup({ 'dialog.importMedia': handler });
    const reply = request(1, 'dialog.importMedia', {});
    await vi.waitFor(() => expect(seen.signal).toBeDefined());
    dispose();
    await expect(reply).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
    expect(ipcMain.handlers.has(IPC_CHANNELS.request)).toBe(false);
    expect(ipcMain.listenerCount(IPC_CHANNELS.cancel)).toBe(0);
    expect(events.listenerCount('project.changed')).toBe(0);
    expect(events.listenerCount('menu.command')).toBe(0);
    events.emit('menu.command', 'project.new');
    expect(win.webContents.sent).toEqual([]);
  });
});
