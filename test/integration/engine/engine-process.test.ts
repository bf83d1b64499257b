/**
 * The engine RPC over a real child process (test/integration/fixtures/echo-engine.ts): round
 * trips with big typed arrays, progress, cancel, crashes and restarts, dispose. The last block
 * runs serveEngine in this process over a fake port, for what a real child cannot show cheaply.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { EngineHost, type EngineHostEvents } from '../../../src/main/engine/process/engine-host.ts';
import { spawnNodeEngine, type EnginePort, type NodeEngineOptions } from '../../../src/main/engine/process/engine-transport.ts';
import { serveEngine } from '../../../src/main/engine/process/serve-engine.ts';
import { parseEngineMessage, type EngineMessage } from '../../../src/main/engine/process/rpc-messages.ts';
import { resolveEngineEntry } from '../../../src/main/engine/process/engine-entry-path.ts';
import type { EchoMethods } from '../fixtures/echo-engine.ts';

const ECHO_ENGINE = join(import.meta.dirname, '..', 'fixtures', 'echo-engine.ts');

interface Harness {
  host: EngineHost<EchoMethods>;
  /** The engine's stdout/stderr lines. */
  engineLog: string[];
  /** The host's protocol warnings. */
  hostLog: string[];
  crashed: Array<EngineHostEvents['crashed']>;
  restarted: Array<EngineHostEvents['restarted']>;
}

const made: Harness[] = [];

function startHost(options: NodeEngineOptions & { entry?: string; startTimeoutMs?: number } = {}): Harness {
  const { entry = ECHO_ENGINE, startTimeoutMs, ...launch } = options;
  const engineLog: string[] = [];
  const hostLog: string[] = [];
  const host = new EngineHost<EchoMethods>({
    spawn: () => spawnNodeEngine(entry, { logs: (line) => engineLog.push(line), ...launch }),
    log: (line) => hostLog.push(line),
    ...(startTimeoutMs === undefined ? {} : { startTimeoutMs }),
  });
  const harness: Harness = { host, engineLog, hostLog, crashed: [], restarted: [] };
  host.events.on('crashed', (event) => harness.crashed.push(event));
  host.events.on('restarted', (event) => harness.restarted.push(event));
  made.push(harness);
  return harness;
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected the call to reject');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  await Promise.all(made.splice(0).map(({ host }) => host.dispose()));
});

