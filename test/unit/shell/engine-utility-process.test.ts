/**
 * The engine in an Electron utility process. Electron's binary is not here, so utilityProcess is
 * a fake that delivers messages by structured clone to a parentPort in this process, where the
 * real serveEngine answers them: the real EngineHost and adapter run end to end over it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  type Listener = (...args: never[]) => void;
  class FakeEmitter {
    private readonly listeners = new Map<string, Set<Listener>>();
    on(event: string, listener: Listener): this {
      if (!this.listeners.has(event)) this.listeners.set(event, new Set());
      this.listeners.get(event)!.add(listener);
      return this;
    }
    once(event: string, listener: Listener): this {
      const once = ((...args: never[]) => {
        this.off(event, once);
        listener(...args);
      }) as Listener;
      return this.on(event, once);
    }
    off(event: string, listener: Listener): this {
      this.listeners.get(event)?.delete(listener);
      return this;
    }
    emit(event: string, ...args: unknown[]): void {
      for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (...a: unknown[]) => void)(...args);
    }
    count(event: string): number {
      return this.listeners.get(event)?.size ?? 0;
    }
  }

  let nextPid = 5000;
  /** The engine's end: what `process.parentPort` is inside a utility process. */
  class FakeParentPort extends FakeEmitter {
    child: FakeUtilityProcess | null = null;
    postMessage(message: unknown): void {
      const copy = structuredClone(message);
      setImmediate(() => this.child?.pid !== undefined && this.child.emit('message', copy));
    }
  }
  class FakeUtilityProcess extends FakeEmitter {
    pid: number | undefined = nextPid++;
    readonly modulePath: string;
    readonly args: string[];
    readonly options: Record<string, unknown>;
    readonly parentPort = new FakeParentPort();
    readonly posted: unknown[] = [];
    kills = 0;
    constructor(modulePath: string, args: string[], options: Record<string, unknown>) {
      super();
      this.modulePath = modulePath;
      this.args = args;
      this.options = options;
      this.parentPort.child = this;
    }
    postMessage(message: unknown): void {
      this.posted.push(message);
      const copy = structuredClone(message);
      setImmediate(() => this.parentPort.emit('message', { data: copy, ports: [] }));
    }
    kill(): boolean {
      this.kills++;
      setImmediate(() => this.exit(143));
      return true;
    }
    /** What Electron does when the process has ended. */
    exit(code: number): void {
      if (this.pid === undefined) return;
      this.pid = undefined;
      this.emit('exit', code);
    }
  }

  const forks: FakeUtilityProcess[] = [];
  const started: { onFork: (child: FakeUtilityProcess) => void } = { onFork: () => undefined };
  const utilityProcess = {
    fork: vi.fn((modulePath: string, args: string[] = [], options: Record<string, unknown> = {}) => {
      const child = new FakeUtilityProcess(modulePath, args, options);
      forks.push(child);
      started.onFork(child);
      return child;
    }),
  };
  return { utilityProcess, forks, started, FakeParentPort };
});

vi.mock('electron', async () => ({ ...(await import('./electron-stub.ts')), utilityProcess: fake.utilityProcess }));

import type { ParentPort } from 'electron';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { ENGINE_SERVICE_NAME, spawnUtilityEngine, utilityParentPort } from '../../../src/main/shell/engine-utility-process.ts';
import { EngineHost } from '../../../src/main/engine/process/engine-host.ts';
import { connectToParent } from '../../../src/main/engine/process/engine-transport.ts';
import { serveEngine, type EngineHandlers } from '../../../src/main/engine/process/serve-engine.ts';

interface Methods {
  scale: (args: { values: Float32Array; by: number }) => Promise<Float32Array>;
  wait: (args: null) => Promise<never>;
}

const handlers: EngineHandlers<Methods> = {
  scale: ({ values, by }, { progress }) => {
    progress({ done: 1, total: 1 });
    return values.map((v) => v * by);
  },
  wait: () => new Promise<never>(() => undefined),
};

const ENTRY = '/opt/studio/out/main/engine.js';
const hosts: Array<EngineHost<Methods>> = [];
const stops: Array<() => void> = [];

