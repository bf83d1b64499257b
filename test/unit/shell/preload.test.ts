import { beforeAll, describe, expect, it, vi } from 'vitest';
vi.mock('electron', () => import('./electron-stub.ts'));
import { contextBridge, ipcRenderer } from './electron-stub.ts';
import { BRIDGE_GLOBAL, IPC_CHANNELS, type StudioBridge } from '../../../src/shared/api/bridge.ts';

describe('preload bridge', () => {
  let bridge: StudioBridge;
  let exposeCalls = 0;

  beforeAll(async () => {
    await import('../../../src/preload/index.ts');
    exposeCalls = contextBridge.exposeInMainWorld.mock.calls.length;
    bridge = contextBridge.exposed.get(BRIDGE_GLOBAL) as StudioBridge;
  });

  it('exposes exactly one global, with request, cancel and onEvent and nothing else', () => {
    expect(exposeCalls).toBe(1);
    expect([...contextBridge.exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
    expect(Object.keys(bridge).sort()).toEqual(['cancel', 'onEvent', 'request']);
    for (const value of Object.values(bridge)) expect(value).toBeTypeOf('function');
    expect(Object.values(bridge)).not.toContain(ipcRenderer);
  });

  it('sends requests with invoke on the request channel and returns the reply', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: 42 });
    await expect(bridge.request(5, 'app.info', {})).resolves.toEqual({ ok: true, result: 42 });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(IPC_CHANNELS.request, 5, 'app.info', {});
  });

  it('sends cancel on the cancel channel', () => {
    bridge.cancel(5);
    expect(ipcRenderer.send).toHaveBeenCalledWith(IPC_CHANNELS.cancel, 5);
  });

  it('delivers events without the IPC event, and unsubscribing removes exactly that listener', () => {
    const first = vi.fn();
    const second = vi.fn();
    const before = ipcRenderer.listenerCount(IPC_CHANNELS.event);
    const offFirst = bridge.onEvent(first);
    const offSecond = bridge.onEvent(second);
    expect(ipcRenderer.listenerCount(IPC_CHANNELS.event)).toBe(before + 2);

    ipcRenderer.emit(IPC_CHANNELS.event, { sender: 'secret' }, 'menu.command', 'edit.undo');
    expect(first).toHaveBeenCalledExactlyOnceWith('menu.command', 'edit.undo');
    expect(second).toHaveBeenCalledExactlyOnceWith('menu.command', 'edit.undo');

    offFirst();
    offFirst(); // twice is harmless and removes nothing else
    expect(ipcRenderer.listenerCount(IPC_CHANNELS.event)).toBe(before + 1);
    ipcRenderer.emit(IPC_CHANNELS.event, {}, 'project.changed', null);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenLastCalledWith('project.changed', null);

    offSecond();
    expect(ipcRenderer.listenerCount(IPC_CHANNELS.event)).toBe(before);
  });

  it('refuses a listener that is not a function', () => {
    expect(() => bridge.onEvent('nope' as never)).toThrow(TypeError);
  });
});
