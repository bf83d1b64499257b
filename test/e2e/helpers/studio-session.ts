/**
 * One end-to-end session: a temporary projects and config folder, the real web host on them,
 * Debian's Chromium with one 1440x900 page, and the page's script errors collected. `close`
 * releases all of it, also after a partial start.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
}

export interface StudioSession {
  root: string;
  dirs: HostDirs;
  host: RunningHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

export async function openStudioSession(options: StudioSessionOptions): Promise<StudioSession> {
  const root = await mkdtemp(join(tmpdir(), `splat-e2e-${options.name}-`));
  const dirs: HostDirs = { projectsDir: join(root, 'projects'), configDir: join(root, 'config') };
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
    return { root, dirs, host, browser, context, page, problems, close };
  } catch (error) {
    await close();
    throw error;
  }
}
