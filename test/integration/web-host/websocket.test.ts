/** The loopback web host's WebSocket API, with a real studio behind it. */
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo } from '../../../src/shared/api/contract.ts';
import type { ImportResult, ProjectSnapshot } from '../../../src/shared/project/types.ts';
import { pcm16Wav, pngBytes } from '../../helpers/media-fixtures.ts';
import { startTestHost, type HostFixture } from '../../helpers/web-host-fixture.ts';
import { connect, tryConnect, type WsTestClient } from '../../helpers/ws-client.ts';

let fx: HostFixture;
const clients: WsTestClient[] = [];

async function open(): Promise<WsTestClient> {
  const client = await connect(fx.host.port, { origin: fx.origin, cookie: fx.cookie });
  clients.push(client);
  return client;
}

beforeEach(async () => {
  fx = await startTestHost();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await fx.dispose();
  vi.restoreAllMocks();
});

describe('web host, WebSocket handshake', () => {
  it('refuses a socket without the cookie, with a wrong one, or from a foreign origin', async () => {
    const wrongToken = `${fx.cookie.slice(0, -1)}${fx.cookie.endsWith('A') ? 'B' : 'A'}`;
    const cases = [
      { origin: fx.origin },
      { origin: fx.origin, cookie: wrongToken },
      { origin: 'http://evil.example', cookie: fx.cookie },
      { origin: `http://127.0.0.1:${fx.host.port + 1}`, cookie: fx.cookie },
      { cookie: fx.cookie },
      { origin: fx.origin, cookie: fx.cookie, path: '/not-api' },
    ];
    for (const options of cases) {
      expect(await tryConnect(fx.host.port, options), JSON.stringify(options)).toEqual({ ok: false, status: 403 });
    }
  });

  it('opens with the cookie and our origin, and answers app.info over the web transport', async () => {
    const client = await open();
    const info = await client.call<AppInfo>('app.info');
    expect(info).toMatchObject({ transport: 'web', version: 'test', nativeDialogs: false, projectsDir: fx.projectsDir });
    expect(info.schemaVersion).toBeGreaterThanOrEqual(1);
  });
});