function hostOverUtilityProcess(): EngineHost<Methods> {
  fake.started.onFork = (child) => {
    stops.push(serveEngine(handlers, utilityParentPort(child.parentPort as unknown as ParentPort), { exitOnFault: false }));
  };
  const host = new EngineHost<Methods>({ spawn: () => spawnUtilityEngine(ENTRY, { heapLimitMb: 4096 }) });
  hosts.push(host);
  return host;
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => expect.fail('expected the call to reject'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('engine in an Electron utility process', () => {
  beforeEach(() => {
    fake.forks.length = 0;
    fake.utilityProcess.fork.mockClear();
  });
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.dispose()));
    for (const stop of stops.splice(0)) stop();
    fake.started.onFork = () => undefined;
  });

  it('forks the engine bundle with the heap limit, a service name and inherited logs', () => {
    const engine = spawnUtilityEngine(ENTRY, { heapLimitMb: 2048, execArgv: ['--trace-warnings'] });
    expect(fake.utilityProcess.fork).toHaveBeenCalledWith(ENTRY, [], {
      execArgv: ['--trace-warnings', '--max-old-space-size=2048'],
      env: process.env,
      serviceName: ENGINE_SERVICE_NAME,
      stdio: 'inherit',
    });
    expect(engine.pid).toBe(fake.forks[0]!.pid);
    engine.kill();
  });

  it('serves calls end to end: typed arrays, progress and results', async () => {
    const host = hostOverUtilityProcess();
    const progress: unknown[] = [];
    const result = await host.call('scale', { values: new Float32Array([1, 2, 3]), by: 2 }, { onProgress: (v) => progress.push(v) });
    expect(result).toEqual(new Float32Array([2, 4, 6]));
    expect(progress).toEqual([{ done: 1, total: 1 }]);
    expect(fake.forks[0]!.posted).toEqual([{ type: 'request', id: 1, method: 'scale', args: { values: new Float32Array([1, 2, 3]), by: 2 } }]);
  });

  it('reports an exit as a crash, naming a V8 fatal error when Electron reported one, and restarts', async () => {
    const host = hostOverUtilityProcess();
    await host.start();
    const first = fake.forks[0]!;
    const call = rejection(host.call('wait', null));
    await vi.waitFor(() => expect(first.posted).toHaveLength(1));
    first.emit('error', 'FatalError', 'v8::internal::Heap::FatalProcessOutOfMemory', '{}');
    first.exit(133);
    const error = await call;
    expect(error.code).toBe('ENGINE_CRASHED');
    expect(error.message).toBe(
      'The engine stopped unexpectedly (FatalError at v8::internal::Heap::FatalProcessOutOfMemory, possibly out of memory). Your project is safe; try again.',
    );

    const again = await host.call('scale', { values: new Float32Array([1]), by: 3 });
    expect(again).toEqual(new Float32Array([3]));
    expect(fake.forks).toHaveLength(2);
    expect(host.restarts).toBe(1);

    const crashes: string[] = [];
    host.events.on('crashed', ({ message }) => crashes.push(message));
    fake.forks[1]!.exit(9);
    await vi.waitFor(() => expect(crashes).toEqual(['The engine stopped unexpectedly (exit code 9). Your project is safe; try again.']));
    expect(host.pid).toBeUndefined();
  });

  it('kills the process once on dispose, and sends nothing to a process that has ended', async () => {
    const host = hostOverUtilityProcess();
    await host.start();
    const child = fake.forks[0]!;
    const pending = rejection(host.call('wait', null));
    await host.dispose();
    expect((await pending).code).toBe('DISCONNECTED');
    expect(child.kills).toBe(1);
    expect(child.pid).toBeUndefined();
    expect(child.count('message')).toBe(0);

    const engine = spawnUtilityEngine(ENTRY);
    const spawned = fake.forks[1]!;
    spawned.exit(0);
    engine.postMessage({ type: 'cancel', id: 1 });
    engine.kill();
    expect(spawned.posted).toEqual([]);
    expect(spawned.kills).toBe(0);
    const exits: unknown[] = [];
    engine.onExit((...args) => exits.push(args));
    await Promise.resolve();
    expect(exits).toEqual([[0, null, undefined]]);
  });
});

describe("the engine's end in a utility process", () => {
  afterEach(() => {
    delete (process as unknown as { parentPort?: unknown }).parentPort;
  });

  it('unwraps message events and posts replies through parentPort', () => {
    const parentPort = new fake.FakeParentPort();
    const posted = vi.spyOn(parentPort, 'postMessage');
    const port = utilityParentPort(parentPort as unknown as ParentPort);
    const received: unknown[] = [];
    const stop = port.onMessage((message) => received.push(message));
    parentPort.emit('message', { data: { type: 'cancel', id: 3 }, ports: [] });
    port.postMessage({ type: 'ready', methods: [] });
    stop();
    parentPort.emit('message', { data: 'after stop', ports: [] });
    expect(received).toEqual([{ type: 'cancel', id: 3 }]);
    expect(posted).toHaveBeenCalledWith({ type: 'ready', methods: [] });
    expect(parentPort.count('message')).toBe(0);
  });

  it('is what connectToParent finds in a utility process, without importing electron', () => {
    const parentPort = new fake.FakeParentPort();
    (process as unknown as { parentPort?: unknown }).parentPort = parentPort;
    const posted = vi.spyOn(parentPort, 'postMessage');
    connectToParent().postMessage({ type: 'ready', methods: ['a'] });
    expect(posted).toHaveBeenCalledWith({ type: 'ready', methods: ['a'] });
  });
});
