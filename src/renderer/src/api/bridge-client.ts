/**
 * The `StudioClient` over the Electron preload bridge (`window.studioBridge`). Replies come back
 * as envelopes; an IPC failure (window torn down) counts as a lost connection.
 */
import type { ApiInput, ApiOutput, EventName, MethodName, StudioClient, StudioEvents } from '../../../shared/api/contract.ts';
import type { StudioBridge } from '../../../shared/api/bridge.ts';
import { ApiError } from '../../../shared/api/errors.ts';
import { Emitter } from '../../../shared/events/emitter.ts';
import type { ConnectionEvents, ConnectionState, StudioConnection } from './connection.ts';

/**
 * Request ids are unique per window, not per client: the main process keys cancellation by
 * (window, id), and a second client (React StrictMode remounts in development) must not reuse ids.
 */
let nextRequestId = 1;

export class BridgeStudioClient implements StudioClient, StudioConnection {
  readonly transport = 'electron' as const;
  private readonly bridge: StudioBridge;
  private readonly events = new Emitter<StudioEvents>();
  private readonly connectionEvents = new Emitter<ConnectionEvents>();
  private readonly unsubscribe: () => void;
  private stateValue: ConnectionState = 'open';

  constructor(bridge: StudioBridge) {
    this.bridge = bridge;
    this.unsubscribe = bridge.onEvent((event, payload) => this.events.emit(event as EventName, payload as never));
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  async call<M extends MethodName>(method: M, input: ApiInput<M>, options?: { signal?: AbortSignal }): Promise<ApiOutput<M>> {
    if (this.stateValue === 'closed') throw new ApiError('DISCONNECTED', 'Connection to the studio lost');
    const signal = options?.signal;
    if (signal?.aborted) throw new ApiError('CANCELLED', `${method} was cancelled`);
    const id = nextRequestId++;
    let cancelled = false;
    const onAbort = (): void => {
      cancelled = true;
      this.bridge.cancel(id);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const envelope = await this.bridge.request(id, method, input);
      if (cancelled) throw new ApiError('CANCELLED', `${method} was cancelled`);
      if (envelope.ok) return envelope.result as ApiOutput<M>;
      throw ApiError.fromData(envelope.error);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      this.close();
      throw new ApiError('DISCONNECTED', `Connection to the studio lost: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  on<E extends EventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  onConnection<E extends keyof ConnectionEvents>(event: E, listener: (payload: ConnectionEvents[E]) => void): () => void {
    return this.connectionEvents.on(event, listener);
  }

  dispose(): void {
    this.close();
  }

  private close(): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.unsubscribe();
    this.connectionEvents.emit('state', 'closed');
  }
}
