/**
 * The studio's back end without any window, for the CLI: the same createStudio the app and the
 * web host serve, called through dispatch() so every input is validated by the contract as the
 * UI's would be. Its recent-projects list and project library live in a temporary folder that is
 * removed at the end (the CLI writes nothing but its output), and the engine's log lines go to
 * stderr, never stdout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../shared/api/errors.ts';
import type { ApiInput, ApiOutput, MethodName } from '../../shared/api/contract.ts';
import { dispatch } from '../api/dispatch.ts';
import { createStudio, type Studio } from '../api/studio.ts';
import { resolveEngineEntry } from '../engine/process/engine-entry-path.ts';
import { spawnNodeEngine } from '../engine/process/engine-transport.ts';
import { findAppRoot } from '../paths/app-root.ts';

export interface HeadlessStudio {
  studio: Studio;
  /** A scratch folder removed by close(); the project library lives in it. */
  scratchDir: string;
  call<M extends MethodName>(method: M, input: ApiInput<M>, signal?: AbortSignal): Promise<ApiOutput<M>>;
  close(): Promise<void>;
}

export async function openHeadlessStudio(log: (line: string) => void): Promise<HeadlessStudio> {
  const appRoot = findAppRoot();
  const scratchDir = await mkdtemp(join(tmpdir(), 'splat-cli-'));
  const appVersion = (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const studio = createStudio({
    transport: 'web',
    projectsDir: join(scratchDir, 'library'),
    configDir: join(scratchDir, 'config'),
    appVersion,
    resourcesDir: appRoot,
    spawnEngine: () => spawnNodeEngine(resolveEngineEntry(), { logs: (line) => log(`engine: ${line}`) }),
  });
  const never = new AbortController().signal;
  return {
    studio,
    scratchDir,
    async call(method, input, signal = never) {
      const reply = await dispatch(studio.handlers, method, input, { signal });
      if (!reply.ok) throw ApiError.fromData(reply.error);
      return reply.result as ApiOutput<typeof method>;
    },
    async close() {
      studio.dispose();
      await rm(scratchDir, { recursive: true, force: true });
    },
  };
}
