/**
 * One end-to-end session: a temporary projects and config folder, the real web host on them,
 * Debian's Chromium with one 1440x900 page, and the page's script errors collected. `close`
 * releases all of it, also after a partial start. `useStudioSession` opens one for a test file
 * (beforeAll) and closes it after (afterAll).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { collectPageProblems, launchBrowser } from './browser.ts';
import { REPO_ROOT, startHost, type HostDirs, type RunningHost } from './host.ts';

/** Where e2e tests leave screenshots for people to look at (ignored by git). */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

export interface StudioSessionOptions {
  /** Names the temporary folder: splat-e2e-<name>-XXXX. */
  name: string;
  /** More folders to create first (e.g. a screenshot folder outside the repo). */
  folders?: string[];
  acceptDownloads?: boolean;
  /** Default timeout of page actions, ms; the software-GL preview slows every step. */
  actionTimeoutMs?: number;
  /**
   * The pack under resources/models to drive instead of the default. Suites that test the UI's
   * mechanics name `tiny`: a quarter of the splats of the default `small`, so the 2-core CI's
   * software-GL preview and baking keep up with their timings.
   */
  modelPack?: string;
  /** Screenshots of `shot(name)`: ARTIFACTS/<prefix>-<name>.png, and <folder>/<name>.png when given. */
  shots?: { prefix: string; folder?: string };
}

export interface StudioSession {
  root: string;
  dirs: HostDirs;
  /** The running host; `restartHost` replaces it. */
  readonly host: RunningHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors and CSP violations seen so far. */
  problems: string[];
  /** A screenshot of the page where `shots` says (throws without `shots`). */
  shot(name: string): Promise<void>;
  /** Stops the host, awaits `whileStopped`, then starts a new one on the same folders (a new origin and token). */
  restartHost(whileStopped?: () => Promise<void>): Promise<RunningHost>;
  close(): Promise<void>;
}

export async function openStudioSession(options: StudioSessionOptions): Promise<StudioSession> {
  const root = await mkdtemp(join(tmpdir(), `splat-e2e-${options.name}-`));
  const dirs: HostDirs = { projectsDir: join(root, 'projects'), configDir: join(root, 'config'), modelPack: options.modelPack };
  let host: RunningHost | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await host?.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  try {
    const folders = [dirs.projectsDir, dirs.configDir, ARTIFACTS, ...(options.folders ?? [])];
    await Promise.all(folders.map((f) => mkdir(f, { recursive: true })));
    [host, browser] = await Promise.all([startHost(dirs), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, acceptDownloads: options.acceptDownloads ?? false });
    const page = await context.newPage();
    if (options.actionTimeoutMs !== undefined) page.setDefaultTimeout(options.actionTimeoutMs);
    const problems = collectPageProblems(page);
    const shot = async (name: string): Promise<void> => {
      const shots = options.shots;
      if (!shots) throw new Error(`session ${options.name}: shot(${name}) without a shots option`);
      await page.screenshot({ path: join(ARTIFACTS, `${shots.prefix}-${name}.png`) });
      if (shots.folder) await page.screenshot({ path: join(shots.folder, `${name}.png`) });
    };
    let running = host;
    const restartHost = async (whileStopped?: () => Promise<void>): Promise<RunningHost> => {
      await running.stop();
      host = undefined;
      await whileStopped?.();
      host = running = await startHost(dirs);
      return running;
    };
    return {
      root, dirs, browser, context, page, problems, shot, restartHost, close,
      get host() { return running; },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A handle on the session `useStudioSession` opens; `current` throws before beforeAll has run. */
export interface StudioSessionHandle {
  readonly current: StudioSession;
}

/**
 * Opens a studio session before the file's tests (then `ready`, e.g. to bind `page` or to write
 * inputs into `root`) and closes it after them.
 */
export function useStudioSession(options: StudioSessionOptions, ready?: (session: StudioSession) => void | Promise<void>): StudioSessionHandle {
  let session: StudioSession | undefined;
  beforeAll(async () => {
    session = await openStudioSession(options);
    await ready?.(session);
  });
  afterAll(() => session?.close());
  return {
    get current(): StudioSession {
      if (!session) throw new Error(`studio session ${options.name} is not open yet`);
      return session;
    },
  };
}
