/**
 * The engine in the desktop app: an Electron utility process (a Node process that Chromium's
 * process model supervises), behind the same EngineProcess interface as the child_process one.
 * Its messages are structured clones, like 'advanced' serialization, so typed arrays keep their
 * type. The engine's end is `process.parentPort`, which connectToParent() finds on its own;
 * `utilityParentPort` is the same adapter, typed against electron's ParentPort.
 */
import { utilityProcess, type ParentPort, type UtilityProcess } from 'electron';
import { engineExecArgv, parentPortAdapter, type EngineExitListener, type EngineLaunchOptions, type EnginePort, type EngineProcess } from '../engine/process/engine-transport.ts';

export interface UtilityEngineOptions extends EngineLaunchOptions {
  /** Name in the OS task manager and in app.getAppMetrics(). */
  serviceName?: string;
}

export const ENGINE_SERVICE_NAME = 'Splat-Portrait Engine';

/** Starts `entry` (the built out/main/engine.js) in a utility process. Only after app 'ready'. */
export function spawnUtilityEngine(entry: string, options: UtilityEngineOptions = {}): EngineProcess {
  const child: UtilityProcess = utilityProcess.fork(entry, [], {
    execArgv: engineExecArgv(options),
    env: options.env ?? process.env,
    serviceName: options.serviceName ?? ENGINE_SERVICE_NAME,
    stdio: 'inherit',
  });
  // Electron reports a V8 fatal error (out of memory, mostly) just before the exit.
  let fatal: string | undefined;
  child.on('error', (type, location) => {
    fatal = `${type} at ${location}, possibly out of memory`;
  });
  let ended: { code: number } | null = null;
  child.once('exit', (code) => {
    ended = { code };
  });

  return {
    get pid() {
      return child.pid;
    },
    postMessage(message) {
      if (!ended) child.postMessage(message);
    },
    onMessage(listener) {
      child.on('message', listener);
      return () => {
        child.off('message', listener);
      };
    },
    onExit(listener: EngineExitListener) {
      // A utility process reports only a code, even when a signal killed it.
      if (ended) {
        const { code } = ended;
        queueMicrotask(() => listener(code, null, fatal));
        return () => undefined;
      }
      const onExit = (code: number): void => listener(code, null, fatal);
      child.once('exit', onExit);
      return () => {
        child.off('exit', onExit);
      };
    },
    kill() {
      // SIGTERM on POSIX, and Electron reaps the process.
      if (!ended) child.kill();
    },
  };
}

/** The engine's end inside a utility process. */
export function utilityParentPort(port: ParentPort): EnginePort {
  return parentPortAdapter(port);
}
