/**
 * A WebSocket client for tests of the loopback web host: speaks the binary framing of
 * src/shared/api/wire.ts, queues what the server sends, and lets a test wait for a reply by id,
 * an event by name, or the close code.
 */
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, type ClientMessage, type ServerMessage } from '../../src/shared/api/wire.ts';

export type ReplyMessage = Extract<ServerMessage, { type: 'reply' }>;
export type EventMessage = Extract<ServerMessage, { type: 'event' }>;

export interface HandshakeOptions {
  /** Sent as the Origin header when given. */
  origin?: string;
  /** Sent as the Cookie header when given. */
  cookie?: string;
  /** Default '/api'. */
  path?: string;
}

export type Handshake = { ok: true; client: WsTestClient } | { ok: false; status: number };

/** Opens a socket to 127.0.0.1:port; resolves with the client, or with the HTTP status of a refusal. */
export function tryConnect(port: number, options: HandshakeOptions = {}): Promise<Handshake> {
  const headers: Record<string, string> = {};
  if (options.origin !== undefined) headers.Origin = options.origin;
  if (options.cookie !== undefined) headers.Cookie = options.cookie;
  const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/api'}`, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ ok: true, client: new WsTestClient(socket) }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ ok: false, status: res.statusCode ?? 0 });
      res.resume();
      socket.terminate();
    });
    socket.on('error', (error) => reject(error)); // a no-op once settled
  });
}

/** Like tryConnect, but a refused handshake fails the test. */
export async function connect(port: number, options: HandshakeOptions): Promise<WsTestClient> {
  const result = await tryConnect(port, options);
  if (!result.ok) throw new Error(`WebSocket handshake refused with HTTP ${result.status}`);
  return result.client;
}

interface Waiter {
  accepts(message: ServerMessage): boolean;
  resolve(message: ServerMessage): void;
}

export class WsTestClient {
  readonly socket: WebSocket;
  /** Resolves once the socket has closed, with the code and reason the client saw. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Messages received and not yet taken by a wait. */
  private readonly inbox: ServerMessage[] = [];
  private readonly waiters = new Set<Waiter>();
  private nextId = 1;

  constructor(socket: WebSocket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    // A refused or broken connection shows up in `closed`; keep 'error' from throwing.
    socket.on('error', () => undefined);
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary || !Buffer.isBuffer(data)) throw new Error('The host sent a non-binary message');
      const message = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as ServerMessage;
      for (const waiter of this.waiters) {
        if (waiter.accepts(message)) {
          this.waiters.delete(waiter);
          waiter.resolve(message);
          return;
        }
      }
      this.inbox.push(message);
    });
  }

  /** Sends one framed message. */
  send(message: ClientMessage): void {
    this.socket.send(encodeFrame(message), { binary: true });
  }

  /** Sends a request and returns its id, without waiting. */
  sendRequest(method: string, input: unknown, id = this.nextId++): number {
    this.send({ type: 'request', id, method, input });
    return id;
  }

  /** Sends a request and waits for the reply that carries its id. */
  async request(method: string, input: unknown = {}, id?: number): Promise<ReplyMessage> {
    return this.reply(this.sendRequest(method, input, id));
  }

  /** Like request, but a failed reply throws, and the result is returned as T. */
  async call<T>(method: string, input: unknown = {}): Promise<T> {
    const reply = await this.request(method, input);
    if (!reply.ok) throw new Error(`${method} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.result as T;
  }

  reply(id: number, timeoutMs = 20_000): Promise<ReplyMessage> {
    return this.waitFor((m): m is ReplyMessage => m.type === 'reply' && m.id === id, `reply ${id}`, timeoutMs);
  }

  event(name: string, timeoutMs = 20_000): Promise<EventMessage> {
    return this.waitFor((m): m is EventMessage => m.type === 'event' && m.event === name, `event ${name}`, timeoutMs);
  }

  /** Resolves with the first queued or future message the predicate accepts, and takes it. */
  waitFor<T extends ServerMessage>(accepts: (m: ServerMessage) => m is T, what: string, timeoutMs: number): Promise<T> {
    const index = this.inbox.findIndex(accepts);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0] as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter: Waiter = {
        accepts,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Messages received and not taken by any wait, oldest first. */
  unclaimed(): readonly ServerMessage[] {
    return this.inbox;
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close();
    return this.closed;
  }
}
