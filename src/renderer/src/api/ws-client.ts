/**
 * The `StudioClient` over the loopback web host's WebSocket (`/api`).
 *
 * Every request carries an id and waits in `pending` until its reply; replies resolve or reject
 * with `ApiError.fromData`; cancelling sends `{ type: 'cancel' }` and rejects at once; events go
 * to subscribers. When the socket closes, everything pending rejects with DISCONNECTED and so
 * does every later call: the host's token changes on restart, so there is nothing to reconnect to
 * (the UI tells the user instead). Frames are the binary layout of `shared/api/wire.ts`.
 *
 * No DOM types are needed: the socket constructor is injected, so unit tests drive a fake one.
 */
import type { ApiInput, ApiOutput, EventName, MethodName, StudioClient, StudioEvents } from '../../../shared/api/contract.ts';
import { ApiError, isApiErrorData } from '../../../shared/api/errors.ts';
import { decodeFrame, encodeFrame, type ClientMessage } from '../../../shared/api/wire.ts';
import { Emitter } from '../../../shared/events/emitter.ts';
import type { ConnectionEvents, ConnectionState, StudioConnection } from './connection.ts';

/** The part of the browser's WebSocket this client uses. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketConstructor = new (url: string) => SocketLike;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: ApiError) => void;
  /** Detaches the abort listener, if any. */
  cleanup: () => void;
}

const OPEN = 1;

export class WebSocketStudioClient implements StudioClient, StudioConnection {
  readonly transport = 'web' as const;
  private readonly socket: SocketLike;
  private readonly pending = new Map<number, Pending>();
  private readonly events = new Emitter<StudioEvents>();
  private readonly connectionEvents = new Emitter<ConnectionEvents>();
  /** Frames sent before the socket opened, flushed on open. */
  private queue: Uint8Array<ArrayBuffer>[] = [];
  private nextId = 1;
  private stateValue: ConnectionState = 'connecting';
  /** Settles when the socket opens (resolves) or closes first (rejects). */
  readonly ready: Promise<void>;

  constructor(url: string, Socket: SocketConstructor) {
    this.socket = new Socket(url);
    this.socket.binaryType = 'arraybuffer';
    let settle: { resolve: () => void; reject: (e: ApiError) => void } | null = null;
    this.ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Callers that never await `ready` must not see an unhandled rejection.
    this.ready.catch(() => undefined);
    this.socket.onopen = () => {
      this.setState('open');
      const queued = this.queue;
      this.queue = [];
      for (const frame of queued) this.socket.send(frame);
      settle?.resolve();
    };
    this.socket.onmessage = (event) => this.receive(event.data);
    this.socket.onerror = () => {
      // A close event always follows; that is where pending requests are rejected.
    };
    this.socket.onclose = (event) => {
      const wasOpen = this.stateValue === 'open';
      this.shutDown(
        wasOpen
          ? `Connection to the studio lost (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`
          : 'Could not connect to the studio',
      );
      settle?.reject(new ApiError('DISCONNECTED', 'Could not connect to the studio'));
    };
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  call<M extends MethodName>(method: M, input: ApiInput<M>, options?: { signal?: AbortSignal }): Promise<ApiOutput<M>> {
    if (this.stateValue === 'closed') {
      return Promise.reject(new ApiError('DISCONNECTED', 'Connection to the studio lost'));
    }
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(new ApiError('CANCELLED', `${method} was cancelled`));
    const id = this.nextId++;
    return new Promise<ApiOutput<M>>((resolve, reject) => {
      const onAbort = (): void => {
        const entry = this.pending.get(id);
        if (!entry) return;
        this.pending.delete(id);
        entry.cleanup();
        this.send({ type: 'cancel', id });
        reject(new ApiError('CANCELLED', `${method} was cancelled`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: resolve as (value: unknown) => void,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      });
      this.send({ type: 'request', id, method, input });
    });
  }

  on<E extends EventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  onConnection<E extends keyof ConnectionEvents>(event: E, listener: (payload: ConnectionEvents[E]) => void): () => void {
    return this.connectionEvents.on(event, listener);
  }

  /** Closes the socket on purpose; pending requests reject with DISCONNECTED. */
  dispose(): void {
    this.shutDown('The studio client was closed');
    this.socket.close(1000, 'client disposed');
  }

  private send(message: ClientMessage): void {
    // encodeFrame allocates a fresh ArrayBuffer-backed array; the type just does not say so.
    const frame = encodeFrame(message) as Uint8Array<ArrayBuffer>;
    if (this.socket.readyState === OPEN && this.stateValue === 'open') this.socket.send(frame);
    else if (this.stateValue === 'connecting') this.queue.push(frame);
    // Closed: nothing to send to; the caller was already rejected.
  }

  private receive(data: unknown): void {
    let message: unknown;
    try {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : null;
      if (bytes === null) throw new Error(`expected a binary frame, got ${typeof data}`);
      message = decodeFrame(bytes);
    } catch (error) {
      console.warn('[studio] dropped a malformed frame:', error);
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    if (m.type === 'reply' && typeof m.id === 'number') {
      const entry = this.pending.get(m.id);
      if (!entry) return; // Cancelled or unknown: the caller has moved on.
      this.pending.delete(m.id);
      entry.cleanup();
      if (m.ok === true) entry.resolve(m.result);
      else if (isApiErrorData(m.error)) entry.reject(ApiError.fromData(m.error));
      else entry.reject(new ApiError('INTERNAL', `Malformed error reply to ${entry.method}`));
    } else if (m.type === 'event' && typeof m.event === 'string') {
      // Unknown event names have no listeners, so emitting them is harmless.
      this.events.emit(m.event as EventName, m.payload as never);
    }
  }

  private setState(state: ConnectionState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.connectionEvents.emit('state', state);
  }

  private shutDown(reason: string): void {
    if (this.stateValue === 'closed') return;
    this.queue = [];
    this.setState('closed');
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      entry.cleanup();
      entry.reject(new ApiError('DISCONNECTED', reason));
    }
  }
}
