/**
 * How the engine process is started and how its two ends exchange messages, whatever hosts it:
 *  - parent side: `EngineProcess`, made by `spawnNodeEngine` (child_process.fork, for the web
 *    host, the CLI and tests) or by `spawnUtilityEngine` in src/main/shell (Electron's
 *    utilityProcess, for the desktop app);
 *  - child side: `EnginePort`, from `connectToParent()`, which finds Electron's
 *    `process.parentPort` or Node's IPC channel without importing electron.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { EngineMessage, HostMessage } from './rpc-messages.ts';

/**
 * Why the process ended: an exit code, or the signal that killed it (POSIX, Node only), plus a
 * reason when the platform says more (a spawn failure, Electron's V8 FatalError report).
 */
export type EngineExitListener = (code: number | null, signal: NodeJS.Signals | null, reason?: string) => void;

/** The parent's handle on one engine process. */
export interface EngineProcess {
  /** The OS process id; undefined before spawn and after a failed one. */
  readonly pid: number | undefined;
  /** Sends a message; one sent to a process that has gone is dropped (its exit is reported). */
  postMessage(message: HostMessage): void;
  /** Raw, unvalidated messages from the engine. Returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called once, when the process has ended. Returns the unsubscribe function. */
  onExit(listener: EngineExitListener): () => void;
  /** Stops the process; it is certain to end (escalating to SIGKILL where needed). */
  kill(): void;
}

/** The engine's end of the channel. */
export interface EnginePort {
  postMessage(message: EngineMessage): void;
  /** Raw, unvalidated messages from the host. Returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

export interface EngineLaunchOptions {
  /** Extra Node/V8 flags for the engine. The parent's own flags are never inherited. */
  execArgv?: string[];
  /** The engine's environment; default: this process's. */
  env?: NodeJS.ProcessEnv;
  /**
   * V8 old-space limit in MiB (--max-old-space-size); default: V8's own, which depends on the
   * machine. Typed arrays live outside that heap, so this bounds JS objects, not tensors.
   */
  heapLimitMb?: number;
}

export interface NodeEngineOptions extends EngineLaunchOptions {
  /**
   * Where the engine's stdout/stderr go: 'inherit' (default) shares this process's, or a
   * function that receives each line (say, to prefix and log it).
   */
  logs?: 'inherit' | ((line: string, stream: 'stdout' | 'stderr') => void);
  /** How long kill() waits after SIGTERM before SIGKILL, ms. Default 2000. */
  killGraceMs?: number;
}

/** The Node/V8 flags for an engine process. */
export function engineExecArgv(options: EngineLaunchOptions): string[] {
  const args = [...(options.execArgv ?? [])];
  if (options.heapLimitMb !== undefined) {
    if (!Number.isInteger(options.heapLimitMb) || options.heapLimitMb <= 0) {
      throw new RangeError(`heapLimitMb must be a positive whole number of MiB, got ${options.heapLimitMb}`);
    }
    args.push(`--max-old-space-size=${options.heapLimitMb}`);
  }
  return args;
}

/** Each exit listener runs once, whichever of 'exit' or a spawn 'error' comes first. */
class ExitNotifier {
  private readonly listeners = new Set<EngineExitListener>();
  private ended: Parameters<EngineExitListener> | null = null;

  get hasEnded(): boolean {
    return this.ended !== null;
  }

  add(listener: EngineExitListener): () => void {
    if (this.ended) {
      const ended = this.ended;
      queueMicrotask(() => listener(...ended));
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  notify(...ended: Parameters<EngineExitListener>): void {
    if (this.ended) return;
    this.ended = ended;
    for (const listener of [...this.listeners]) listener(...ended);
    this.listeners.clear();
  }
}

function forwardLines(stream: Readable | null, name: 'stdout' | 'stderr', sink: (line: string, stream: 'stdout' | 'stderr') => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => sink(line, name));
}

/**
 * Starts `entry` (a .js bundle, or a .ts source file that Node 24 strips) in a child Node process.
 * Messages use 'advanced' serialization (V8's structured clone), so typed arrays arrive as typed
 * arrays; measured in test/integration/engine/engine-process.test.ts.
 */
export function spawnNodeEngine(entry: string, options: NodeEngineOptions = {}): EngineProcess {
  const logs = options.logs ?? 'inherit';
  const killGraceMs = options.killGraceMs ?? 2000;
  const child: ChildProcess = fork(entry, [], {
    execPath: process.execPath,
    execArgv: engineExecArgv(options),
    env: options.env ?? process.env,
    serialization: 'advanced',
    stdio: ['ignore', logs === 'inherit' ? 'inherit' : 'pipe', logs === 'inherit' ? 'inherit' : 'pipe', 'ipc'],
  });
  if (logs !== 'inherit') {
    forwardLines(child.stdout, 'stdout', logs);
    forwardLines(child.stderr, 'stderr', logs);
  }

  const exit = new ExitNotifier();
  let killTimer: NodeJS.Timeout | undefined;
  child.once('exit', (code, signal) => {
    clearTimeout(killTimer);
    exit.notify(code, signal);
  });
  // 'error' comes for a failed spawn (and then 'exit' may never come) or a failed kill; a send
  // to a closed channel reports through send's callback below instead.
  child.on('error', (error) => {
    if (child.pid === undefined) exit.notify(null, null, `could not start: ${error.message}`);
  });

  return {
    get pid() {
      return child.pid;
    },
    postMessage(message) {
      if (exit.hasEnded || !child.connected) return;
      child.send(message, (error) => {
        // The process died between the check and the write: its exit is on the way.
        if (error && !exit.hasEnded && child.connected) console.warn(`[engine] could not send ${message.type}: ${error.message}`);
      });
    },
    onMessage(listener) {
      child.on('message', listener);
      return () => {
        child.off('message', listener);
      };
    },
    onExit(listener) {
      return exit.add(listener);
    },
    kill() {
      if (exit.hasEnded || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      clearTimeout(killTimer);
      killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
      killTimer.unref();
    },
  };
}

/** Node's end of a fork()ed child's IPC channel. */
function nodeParentPort(): EnginePort {
  return {
    postMessage(message) {
      process.send?.(message);
    },
    onMessage(listener) {
      // An engine whose parent has gone has no one to answer: leave instead of lingering.
      const leave = (): never => process.exit(0);
      process.on('message', listener);
      process.once('disconnect', leave);
      return () => {
        process.off('message', listener);
        process.off('disconnect', leave);
      };
    },
  };
}

/** What the engine needs of Electron's `process.parentPort` (a utility process's channel). */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/** Electron's end of a utility process's channel; messages arrive wrapped in `{ data }`. */
export function parentPortAdapter(port: ParentPortLike): EnginePort {
  return {
    postMessage(message) {
      port.postMessage(message);
    },
    onMessage(listener) {
      const unwrap = (event: { data: unknown }): void => listener(event.data);
      port.on('message', unwrap);
      return () => {
        port.off('message', unwrap);
      };
    },
  };
}

/**
 * The channel to whoever started this engine: Electron's parentPort in a utility process, else
 * Node's IPC channel. Throws when there is neither (the engine was run by hand).
 */
export function connectToParent(): EnginePort {
  // Typed loosely on purpose: electron's types declare parentPort on every process.
  const parentPort = (process as unknown as { parentPort?: ParentPortLike | null }).parentPort;
  if (parentPort) return parentPortAdapter(parentPort);
  if (process.send) return nodeParentPort();
  throw new Error('The engine must be started by the studio (no parent process channel)');
}
