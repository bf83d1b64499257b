/**
 * Sandboxed preload (bundled to out/preload/index.cjs). Exposes the studio bridge on
 * window.studioBridge and nothing else: no ipcRenderer, no Node, no arbitrary channels.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL, IPC_CHANNELS, type StudioBridge } from '../shared/api/bridge.ts';
import type { ReplyEnvelope } from '../shared/api/envelope.ts';

const bridge: StudioBridge = {
  request(requestId: number, method: string, input: unknown): Promise<ReplyEnvelope> {
    return ipcRenderer.invoke(IPC_CHANNELS.request, requestId, method, input) as Promise<ReplyEnvelope>;
  },

  cancel(requestId: number): void {
    ipcRenderer.send(IPC_CHANNELS.cancel, requestId);
  },

  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a listener function');
    // A wrapper per subscription, so unsubscribing removes exactly this one, and the renderer
    // never sees the IpcRendererEvent (it carries the sender).
    const wrapped = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_CHANNELS.event, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
