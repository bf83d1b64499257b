/**
 * Web host cold start: milliseconds from launching `node out/main/host.js` to a usable UI in
 * Chromium (the start screen rendered, its API answers received). The browser is started once,
 * before timing, as a user's browser is already running. Prints each run and the median.
 *
 *   npm run bench            (after npm run build)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function startHost(dir: string): Promise<{ url: string; startupMs: number; stop: () => void }> {
  const child = spawn(process.execPath, [join(ROOT, 'out/main/host.js'), '--json', '--projects-dir', join(dir, 'projects'), '--config-dir', join(dir, 'config')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const ready = JSON.parse(line) as { event: string; url: string; startupMs: number };
    if (ready.event === 'ready') return { url: ready.url, startupMs: ready.startupMs, stop: () => child.kill('SIGTERM') };
  }
  throw new Error('host exited before it was ready');
}

const browser = await chromium.launch({
  executablePath: process.env.SPLAT_STUDIO_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
const totals: number[] = [];
const hostOnly: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'sps-bench-'));
    const page = await browser.newPage();
    const t0 = performance.now();
    const host = await startHost(dir);
    const listening = performance.now() - t0;
    await page.goto(host.url);
    await page.locator('[data-testid="start-screen"] [data-testid="new-project"]').waitFor({ state: 'visible' });
    const total = performance.now() - t0;
    totals.push(total);
    hostOnly.push(listening);
    console.log(`run ${i + 1}: host listening ${listening.toFixed(0)} ms (node-internal ${host.startupMs} ms), usable UI ${total.toFixed(0)} ms`);
    await page.close();
    host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  await browser.close();
}
console.log(`web host cold start, median of ${RUNS}: host listening ${median(hostOnly).toFixed(0)} ms, usable UI ${median(totals).toFixed(0)} ms (${process.version}, ${process.platform}, headless Chromium)`);