describe('web host, requests and events', () => {
  it('creates a project, imports a PNG, and tells every connected socket', async () => {
    const alice = await open();
    const bob = await open();
    const created = await alice.call<ProjectSnapshot>('project.create', { name: '  Socket Test ' });
    expect(created.name).toBe('Socket Test');
    expect(created.path.startsWith(fx.projectsDir)).toBe(true);
    expect((await bob.event('project.changed')).payload).toMatchObject({ name: 'Socket Test', media: [] });

    const png = await pngBytes(64, 48);
    const imported = await alice.call<ImportResult>('media.import', { name: 'face.png', bytes: png });
    expect(imported.deduplicated).toBe(false);
    expect(imported.item).toMatchObject({ kind: 'image', name: 'face.png', mime: 'image/png', width: 64, height: 48, sizeBytes: png.byteLength });

    const event = await bob.event('project.changed');
    const snapshot = event.payload as ProjectSnapshot;
    expect(snapshot.media.map((m) => m.id)).toEqual([imported.item.id]);
    expect(snapshot.revision).toBe(imported.snapshot.revision);
    // The requester hears the events too.
    expect((await alice.event('project.changed')).payload).toMatchObject({ name: 'Socket Test' });
  });

  it('sends the thumbnail back as a binary attachment that decodes', async () => {
    const client = await open();
    await client.call('project.create', { name: 'Thumbs' });
    const { item } = await client.call<ImportResult>('media.import', { name: 'big.png', bytes: await pngBytes(1536, 1152) });
    const thumb = await client.call<{ mime: string; bytes: Uint8Array }>('media.thumbnail', { id: item.id });
    expect(thumb.bytes).toBeInstanceOf(Uint8Array);
    const meta = await sharp(thumb.bytes).metadata();
    expect([thumb.mime, meta.format, meta.width, meta.height]).toEqual(['image/webp', 'webp', 768, 576]);
  });

  it('answers INVALID_INPUT and UNKNOWN_METHOD with the id of the request', async () => {
    const client = await open();
    const invalid = await client.request('project.create', { name: '' }, 41);
    expect(invalid).toMatchObject({ type: 'reply', id: 41, ok: false, error: { code: 'INVALID_INPUT' } });
    expect(invalid.ok === false && invalid.error.message).toMatch(/\(name\)/);
    const notBytes = await client.request('media.import', { name: 'a.png', bytes: [137, 80] }, 42);
    expect(notBytes).toMatchObject({ id: 42, ok: false, error: { code: 'INVALID_INPUT' } });
    const unknown = await client.request('project.explode', {}, 43);
    expect(unknown).toMatchObject({ id: 43, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    // The socket stays usable after refusals.
    expect((await client.request('app.info', {}, 44)).ok).toBe(true);
  });

  it('answers NO_PROJECT_OPEN for an import before any project', async () => {
    const client = await open();
    expect(await client.request('media.import', { name: 'a.png', bytes: await pngBytes(4, 4) }, 9)).toMatchObject({ id: 9, ok: false, error: { code: 'NO_PROJECT_OPEN' } });
  });

  it('survives the cancel of an in-flight import, and of an id it does not know', async () => {
    const client = await open();
    await client.call('project.create', { name: 'Cancel' });
    client.send({ type: 'cancel', id: 999 });
    // A WAV goes through ffprobe, a child process the cancel can stop.
    const id = client.sendRequest('media.import', { name: 'long.wav', bytes: pcm16Wav({ sampleRate: 48_000, frames: 48_000 * 20 }) });
    client.send({ type: 'cancel', id });
    const reply = await client.reply(id);
    // The cancel races the import: either it stopped it, or the import had already finished.
    if (reply.ok) expect(reply.result).toMatchObject({ item: { kind: 'audio' } });
    else expect(reply.error.code).toBe('CANCELLED');
    expect((await client.call<AppInfo>('app.info')).transport).toBe('web');
    expect((await client.call<ProjectSnapshot>('project.current')).media).toHaveLength(reply.ok ? 1 : 0);
  });
});

describe('web host, malformed traffic', () => {
  it('closes the socket with 1003 on a text frame', async () => {
    const client = await open();
    client.socket.send('{"type":"request","id":1,"method":"app.info","input":{}}');
    expect(await client.closed).toMatchObject({ code: 1003, reason: 'Binary frames only' });
  });

  it('closes the socket with 1007 on a malformed binary frame', async () => {
    const client = await open();
    client.socket.send(Uint8Array.of(200, 0, 0, 0, 123), { binary: true });
    expect(await client.closed).toMatchObject({ code: 1007, reason: expect.stringMatching(/header runs past the end/) });
  });

  it.each([
    ['a non-object message', '"hello"'],
    ['a message without an integer id', '{"type":"request","id":1.5,"method":"app.info"}'],
    ['an unknown message type', '{"type":"subscribe","id":1}'],
  ])('closes the socket with 1007 on %s', async (_what, json) => {
    const client = await open();
    const header = Buffer.from(json);
    const frame = Buffer.alloc(4 + header.byteLength);
    frame.writeUInt32LE(header.byteLength, 0);
    header.copy(frame, 4);
    client.socket.send(frame, { binary: true });
    expect((await client.closed).code).toBe(1007);
  });

  it('closes with 1002 on a WebSocket protocol violation, and keeps serving others', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bystander = await open();
    const client = await open();
    // FIN + reserved opcode 0x3, masked, empty payload: ws reports it as an 'error' event.
    (client.socket as unknown as { _socket: NodeJS.WritableStream })._socket.write(Buffer.from([0x83, 0x80, 1, 2, 3, 4]));
    expect((await client.closed).code).toBe(1002);
    expect(warn).toHaveBeenCalledWith('[web-host] socket error:', expect.stringMatching(/invalid opcode 3/));
    expect((await bystander.call<AppInfo>('app.info')).transport).toBe('web');
  });
});

describe('web host, close()', () => {
  it('terminates open sockets and frees the port', async () => {
    const client = await open();
    const port = fx.host.port;
    await fx.host.close();
    expect((await client.closed).code).toBe(1006);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    // The port can be taken again at once.
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });

  it('stops forwarding events after close', async () => {
    await fx.host.close();
    expect(fx.studio.events.listenerCount('project.changed')).toBe(0);
    expect(fx.studio.events.listenerCount('menu.command')).toBe(0);
  });
});
