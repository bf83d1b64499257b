/**
 * Rasterizer throughput on the procedural head (65,536 splats, src/shared/splats/head-scene.ts),
 * front view, at 256x256, 1920x1080 and 3840x2160 (DESIGN.md "Targets"):
 *  - CPU backend, all hardware threads (or BENCH_THREADS): median ms per frame and frames per
 *    second over BENCH_FRAMES frames after BENCH_WARMUP, output buffers reused as the app does;
 *    the backward pass at 256x256 (the training resolution) too;
 *  - CUDA backend where available: forward and backward ms per frame (host-pointer entry points:
 *    uploads and downloads included), and the largest CPU/CUDA difference of rgb, alpha, depth.
 * Writes the CPU renders (and a 30-degree yaw view at 1080p) as PNGs to test-artifacts/raster/.
 * Prints figures; it is not a test.
 *
 *   node scripts/build-native.mjs && npm run bench:raster
 *   BENCH_FRAMES=31 BENCH_THREADS=2 npm run bench:raster
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { availableBackends, render, renderBackward, type BackendName, type RasterImages } from '../src/main/raster/native-raster.ts';
import { writeRenderPng } from '../src/main/raster/png-writer.ts';
import { orbitCamera } from '../src/shared/camera/orbit-camera.ts';
import { HEAD_SCENE_CAMERA, headScene } from '../src/shared/splats/head-scene.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT_DIR = join(ROOT, 'test-artifacts', 'raster');
const FRAMES = Number(process.env.BENCH_FRAMES ?? 15);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const THREADS = Number(process.env.BENCH_THREADS ?? availableParallelism());
const SIZES: Array<[number, number]> = [
  [256, 256],
  [1920, 1080],
  [3840, 2160],
];
const BACKGROUND = { color: [0.1, 0.1, 0.12] as [number, number, number] };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median milliseconds of `run` over FRAMES calls after WARMUP. */
function time(run: () => void): number {
  for (let k = 0; k < WARMUP; k++) run();
  const samples: number[] = [];
  for (let k = 0; k < FRAMES; k++) {
    const t0 = performance.now();
    run();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

function allocate(width: number, height: number): RasterImages {
  return { rgb: new Float32Array(width * height * 3), alpha: new Float32Array(width * height), depth: new Float32Array(width * height) };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

const splats = headScene();
const backends = availableBackends();
mkdirSync(OUT_DIR, { recursive: true });
console.log(`rasterizer bench: ${splats.opacities.length} splats (procedural head), median of ${FRAMES} frames after ${WARMUP} warm-up`);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} hardware threads; CPU backend on ${THREADS} threads; Node ${process.version}`);
console.log(`CUDA: ${backends.cuda ? 'available' : `not available (${backends.cudaReason ?? 'no reason given'})`}`);
console.log('');
console.log('| size | CPU ms/frame | CPU fps | CUDA fwd ms | CUDA bwd ms | max abs CPU-CUDA (rgb, alpha, depth) |');
console.log('| --- | --- | --- | --- | --- | --- |');

const pngs: string[] = [];
for (const [width, height] of SIZES) {
  const camera = orbitCamera({ ...HEAD_SCENE_CAMERA, width, height });
  const cpuOut = allocate(width, height);
  const cpuMs = time(() => render(splats, camera, { background: BACKGROUND, backend: 'cpu', threads: THREADS, out: cpuOut }));
  const png = join(OUT_DIR, `head-${width}x${height}.png`);
  await writeRenderPng(png, { width, height, rgb: cpuOut.rgb, alpha: cpuOut.alpha }, 'opaque');
  pngs.push(png);

  let cuda = '| - | - | - |';
  if (backends.cuda) {
    const cudaOut = allocate(width, height);
    const fwd = time(() => render(splats, camera, { background: BACKGROUND, backend: 'cuda' as BackendName, out: cudaOut }));
    const gradRgb = new Float32Array(width * height * 3).fill(1 / (width * height));
    const bwd = time(() => renderBackward(splats, camera, gradRgb, null, { background: BACKGROUND, backend: 'cuda' }));
    const diffs = [maxAbsDiff(cpuOut.rgb, cudaOut.rgb), maxAbsDiff(cpuOut.alpha, cudaOut.alpha), maxAbsDiff(cpuOut.depth, cudaOut.depth)];
    cuda = `| ${fwd.toFixed(3)} | ${bwd.toFixed(3)} | ${diffs.map((d) => d.toExponential(1)).join(', ')} |`;
  }
  console.log(`| ${width}x${height} | ${cpuMs.toFixed(1)} | ${(1000 / cpuMs).toFixed(1)} ${cuda}`);
}

const small = orbitCamera({ ...HEAD_SCENE_CAMERA, width: 256, height: 256 });
const gradRgb = new Float32Array(256 * 256 * 3).fill(1 / (256 * 256));
const cpuBackward = time(() => renderBackward(splats, small, gradRgb, null, { background: BACKGROUND, backend: 'cpu', threads: THREADS }));
console.log('');
console.log(`CPU backward at 256x256: ${cpuBackward.toFixed(1)} ms/frame`);

const side = orbitCamera({ ...HEAD_SCENE_CAMERA, yawDeg: 30, width: 1920, height: 1080 });
const sideOut = render(splats, side, { background: BACKGROUND, backend: 'cpu', threads: THREADS });
const sidePng = join(OUT_DIR, 'head-1920x1080-yaw30.png');
await writeRenderPng(sidePng, { width: 1920, height: 1080, rgb: sideOut.rgb, alpha: sideOut.alpha }, 'opaque');
pngs.push(sidePng);
console.log(`renders: ${pngs.map((p) => p.slice(ROOT.length + 1)).join(', ')}`);
