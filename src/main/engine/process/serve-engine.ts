/**
 * The engine process's side of the RPC: runs one handler per request, answers with its result or
 * error, honours cancel, and forwards progress (coalesced, so a tight loop cannot flood the
 * channel). Announces `ready` once listening. An uncaught exception ends the process with
 * ENGINE_FAULT_EXIT_CODE, so the host reports a crash instead of waiting on a broken engine.
 */
import { ApiError, type ApiErrorData } from '../../../shared/api/errors.ts';
import type { EnginePort } from './engine-transport.ts';
import {
  describeMessage,
  ENGINE_FAULT_EXIT_CODE,
  parseHostMessage,
  type ArgsOf,
  type EngineMethodMap,
  type RequestMessage,
  type ResultOf,
} from './rpc-messages.ts';

/** What a handler gets besides its arguments. */
export interface EngineTask {
  /** Aborted when the host cancels this request; check it between steps, pass it on to I/O. */
  signal: AbortSignal;
  /** Reports progress; values may be coalesced, and the latest one always arrives before the result. */
  progress(value: unknown): void;
}

export type EngineHandlers<M extends EngineMethodMap<M>> = {
  [K in keyof M]: (args: ArgsOf<M[K]>, task: EngineTask) => Promise<ResultOf<M[K]>> | ResultOf<M[K]>;
};

export interface ServeEngineOptions {
  /** Least time between two progress messages of one request, ms. Default 50 (20 per second). */
  progressIntervalMs?: number;
  /**
   * Exit with ENGINE_FAULT_EXIT_CODE on an uncaught exception or unhandled rejection. Default
   * true; off only where the process is not the engine's own (a test running in-process).
   */
  exitOnFault?: boolean;
  /** Where protocol warnings go; default console.warn. */
  log?: (line: string) => void;
}

/** One running request: its cancel switch and its pending progress. */
class RunningTask {
  readonly controller = new AbortController();
  private lastSentAt = -Infinity;
  private queued: { value: unknown } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  finished = false;
  private readonly id: number;
  private readonly port: EnginePort;
  private readonly intervalMs: number;

  constructor(id: number, port: EnginePort, intervalMs: number) {
    this.id = id;
    this.port = port;
    this.intervalMs = intervalMs;
  }

  progress(value: unknown): void {
    if (this.finished || this.controller.signal.aborted) return;
    this.queued = { value };
    const wait = this.lastSentAt + this.intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Sends the queued progress value now, if any. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.queued) return;
    const { value } = this.queued;
    this.queued = null;
    this.lastSentAt = performance.now();
    this.port.postMessage({ type: 'progress', id: this.id, value });
  }

  finish(): void {
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Serves `handlers` over `port` until the returned function is called (normally never: the engine
 * lives until the host kills it or goes away).
 */
export function serveEngine<M extends EngineMethodMap<M>>(
  handlers: EngineHandlers<M>,
  port: EnginePort,
  options: ServeEngineOptions = {},
): () => void {
  const intervalMs = options.progressIntervalMs ?? 50;
  const log = options.log ?? ((line: string) => console.warn(line));
  const running = new Map<number, RunningTask>();
  const table = handlers as unknown as Record<string, (args: unknown, task: EngineTask) => unknown>;

  const run = async (request: RequestMessage): Promise<void> => {
    if (running.has(request.id)) {
      log(`[engine] ignored a second request with id ${request.id}`);
      return;
    }
    const task = new RunningTask(request.id, port, intervalMs);
    running.set(request.id, task);
    const { signal } = task.controller;
    try {
      if (!Object.hasOwn(table, request.method)) {
        throw new ApiError('UNKNOWN_METHOD', `The engine has no method named ${request.method}`);
      }
      const value = await table[request.method]!(request.args, { signal, progress: (v) => task.progress(v) });
      // A cancelled request's caller has already been answered: its result is stale.
      if (signal.aborted) return;
      task.flush();
      port.postMessage({ type: 'result', id: request.id, ok: true, value });
    } catch (error) {
      if (signal.aborted) return;
      task.flush();
      port.postMessage({ type: 'result', id: request.id, ok: false, error: toEngineErrorData(error) });
    } finally {
      task.finish();
      running.delete(request.id);
    }
  };

  const stopListening = port.onMessage((raw) => {
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      log(`[engine] dropped a malformed message (${parsed.reason}): ${describeMessage(raw)}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'request') void run(message);
    // A cancel for a request that already finished crossed its result on the way: nothing to do.
    else running.get(message.id)?.controller.abort(new ApiError('CANCELLED', 'The engine task was cancelled'));
  });

  const onFault = (error: unknown): void => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`[engine] uncaught error, stopping the engine: ${detail}`);
    process.exit(ENGINE_FAULT_EXIT_CODE);
  };
  const exitOnFault = options.exitOnFault ?? true;
  if (exitOnFault) process.on('uncaughtException', onFault);

  port.postMessage({ type: 'ready', methods: Object.keys(table) });

  return () => {
    stopListening();
    if (exitOnFault) process.off('uncaughtException', onFault);
    for (const task of running.values()) {
      task.finish();
      task.controller.abort(new ApiError('CANCELLED', 'The engine is stopping'));
    }
    running.clear();
  };
}

/** ApiErrors cross as they are; anything else is a bug in the engine, reported as INTERNAL. */
function toEngineErrorData(error: unknown): ApiErrorData {
  if (error instanceof ApiError) return error.toData();
  return { code: 'INTERNAL', message: `The engine failed: ${error instanceof Error ? error.message : String(error)}` };
}
