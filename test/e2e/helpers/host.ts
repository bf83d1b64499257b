/**
 * Runs the real loopback web host (`out/main/host.js`, built by `electron-vite build`) as a
 * child process, the way a user runs `npm run host`, and waits for its ready line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
/** The bundled demo media the e2e tests import. */
export const DEMO_PORTRAIT = resolve(REPO_ROOT, 'resources/demo/portrait.png');
export const DEMO_SPEECH = resolve(REPO_ROOT, 'resources/demo/speech.wav');
const NODE = resolve(REPO_ROOT, 'node_modules/.bin/node');
const HOST_JS = resolve(REPO_ROOT, 'out/main/host.js');
/** Seconds to wait for the ready line; the host itself reports its startup time. */
const READY_TIMEOUT_MS = 30_000;

export interface HostDirs {
  projectsDir: string;
  configDir: string;
  /**
   * A pack under resources/models the host drives instead of the default (the best shipped one),
   * through $SPLAT_STUDIO_MODEL as a user would.
   */
  modelPack?: string;
}

export interface RunningHost {
  /** The URL it printed, token included. */
  url: string;
  /** http://127.0.0.1:PORT, no token. */
  origin: string;
  startupMs: number;
  /** Everything the host wrote so far, for failure messages. */
  log(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

interface ReadyLine {
  event: 'ready';
  url: string;
  startupMs: number;
}

function parseReady(line: string): ReadyLine | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as Partial<ReadyLine>;
    return value.event === 'ready' && typeof value.url === 'string' ? (value as ReadyLine) : null;
  } catch {
    return null;
  }
}

function modelPackEnv(name: string | undefined): Record<string, string> {
  if (name === undefined) return {};
  const dir = resolve(REPO_ROOT, 'resources/models', name);
  if (!existsSync(resolve(dir, 'model.json'))) throw new Error(`no model pack ${name} in resources/models`);
  return { SPLAT_STUDIO_MODEL: dir };
}

export async function startHost(dirs: HostDirs): Promise<RunningHost> {
  if (!existsSync(HOST_JS)) throw new Error(`${HOST_JS} is missing: run \`npx electron-vite build\` first`);
  const child: ChildProcess = spawn(
    NODE,
    [HOST_JS, '--port', '0', '--projects-dir', dirs.projectsDir, '--config-dir', dirs.configDir, '--json'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...modelPackEnv(dirs.modelPack) } },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const ready = await new Promise<ReadyLine>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not print its ready line within ${READY_TIMEOUT_MS} ms:\n${output}`)), READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output += `${line}\n`;
      const parsed = parseReady(line.trim());
      if (parsed) {
        clearTimeout(timer);
        resolveReady(parsed);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`host exited before it was ready (code ${code}, signal ${signal}):\n${output}`));
    });
  });

  const origin = new URL(ready.url).origin;
  return {
    url: ready.url,
    origin,
    startupMs: ready.startupMs,
    log: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