describe('engine process: a healthy engine', () => {
  // One engine for these tests: each child start costs a few hundred milliseconds.
  let shared: Harness;
  beforeAll(async () => {
    shared = startHost();
    made.splice(made.indexOf(shared), 1);
    await shared.host.start();
  });
  afterAll(() => shared.host.dispose());

  it('round-trips plain data and a 50 MB Float32Array', async () => {
    const { host } = shared;
    const plain = { text: 'héllo', n: 3.5, nested: [1, { ok: true }], none: null, bytes: new Uint8Array([1, 2, 3]) };
    expect(await host.call('echo', plain)).toEqual(plain);

    const big = new Float32Array((50 * 1024 * 1024) / 4);
    for (let i = 0; i < big.length; i++) big[i] = (i % 1000) * 0.5;
    const started = performance.now();
    const back = (await host.call('echo', big)) as Float32Array;
    const ms = performance.now() - started;
    expect(back).toBeInstanceOf(Float32Array);
    expect(back.length).toBe(big.length);
    expect(Buffer.compare(Buffer.from(back.buffer, back.byteOffset, back.byteLength), Buffer.from(big.buffer))).toBe(0);
    console.log(`[engine] 50 MiB Float32Array round trip (there and back): ${ms.toFixed(0)} ms`);

    const summed = await host.call('sum', { values: big.subarray(0, 4_000_000) });
    expect(summed).toEqual({ sum: 999_000_000, length: 4_000_000, type: 'Float32Array' });
  });

  it('delivers progress in order before the result', async () => {
    const seen: unknown[] = [];
    const result = await shared.host.call('slow', { tag: 'progress', steps: 4, stepMs: 60 }, { onProgress: (value) => seen.push(value) });
    expect(result).toEqual({ tag: 'progress', steps: 4 });
    expect(seen).toEqual([1, 2, 3, 4].map((step) => ({ step, of: 4 })));
  });

  it('coalesces a flood of progress, keeping order and the last value', async () => {
    const seen: number[] = [];
    expect(await shared.host.call('burst', { count: 100_000 }, { onProgress: (value) => seen.push(value as number) })).toBe(100_000);
    expect(seen.length).toBeLessThanOrEqual(3);
    expect(seen.at(-1)).toBe(100_000);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('cancels mid-task: CANCELLED at once, the handler stops, the engine stays usable', async () => {
    const { host } = shared;
    const pid = host.pid;
    const controller = new AbortController();
    const call = host.call('slow', { tag: 'cancel', steps: 100, stepMs: 20 }, { signal: controller.signal, onProgress: () => controller.abort() });
    const error = await rejection(call);
    expect(error.code).toBe('CANCELLED');

    await sleep(120);
    const stats = await host.call('stats', {});
    expect(stats.abortedTags).toContain('cancel');
    const stepsAtCancel = stats.stepsByTag.cancel!;
    expect(stepsAtCancel).toBeLessThan(5);
    await sleep(100);
    expect((await host.call('stats', {})).stepsByTag.cancel).toBe(stepsAtCancel);
    expect(await host.call('echo', 'after cancel')).toBe('after cancel');
    expect(host.pid).toBe(pid);
  });

  it('rejects a call whose signal is already aborted without running it', async () => {
    const error = await rejection(shared.host.call('slow', { tag: 'pre-aborted', steps: 1, stepMs: 1 }, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('CANCELLED');
    expect((await shared.host.call('stats', {})).stepsByTag['pre-aborted']).toBeUndefined();
  });

  it('matches concurrent calls to their replies by id, whatever order they finish in', async () => {
    const { host } = shared;
    const calls = [
      host.call('slow', { tag: 'long', steps: 3, stepMs: 40 }),
      host.call('slow', { tag: 'short', steps: 1, stepMs: 10 }),
      ...Array.from({ length: 20 }, (_, i) => host.call('echo', { i, payload: new Float64Array([i, -i]) })),
    ];
    const results = await Promise.all(calls);
    expect(results[0]).toEqual({ tag: 'long', steps: 3 });
    expect(results[1]).toEqual({ tag: 'short', steps: 1 });
    results.slice(2).forEach((result, i) => expect(result).toEqual({ i, payload: new Float64Array([i, -i]) }));
    expect(host.pendingCalls).toBe(0);
  });

  it('carries errors across as code and message', async () => {
    const { host } = shared;
    const api = await rejection(host.call('throw', { kind: 'api' }));
    expect(api.toData()).toEqual({ code: 'NOT_FOUND', message: 'No such avatar', details: { avatarId: 'a1' } });
    const plain = await rejection(host.call('throw', { kind: 'plain' }));
    expect(plain.code).toBe('INTERNAL');
    expect(plain.message).toBe('The engine failed: boom');
    const unknown = await rejection(host.call('nope' as keyof EchoMethods, {} as never));
    expect(unknown.code).toBe('UNKNOWN_METHOD');
  });

  it('drops malformed messages from the engine and carries on', async () => {
    const { host, hostLog } = shared;
    const before = hostLog.length;
    expect(await host.call('garbage', {})).toBe('still fine');
    const dropped = hostLog.slice(before).filter((line) => line.includes('dropped a malformed message'));
    expect(dropped).toHaveLength(7);
    expect(await host.call('echo', 1)).toBe(1);
    expect(shared.crashed).toEqual([]);
  });
});

describe('engine process: crashes and restarts', () => {
  it('reports exit(3) mid-call as ENGINE_CRASHED, rejects every call in flight, and restarts on the next call', async () => {
    const { host, crashed, restarted } = startHost();
    const firstPid = await host.call('pid', {});
    const hanging = host.call('hang', {});
    const error = await rejection(host.call('crash', { code: 3 }));
    expect(error.code).toBe('ENGINE_CRASHED');
    expect(error.message).toBe('The engine stopped unexpectedly (exit code 3). Your project is safe; try again.');
    expect(error.details).toEqual({ exitCode: 3, signal: null });
    expect((await rejection(hanging)).code).toBe('ENGINE_CRASHED');
    expect(crashed).toEqual([{ message: error.message, exitCode: 3, signal: null, rejectedCalls: 2 }]);
    expect(host.pid).toBeUndefined();
    expect(restarted).toEqual([]);

    const secondPid = await host.call('pid', {});
    expect(secondPid).not.toBe(firstPid);
    expect(host.restarts).toBe(1);
    expect(restarted).toEqual([{ restarts: 1, pid: secondPid }]);
  });

  it('reports a SIGKILL (the OOM killer) mid-call, then serves the next call from a fresh process', async () => {
    const { host, crashed } = startHost();
    let progressed!: () => void;
    const firstProgress = new Promise<void>((resolve) => (progressed = resolve));
    const call = host.call('slow', { tag: 'killed', steps: 100, stepMs: 20 }, { onProgress: () => progressed() });
    await firstProgress;
    const killedPid = host.pid!;
    process.kill(killedPid, 'SIGKILL');
    const error = await rejection(call);
    expect(error.code).toBe('ENGINE_CRASHED');
    expect(error.message).toBe('The engine stopped unexpectedly (killed by SIGKILL, possibly out of memory). Your project is safe; try again.');
    expect(crashed).toEqual([{ message: error.message, exitCode: null, signal: 'SIGKILL', rejectedCalls: 1 }]);

    expect(await host.call('echo', 'fresh')).toBe('fresh');
    expect(host.pid).not.toBe(killedPid);
    expect(host.restarts).toBe(1);
  });

  it('turns an uncaught exception in the engine into a crash with the fault exit code', async () => {
    const { host, engineLog } = startHost();
    const error = await rejection(host.call('throw', { kind: 'uncaught' }));
    expect(error.code).toBe('ENGINE_CRASHED');
    expect(error.message).toContain('an internal error, exit code 70');
    expect(engineLog.join('\n')).toContain('thrown outside any request');
  });

  it('passes the heap limit to the engine, and reports running out of it', async () => {
    const { host, engineLog } = startHost({ heapLimitMb: 48 });
    const error = await rejection(host.call('oom', {}));
    expect(error.code).toBe('ENGINE_CRASHED');
    expect(error.message).toContain('possibly out of memory');
    expect(engineLog.join('\n')).toMatch(/heap out of memory|Reached heap limit/);
    expect(await host.call('echo', 'recovered')).toBe('recovered');
  });

  it('reports an engine that cannot start, and one that never says it is ready', async () => {
    const missingEntry = join(import.meta.dirname, 'no-such-engine.ts');
    const error = await rejection(startHost({ entry: missingEntry }).host.call('echo', 1));
    expect(error.code).toBe('ENGINE_CRASHED');
    expect(error.message).toBe('The engine could not start (exit code 1). Your project is safe; try again.');
    expect((await rejection(startHost({ entry: missingEntry }).host.start())).message).toBe(error.message);

    const silent = startHost({ env: { ...process.env, ECHO_ENGINE_SILENT: '1' }, startTimeoutMs: 500 });
    const call = silent.host.call('echo', 1);
    await sleep(100);
    const pid = silent.host.pid!;
    const timeout = await rejection(call);
    expect(timeout.code).toBe('ENGINE_CRASHED');
    expect(timeout.message).toBe('The engine did not start within 0.5 s. Your project is safe; try again.');
    await expect.poll(() => isRunning(pid)).toBe(false);
  });
});

describe('engine process: dispose', () => {
  it('rejects calls in flight with DISCONNECTED and leaves no process behind', async () => {
    const { host, crashed } = startHost();
    const pid = await host.call('pid', {});
    const calls = [host.call('hang', {}), host.call('slow', { tag: 'disposed', steps: 100, stepMs: 20 })].map(rejection);
    await host.dispose();
    for (const call of calls) expect((await call).code).toBe('DISCONNECTED');
    expect(isRunning(pid)).toBe(false);
    expect(crashed).toEqual([]);
    expect((await rejection(host.call('echo', 1))).code).toBe('DISCONNECTED');
  });

  it('ends an engine whose event loop is blocked, and one that ignores SIGTERM', async () => {
    const blocked = startHost();
    const blockedPid = await blocked.host.call('pid', {});
    const blocking = rejection(blocked.host.call('block', {}));
    await sleep(50);
    await blocked.host.dispose();
    expect((await blocking).code).toBe('DISCONNECTED');
    expect(isRunning(blockedPid)).toBe(false);

    const stubborn = startHost({ killGraceMs: 200 });
    const stubbornPid = await stubborn.host.call('pid', {});
    await stubborn.host.call('ignoreTerm', {});
    await stubborn.host.dispose();
    expect(isRunning(stubbornPid)).toBe(false);
  });
});

describe('engine process: entry and messages', () => {
  it('runs the engine from source in tests, and from out/main/engine.js when bundled', () => {
    expect(resolveEngineEntry()).toMatch(/src[\\/]main[\\/]engine[\\/]engine-process\.ts$/);
    expect(() => resolveEngineEntry('file:///nowhere/out/main/chunks/host-abc.js')).toThrow('/nowhere/out/main/engine.js');
  });

  it('settles a failed call even when its error is garbled', () => {
    const parsed = parseEngineMessage({ type: 'result', id: 4, ok: false, error: { code: 'NO_SUCH_CODE', message: 'x' } });
    expect(parsed).toEqual({
      ok: true,
      message: { type: 'result', id: 4, ok: false, error: { code: 'INTERNAL', message: 'The engine failed with an unrecognised error (code NO_SUCH_CODE): x' } },
    });
    expect(parseEngineMessage({ type: 'progress', id: 1.5, value: 1 }).ok).toBe(false);
  });
});

describe('serveEngine in this process', () => {
  function fakePort() {
    const sent: EngineMessage[] = [];
    let deliver: (message: unknown) => void = () => undefined;
    const port: EnginePort = {
      postMessage: (message) => sent.push(message),
      onMessage: (listener) => {
        deliver = listener;
        return () => (deliver = () => undefined);
      },
    };
    return { port, sent, send: (message: unknown) => deliver(message) };
  }

  it('announces itself, drops malformed requests, and answers unknown methods', async () => {
    const { port, sent, send } = fakePort();
    const warnings: string[] = [];
    const stop = serveEngine<{ add: (args: { a: number; b: number }) => Promise<number> }>({ add: ({ a, b }) => a + b }, port, {
      exitOnFault: false,
      log: (line) => warnings.push(line),
    });
    expect(sent).toEqual([{ type: 'ready', methods: ['add'] }]);
    for (const junk of [undefined, 'request', { type: 'request', id: 'x', method: 'add' }, { type: 'request', id: 1 }, { type: 'bogus', id: 1 }]) send(junk);
    expect(warnings).toHaveLength(5);
    send({ type: 'request', id: 7, method: 'toString', args: {} });
    send({ type: 'request', id: 8, method: 'add', args: { a: 2, b: 3 } });
    await expect.poll(() => sent.length).toBe(3);
    expect(sent.slice(1)).toEqual([
      { type: 'result', id: 7, ok: false, error: { code: 'UNKNOWN_METHOD', message: 'The engine has no method named toString' } },
      { type: 'result', id: 8, ok: true, value: 5 },
    ]);
    stop();
  });

  it('aborts the handler on cancel and sends nothing more for that request', async () => {
    const { port, sent, send } = fakePort();
    let seenSignal: AbortSignal | null = null;
    const stop = serveEngine<{ wait: (args: null) => Promise<never> }>(
      {
        wait: (_args, { signal, progress }) => {
          seenSignal = signal;
          progress(0.5);
          return new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        },
      },
      port,
      { exitOnFault: false },
    );
    send({ type: 'request', id: 1, method: 'wait', args: null });
    send({ type: 'cancel', id: 1 });
    send({ type: 'cancel', id: 99 });
    await sleep(10);
    expect(seenSignal!.aborted).toBe(true);
    expect(sent).toEqual([{ type: 'ready', methods: ['wait'] }, { type: 'progress', id: 1, value: 0.5 }]);
    stop();
  });
});
