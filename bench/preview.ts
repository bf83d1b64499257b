/**
 * Live preview frame time (issue 6, "What to show"): the studio's SplatPreview rendering a
 * synthetic head of 65,536 splats in headless Debian Chromium (WebGL2 through SwiftShader, i.e.
 * software rendering on the CPU), playing a 60 s baked clip on a loop, so that every frame takes
 * the preview's whole path: output time, offset stream (chunked fetches from a stand-in client,
 * interpolation), the rewrite of every centre, the upload, Spark's generate and sort, the render.
 *
 * The page (bench/preview-page/index.html -> src/renderer/src/preview/bench-page.tsx) is built
 * with Vite and served from 127.0.0.1 with the app's own Content-Security-Policy header. Chromium
 * runs with its frame-rate limit and vsync off, so animation frames come as fast as the preview
 * can make them; the interval between frames is the full frame time (CPU and SwiftShader work).
 * Prints, over BENCH_SECONDS (default 15) after a 2 s warm-up:
 *   - frame interval median and p95 (ms) and frames per second;
 *   - the preview's own readout (median time from a frame's start to the GPU finishing it, last
 *     60 frames, fence-timer.ts) and the CPU part of it (offsets, centres, upload, submit);
 *   - the machine: CPU model, cores, the WebGL renderer string.
 * It is a benchmark, not a test.
 *
 *   npm run bench:preview
 *   BENCH_SECONDS=20 BENCH_SPLATS=131072 BENCH_SIZE=1920x1080 npm run bench:preview
 *   BENCH_QUERY='mode=orbit&keys=1' BENCH_SCREENSHOT=/tmp/preview.png npm run bench:preview
 * (BENCH_QUERY is added to the page's query: mode=orbit shows the camera path in 3D, keys=1 adds
 * the bullet sweep's keys; BENCH_SCREENSHOT saves the page after the run.)
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../src/shared/security/csp.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const SPLATS = Number(process.env.BENCH_SPLATS ?? 65_536);
const [WIDTH, HEIGHT] = (process.env.BENCH_SIZE ?? '1280x720').split('x').map(Number) as [number, number];
const WARMUP_MS = 2_000;
const QUERY = process.env.BENCH_QUERY ?? '';
const SCREENSHOT = process.env.BENCH_SCREENSHOT;

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.wasm': 'application/wasm' };

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const x = p * (s.length - 1);
  const lo = Math.floor(x);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (x - lo) * (s[hi]! - s[lo]!);
}

function cpuModel(): string {
  const line = readFileSync('/proc/cpuinfo', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('model name'));
  return line ? line.split(':')[1]!.trim() : 'unknown CPU';
}

async function buildPage(outDir: string): Promise<void> {
  await build({
    root: join(ROOT, 'bench/preview-page'),
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, minify: true, chunkSizeWarningLimit: 8_000 },
  });
}

/** Serves outDir on 127.0.0.1 with the app's CSP; resolves to its origin. */
async function serve(outDir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(outDir, path === '/' ? 'index.html' : path);
    readFile(file).then(
      (bytes) => {
        response.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CONTENT_SECURITY_POLICY });
        response.end(bytes);
      },
      () => {
        response.writeHead(404);
        response.end();
      },
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  return { origin: `http://127.0.0.1:${address.port}`, close: () => new Promise((done) => server.close(() => done())) };
}

async function main(): Promise<void> {
  const outDir = await mkdtemp(join(tmpdir(), 'preview-bench-'));
  const started = performance.now();
  await buildPage(outDir);
  const buildMs = performance.now() - started;
  const server = await serve(outDir);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Frames as fast as they can be made, not at the display's 60 Hz.
      '--disable-frame-rate-limit',
      '--disable-gpu-vsync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(`${server.origin}/?splats=${SPLATS}${QUERY ? `&${QUERY}` : ''}`);
    const preview = page.getByTestId('splat-preview');
    await preview.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="splat-preview"]')?.getAttribute('data-frame-state') === 'clip', null, { timeout: 120_000 });
    const renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
    });
    const canvasSize = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="splat-preview"] canvas') as HTMLCanvasElement | null;
      return c ? `${c.width}x${c.height}` : 'none';
    });

    const result = await page.evaluate(
      async ({ warmupMs, measureMs }) => {
        const bench = (window as unknown as { __previewBench: { play(): void; pause(): void } }).__previewBench;
        const el = document.querySelector('[data-testid="splat-preview"]')!;
        bench.play();
        await new Promise((done) => setTimeout(done, warmupMs));
        // One sample per preview frame: the preview bumps data-frames once per rendered frame.
        const stamps: number[] = [];
        const observer = new MutationObserver(() => stamps.push(performance.now()));
        observer.observe(el, { attributes: true, attributeFilter: ['data-frames'] });
        const framesBefore = Number(el.getAttribute('data-frames'));
        await new Promise((done) => setTimeout(done, measureMs));
        observer.disconnect();
        const framesAfter = Number(el.getAttribute('data-frames'));
        const readout = document.querySelector('[data-testid="preview-frame-ms"]')?.textContent ?? '';
        const cpuMs = el.getAttribute('data-cpu-ms') ?? '';
        const anim = Number(el.getAttribute('data-anim-time'));
        bench.pause();
        const intervals = stamps.slice(1).map((t, i) => t - stamps[i]!);
        return { intervals, frames: framesAfter - framesBefore, readout, cpuMs, anim };
      },
      { warmupMs: WARMUP_MS, measureMs: SECONDS * 1000 },
    );
    if (result.intervals.length < 3) throw new Error(`only ${result.intervals.length + 1} frames in ${SECONDS} s (readout ${result.readout} ms)`);
    const median = percentile(result.intervals, 0.5);
    const p95 = percentile(result.intervals, 0.95);
    console.log(`Live preview, ${SPLATS.toLocaleString('en')} splats, every centre rewritten every frame, canvas ${canvasSize} (viewport ${WIDTH}x${HEIGHT})`);
    console.log(`  frame time (interval between preview frames): median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, ${(1000 / median).toFixed(1)} fps over ${result.frames} frames in ${SECONDS} s`);
    console.log(`  preview readout (median ms from a frame's start to the GPU finishing it, last 60 frames): ${result.readout} ms`);
    console.log(`  of which CPU (median ms to sample offsets, rewrite centres, upload and submit): ${result.cpuMs} ms`);
    console.log(`  machine: ${cpuModel()}, ${availableParallelism()} threads; WebGL: ${renderer} (SwiftShader software WebGL); page build ${(buildMs / 1000).toFixed(1)} s`);
    if (problems.length > 0) console.log(`  page problems: ${problems.join(' | ')}`);
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });
  } finally {
    await browser.close();
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

await main();
