/**
 * The main process's side of the engine RPC. Calls are id-tagged requests to an engine process
 * started on first use; each returns a promise, takes an AbortSignal and may report progress.
 *
 * When the engine dies (a native crash, out of memory, exit(n)), every call in flight rejects
 * with ENGINE_CRASHED and a message a creator can act on, `crashed` is emitted, and the next call
 * starts a fresh process (`restarted`). The project lives in the main process, so nothing is lost.
 * `dispose()` kills the engine and rejects what is pending with DISCONNECTED.
 */
import { ApiError } from '../../../shared/api/errors.ts';
import { Emitter } from '../../../shared/events/emitter.ts';
import type { EngineProcess } from './engine-transport.ts';
import { describeMessage, ENGINE_FAULT_EXIT_CODE, parseEngineMessage, type ArgsOf, type EngineMethodMap, type ResultOf } from './rpc-messages.ts';

export interface EngineHostEvents {
  /** The engine process ended unexpectedly; the calls in flight were rejected with ENGINE_CRASHED. */
  crashed: { message: string; exitCode: number | null; signal: string | null; rejectedCalls: number };
  /** A fresh engine process was started after a crash; `restarts` counts them since the host was made. */
  restarted: { restarts: number; pid: number | undefined };
}

export interface EngineHostOptions {
  /** Starts one engine process; called on first use and again after each crash. */
  spawn: () => EngineProcess;
  /** How long a new process may take to say it is ready before it counts as crashed, ms. Default 30000. */
  startTimeoutMs?: number;
  /** Where protocol warnings go; default console.warn. */
  log?: (line: string) => void;
}

export interface EngineCallOptions {
  /** Aborting rejects the call with CANCELLED at once and tells the engine to stop the work. */
  signal?: AbortSignal;
  /** The method's progress reports, in the order sent (intermediate values may be coalesced). */
  onProgress?: (value: unknown) => void;
}

/** One engine process and what the host knows of it. */
interface Running {
  process: EngineProcess;
  isReady: boolean;
  /** Resolves when the engine says it is ready; rejects if it dies or is disposed first. */
  ready: Promise<void>;
  markReady: () => void;
  failStart: (error: ApiError) => void;
  /** Resolves once the process has ended. */
  exited: Promise<void>;
  stopMessages: () => void;
  startTimer: ReturnType<typeof setTimeout> | undefined;
}

interface PendingCall {
  run: Running;
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: ApiError) => void;
  onProgress: ((value: unknown) => void) | undefined;
  /** Removes the abort listener. */
  release: () => void;
}

const SAFE_AND_RETRY = 'Your project is safe; try again.';

/** Says how an engine process ended, in words for the creator. */
export function describeEngineExit(code: number | null, signal: string | null, reason: string | undefined, wasReady: boolean): string {
  const what = wasReady ? 'The engine stopped unexpectedly' : 'The engine could not start';
  let how: string;
  if (reason) how = reason;
  else if (signal === 'SIGKILL' || signal === 'SIGABRT') how = `killed by ${signal}, possibly out of memory`;
  else if (signal) how = `killed by ${signal}`;
  else if (code === ENGINE_FAULT_EXIT_CODE) how = `an internal error, exit code ${code}; the log has the details`;
  else if (code !== null) how = `exit code ${code}`;
  else how = 'no exit code';
  return `${what} (${how}). ${SAFE_AND_RETRY}`;
}

export class EngineHost<M extends EngineMethodMap<M>> {
  readonly events = new Emitter<EngineHostEvents>();
  private readonly options: Required<EngineHostOptions>;
  private readonly pending = new Map<number, PendingCall>();
  private running: Running | null = null;
  private nextId = 1;
  private crashes = 0;
  private restartCount = 0;
  private disposed: Promise<void> | null = null;

  constructor(options: EngineHostOptions) {
    this.options = {
      spawn: options.spawn,
      startTimeoutMs: options.startTimeoutMs ?? 30_000,
      log: options.log ?? ((line) => console.warn(line)),
    };
  }

  /** Fresh processes started after crashes so far. */
  get restarts(): number {
    return this.restartCount;
  }

  /** The engine's process id, or undefined while none is running. */
  get pid(): number | undefined {
    return this.running?.process.pid;
  }

  /** Calls in flight. */
  get pendingCalls(): number {
    return this.pending.size;
  }

  /** Starts the engine now rather than on the first call; resolves when it is ready, rejects with ENGINE_CRASHED if it dies first. */
  async start(): Promise<void> {
    if (this.disposed) throw disconnected();
    await this.ensureRunning().ready;
  }

