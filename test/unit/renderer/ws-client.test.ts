import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketStudioClient } from '../../../src/renderer/src/api/ws-client.ts';
import { studioSocketUrl } from '../../../src/renderer/src/api/connect.ts';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { emptySnapshot } from '../../helpers/project-snapshot.ts';
import { FakeSocket } from './fake-socket.ts';

function connect(): { client: WebSocketStudioClient; socket: FakeSocket } {
  FakeSocket.instances = [];
  const client = new WebSocketStudioClient('ws://127.0.0.1:1234/api', FakeSocket);
  const socket = FakeSocket.instances[0];
  if (!socket) throw new Error('client made no socket');
  return { client, socket };
}

const snapshot = (revision: number) => emptySnapshot({ path: '/p/a.splatproj', name: 'A', revision });

afterEach(() => vi.restoreAllMocks());

describe('WebSocketStudioClient', () => {
  it('opens the socket on the given URL with binary frames as ArrayBuffers', async () => {
    const { client, socket } = connect();
    expect(socket.url).toBe('ws://127.0.0.1:1234/api');
    expect(socket.binaryType).toBe('arraybuffer');
    expect(client.state).toBe('connecting');
    socket.open();
    await expect(client.ready).resolves.toBeUndefined();
    expect(client.state).toBe('open');
    expect(client.transport).toBe('web');
  });

  it('queues requests made before the socket opens and sends them in order on open', async () => {
    const { client, socket } = connect();
    const a = client.call('app.info', {});
    const b = client.call('project.current', {});
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent.map((m) => m.type === 'request' && m.method)).toEqual(['app.info', 'project.current']);
    const [first, second] = socket.sent;
    if (first?.type !== 'request' || second?.type !== 'request') throw new Error('expected requests');
    expect(first.id).not.toBe(second.id);
    socket.deliver({ type: 'reply', id: second.id, ok: true, result: null });
    socket.deliver({ type: 'reply', id: first.id, ok: true, result: { name: 'Studio' } });
    await expect(a).resolves.toEqual({ name: 'Studio' });
    await expect(b).resolves.toBeNull();
  });

  it('rejects with an ApiError carrying the code, message and details of an error reply', async () => {
    const { client, socket } = connect();
    socket.open();
    const call = client.call('project.open', { path: '/p/new.splatproj' });
    socket.deliver({
      type: 'reply',
      id: socket.lastRequest().id,
      ok: false,
      error: { code: 'PROJECT_TOO_NEW', message: 'Made by a newer version', details: { found: 9 } },
    });
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'PROJECT_TOO_NEW', message: 'Made by a newer version', details: { found: 9 } });
  });

  it('sends bytes as attachments and returns reply bytes as Uint8Array', async () => {
    const { client, socket } = connect();
    socket.open();
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const call = client.call('media.thumbnail', { id: 'abc' });
    void client.call('media.import', { name: 'a.png', bytes }).catch(() => undefined);
    const importReq = socket.lastRequest();
    expect(importReq.method).toBe('media.import');
    expect((importReq.input as { bytes: Uint8Array }).bytes).toEqual(bytes);
    const thumbId = socket.sent[0]?.type === 'request' ? socket.sent[0].id : -1;
    socket.deliver({ type: 'reply', id: thumbId, ok: true, result: { mime: 'image/png', bytes: new Uint8Array([9, 8, 7]) } });
    const thumb = await call;
    expect(thumb?.mime).toBe('image/png');
    expect(thumb?.bytes).toBeInstanceOf(Uint8Array);
    expect([...(thumb?.bytes ?? [])]).toEqual([9, 8, 7]);
  });

  it('cancels through an AbortSignal: sends cancel, rejects CANCELLED, ignores the late reply', async () => {
    const { client, socket } = connect();
    socket.open();
    const controller = new AbortController();
    const call = client.call('project.current', {}, { signal: controller.signal });
    const { id } = socket.lastRequest();
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(socket.sent.at(-1)).toEqual({ type: 'cancel', id });
    expect(() => socket.deliver({ type: 'reply', id, ok: true, result: null })).not.toThrow();
  });

  it('rejects at once when the signal is already aborted, sending nothing', async () => {
    const { client, socket } = connect();
    socket.open();
    const controller = new AbortController();
    controller.abort();
    await expect(client.call('app.info', {}, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(socket.sent).toEqual([]);
  });

  it('dispatches events to their subscribers until they unsubscribe', () => {
    const { client, socket } = connect();
    socket.open();
    const changed = vi.fn();
    const menu = vi.fn();
    const off = client.on('project.changed', changed);
    client.on('menu.command', menu);
    socket.deliver({ type: 'event', event: 'project.changed', payload: snapshot(3) });
    socket.deliver({ type: 'event', event: 'menu.command', payload: 'edit.undo' });
    socket.deliver({ type: 'event', event: 'no.such.event', payload: 1 });
    off();
    socket.deliver({ type: 'event', event: 'project.changed', payload: null });
    expect(changed).toHaveBeenCalledTimes(1);
    expect(changed).toHaveBeenCalledWith(snapshot(3));
    expect(menu).toHaveBeenCalledWith('edit.undo');
  });

  it('rejects everything pending with DISCONNECTED when the socket closes, and every later call', async () => {
    const { client, socket } = connect();
    socket.open();
    const states: string[] = [];
    client.onConnection('state', (s) => states.push(s));
    const a = client.call('project.current', {});
    const b = client.call('projects.list', {});
    socket.drop(1006);
    await expect(a).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(b).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(client.state).toBe('closed');
    expect(states).toEqual(['closed']);
  });

  it('rejects `ready` and queued calls when the socket closes before opening', async () => {
    const { client, socket } = connect();
    const queued = client.call('app.info', {});
    socket.drop(1006);
    await expect(client.ready).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(queued).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });

  it('drops malformed frames without failing pending requests', async () => {
    const { client, socket } = connect();
    socket.open();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const call = client.call('app.info', {});
    socket.deliverRaw('text frame');
    socket.deliverRaw(new Uint8Array([1, 0, 0]).buffer);
    socket.deliverRaw(new Uint8Array([200, 0, 0, 0, 1, 2]).buffer);
    expect(warn).toHaveBeenCalledTimes(3);
    socket.deliver({ type: 'reply', id: socket.lastRequest().id, ok: true, result: 'fine' });
    await expect(call).resolves.toBe('fine');
  });

  it('treats an error reply without valid error data as INTERNAL', async () => {
    const { client, socket } = connect();
    socket.open();
    const call = client.call('app.info', {});
    socket.deliver({ type: 'reply', id: socket.lastRequest().id, ok: false, error: { code: 'NOPE', message: 'x' } as never });
    await expect(call).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('dispose closes the socket and rejects pending calls', async () => {
    const { client, socket } = connect();
    socket.open();
    const call = client.call('app.info', {});
    client.dispose();
    await expect(call).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'client disposed' });
  });
});

describe('studioSocketUrl', () => {
  it('uses ws: for http pages and wss: for https pages, on the same host and port', () => {
    expect(studioSocketUrl({ protocol: 'http:', host: '127.0.0.1:5123' })).toBe('ws://127.0.0.1:5123/api');
    expect(studioSocketUrl({ protocol: 'https:', host: 'studio.local' })).toBe('wss://studio.local/api');
  });
});
