/**
 * The loopback web host: serves the built renderer and the studio API over a WebSocket, so the
 * real UI runs in any browser where Electron cannot (and end-to-end tests drive it in Chromium).
 * It listens on 127.0.0.1 only, on a free port, and every request and socket must carry the
 * per-run token (see token-auth.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { EventName } from '../../shared/api/contract.ts';
import { decodeFrame, encodeFrame, type ClientMessage, type ServerMessage } from '../../shared/api/wire.ts';
import type { Studio } from '../api/studio.ts';
import { dispatch } from '../api/dispatch.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { readStaticFile } from './static-files.ts';
import { isAllowedHost, isAllowedOrigin, newToken, sessionCookie, tokenFromCookie, tokensEqual } from './token-auth.ts';

export interface WebHostOptions {
  studio: Studio;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** For tests; a fresh random token otherwise. */
  token?: string;
}

export interface WebHost {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Largest WebSocket message: a media import travels in one frame. */
const MAX_FRAME_BYTES = 1024 * 1024 * 1024;
/** Every back-end event goes to the browser; a new event in the contract fails typecheck here until listed. */
const FORWARDED = { 'project.changed': true, 'menu.command': true, 'bake.progress': true, 'engine.status': true, 'export.progress': true } as const satisfies Record<EventName, true>;
const FORWARDED_EVENTS = Object.keys(FORWARDED) as EventName[];

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const server = createServer();
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let port = 0;

  const authorized = (req: IncomingMessage): boolean => {
    const fromCookie = tokenFromCookie(req, port);
    return fromCookie !== null && tokensEqual(fromCookie, token);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handleHttp(req, res).catch((error: unknown) => {
      console.error('[web-host] request failed:', error);
      if (!res.headersSent) reply(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) return reply(res, 421, 'Misdirected request: this host answers only to 127.0.0.1.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'Method not allowed');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      if (!tokensEqual(queryToken, token)) return reply(res, 403, 'Forbidden: wrong token. Open the URL the studio printed when it started.');
      // Trade the token in the URL for the cookie, and drop it from the address bar.
      url.searchParams.delete('token');
      res.writeHead(303, { ...SECURITY_HEADERS, 'Set-Cookie': sessionCookie(token, port), Location: `${url.pathname}${url.search}` });
      res.end();
      return;
    }
    if (!authorized(req)) return reply(res, 403, 'Forbidden: this studio needs its access token. Open the URL it printed when it started (…/?token=…).');
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) return reply(res, 404, 'Not found');
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Content-Length': file.body.byteLength });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', `http://127.0.0.1:${port}`).pathname;
    if (path !== '/api' || !isAllowedHost(req.headers.host, port) || !isAllowedOrigin(req.headers.origin, port) || !authorized(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    sockets.add(ws);
    const pending = new Map<number, AbortController>();
    const send = (message: ServerMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(message));
    };

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) return ws.close(1003, 'Binary frames only');
      let message: ClientMessage;
      try {
        message = parseClientMessage(decodeFrame(toBytes(data)));
      } catch (error) {
        return ws.close(1007, error instanceof Error ? error.message.slice(0, 120) : 'Malformed frame');
      }
      if (message.type === 'cancel') {
        pending.get(message.id)?.abort();
        return;
      }
      const controller = new AbortController();
      pending.set(message.id, controller);
      void dispatch(options.studio.handlers, message.method, message.input, { signal: controller.signal })
        .then((envelope) => send({ type: 'reply', id: message.id, ...envelope }))
        .finally(() => pending.delete(message.id));
    });

    // ws reports protocol violations (reserved opcode, oversized or invalid-UTF-8 frame) as 'error'
    // and closes the socket itself; with no listener the EventEmitter throws and the host dies.
    ws.on('error', (error: Error) => console.warn('[web-host] socket error:', error.message));

    ws.on('close', () => {
      sockets.delete(ws);
      for (const controller of pending.values()) controller.abort();
      pending.clear();
    });
  }

  const unsubscribers = FORWARDED_EVENTS.map((event) =>
    options.studio.events.on(event, (payload) => {
      const frame = encodeFrame({ type: 'event', event, payload });
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribers.forEach((off) => off());
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function parseClientMessage(value: unknown): ClientMessage {
  if (typeof value !== 'object' || value === null) throw new Error('Message must be an object');
  const m = value as Record<string, unknown>;
  if (typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) throw new Error('Message needs an integer id');
  if (m.type === 'cancel') return { type: 'cancel', id: m.id };
  if (m.type === 'request' && typeof m.method === 'string') {
    // Unknown names still reach dispatch, which answers UNKNOWN_METHOD with the request's id.
    return { type: 'request', id: m.id, method: m.method, input: m.input };
  }
  throw new Error('Unknown message type');
}