  call<K extends keyof M & string>(method: K, args: ArgsOf<M[K]>, options: EngineCallOptions = {}): Promise<ResultOf<M[K]>> {
    const { signal, onProgress } = options;
    if (this.disposed) return Promise.reject(disconnected());
    if (signal?.aborted) return Promise.reject(cancelled(method));
    const run = this.ensureRunning();
    const id = this.nextId++;
    return new Promise<ResultOf<M[K]>>((resolve, reject) => {
      let sent = false;
      const onAbort = (): void => {
        if (!this.settle(id)) return;
        if (sent) run.process.postMessage({ type: 'cancel', id });
        reject(cancelled(method));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        run,
        method,
        resolve: resolve as (value: unknown) => void,
        reject,
        onProgress,
        release: () => signal?.removeEventListener('abort', onAbort),
      });
      run.ready.then(
        () => {
          if (!this.pending.has(id) || this.running !== run) return;
          sent = true;
          run.process.postMessage({ type: 'request', id, method, args });
        },
        // The death that failed the start rejected this call too.
        () => undefined,
      );
    });
  }

  /** Kills the engine; calls in flight reject with DISCONNECTED. Resolves once the process has ended. */
  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      this.rejectAll(() => disconnected());
      const run = this.running;
      this.running = null;
      if (run) {
        run.failStart(disconnected());
        this.stopListening(run);
        run.process.kill();
        await run.exited;
      }
      this.events.clear();
    })();
    return this.disposed;
  }

  private ensureRunning(): Running {
    if (this.running) return this.running;
    const run = this.launch();
    this.running = run;
    if (this.crashes > this.restartCount) {
      this.restartCount = this.crashes;
      this.events.emit('restarted', { restarts: this.restartCount, pid: run.process.pid });
    }
    return run;
  }

  private launch(): Running {
    const child = this.options.spawn();
    let markReady!: () => void;
    let failStart!: (error: ApiError) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // Only start() awaits this; calls learn of a failed start through their own rejection.
    ready.catch(() => undefined);
    let markExited!: () => void;
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const run: Running = { process: child, isReady: false, ready, markReady, failStart, exited, stopMessages: () => undefined, startTimer: undefined };
    run.stopMessages = child.onMessage((raw) => this.receive(run, raw));
    // The exit listener stays for the process's whole life (it ends with it): `exited` must resolve
    // even after a crash was declared or dispose() began.
    child.onExit((code, signal, reason) => {
      markExited();
      this.crashed(run, describeEngineExit(code, signal, reason, run.isReady), code, signal);
    });
    run.startTimer = setTimeout(() => {
      const seconds = Math.round(this.options.startTimeoutMs / 100) / 10;
      this.crashed(run, `The engine did not start within ${seconds} s. ${SAFE_AND_RETRY}`, null, null);
      child.kill();
    }, this.options.startTimeoutMs);
    return run;
  }

  private receive(run: Running, raw: unknown): void {
    if (this.running !== run) return;
    const parsed = parseEngineMessage(raw);
    if (!parsed.ok) {
      this.options.log(`[engine-host] dropped a malformed message from the engine (${parsed.reason}): ${describeMessage(raw)}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'ready') {
      clearTimeout(run.startTimer);
      run.isReady = true;
      run.markReady();
      return;
    }
    // Messages for calls already settled (cancelled, or crossing a cancel) are stale: dropped.
    const call = this.pending.get(message.id);
    if (!call || call.run !== run) return;
    if (message.type === 'progress') {
      try {
        call.onProgress?.(message.value);
      } catch (error) {
        this.options.log(`[engine-host] a progress listener of ${call.method} threw: ${String(error)}`);
      }
      return;
    }
    this.settle(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(ApiError.fromData(message.error));
  }

  /** Forgets a pending call; false when it was already settled. */
  private settle(id: number): boolean {
    const call = this.pending.get(id);
    if (!call) return false;
    this.pending.delete(id);
    call.release();
    return true;
  }

  private rejectAll(makeError: () => ApiError, run?: Running): number {
    let count = 0;
    for (const [id, call] of [...this.pending]) {
      if (run && call.run !== run) continue;
      this.settle(id);
      call.reject(makeError());
      count++;
    }
    return count;
  }

  private stopListening(run: Running): void {
    clearTimeout(run.startTimer);
    run.stopMessages();
  }

  /** The engine `run` is gone (or given up on): reject its calls and let the next call restart it. */
  private crashed(run: Running, message: string, exitCode: number | null, signal: string | null): void {
    if (this.running !== run) return;
    this.running = null;
    this.stopListening(run);
    this.crashes++;
    const details = { exitCode, signal };
    run.failStart(new ApiError('ENGINE_CRASHED', message, details));
    const rejectedCalls = this.rejectAll(() => new ApiError('ENGINE_CRASHED', message, details), run);
    this.events.emit('crashed', { message, exitCode, signal, rejectedCalls });
  }
}

function cancelled(method: string): ApiError {
  return new ApiError('CANCELLED', `${method} was cancelled`);
}

function disconnected(): ApiError {
  return new ApiError('DISCONNECTED', 'The engine has been shut down');
}
