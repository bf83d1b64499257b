import { describe, expect, it, vi } from 'vitest';
import { BridgeStudioClient } from '../../../src/renderer/src/api/bridge-client.ts';
import type { StudioBridge } from '../../../src/shared/api/bridge.ts';
import type { ReplyEnvelope } from '../../../src/shared/api/envelope.ts';

function fakeBridge(reply: (id: number, method: string) => Promise<ReplyEnvelope>) {
  let listener: ((event: string, payload: unknown) => void) | null = null;
  const cancel = vi.fn<(requestId: number) => void>();
  const bridge = {
    request: (id: number, method: string) => reply(id, method),
    cancel,
    onEvent(l: (event: string, payload: unknown) => void) {
      listener = l;
      return () => {
        listener = null;
      };
    },
  };
  return { bridge: bridge satisfies StudioBridge, emit: (event: string, payload: unknown) => listener?.(event, payload) };
}

describe('BridgeStudioClient', () => {
  it('unwraps ok envelopes and turns error envelopes into ApiErrors', async () => {
    const { bridge } = fakeBridge(async (_id, method) =>
      method === 'app.info' ? { ok: true, result: { name: 'S' } } : { ok: false, error: { code: 'NOT_FOUND', message: 'gone' } },
    );
    const client = new BridgeStudioClient(bridge);
    expect(client.transport).toBe('electron');
    await expect(client.call('app.info', {})).resolves.toEqual({ name: 'S' });
    await expect(client.call('project.open', { path: '/x.splatproj' })).rejects.toMatchObject({ name: 'ApiError', code: 'NOT_FOUND' });
  });

  it('forwards events and cancels through the bridge', async () => {
    let finish: (e: ReplyEnvelope) => void = () => undefined;
    let sentId = -1;
    const { bridge, emit } = fakeBridge((id) => {
      sentId = id;
      return new Promise((resolve) => (finish = resolve));
    });
    const client = new BridgeStudioClient(bridge);
    const seen = vi.fn();
    client.on('menu.command', seen);
    emit('menu.command', 'media.import');
    expect(seen).toHaveBeenCalledWith('media.import');

    const controller = new AbortController();
    const call = client.call('project.current', {}, { signal: controller.signal });
    controller.abort();
    expect(bridge.cancel).toHaveBeenCalledWith(sentId);
    finish({ ok: false, error: { code: 'CANCELLED', message: 'cancelled' } });
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('reports a failed IPC call as a lost connection', async () => {
    const { bridge } = fakeBridge(() => Promise.reject(new Error('Render frame was disposed')));
    const client = new BridgeStudioClient(bridge);
    const states: string[] = [];
    client.onConnection('state', (s) => states.push(s));
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(client.state).toBe('closed');
    expect(states).toEqual(['closed']);
  });
});
