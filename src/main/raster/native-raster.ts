/**
 * The native Gaussian-splat rasterizer (src/native-gpu, semantics in src/native-gpu/SPEC.md)
 * for plain Node: the engine process, the render CLI, benchmarks and tests. A typed wrapper of
 * the Node-API module splat_raster.node built by `node scripts/build-native.mjs`
 * (src/native-gpu/build/Release/), loaded on first use from the package root (findAppRoot), or
 * from the path in env SPLAT_RASTER_NODE when set (packaged apps).
 *
 * Buffers are passed without copying: the native code reads the caller's Float32Arrays and writes
 * into the output ones. Every argument is validated by the module (src/native-gpu/node/args.cpp),
 * and a bad one throws a TypeError or RangeError naming it (e.g. "splats.means: expected 3 * N =
 * 30 floats ..."). `render` and `renderBackward` run synchronously on the calling thread (CPU work
 * on `threads` worker threads); `renderAsync` runs on a libuv worker and leaves the event loop
 * free.
 *
 * Layouts (row-major, pixel (x, y) at index y * width + x): rgb H*W*3 linear RGB composited over
 * the background, alpha H*W (1 - final transmittance), depth H*W (expected camera-space z of
 * what was hit, 0 where alpha <= 1e-6).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PinholeCamera } from '../../shared/camera/pinhole.ts';
import type { SplatBuffers } from '../../shared/splats/types.ts';
import { findAppRoot } from '../paths/app-root.ts';

export type BackendName = 'cpu' | 'cuda';

/**
 * The rasterizer's camera: a pinhole camera of DESIGN.md (width and height integers in
 * 1..16384), whose view may be any array-like of 16 numbers (a Float32Array included).
 */
export type RasterCamera = Omit<PinholeCamera, 'view'> & { view: ArrayLike<number> };

/** What shows through where the splats leave transmittance: one linear RGB colour or an image. */
export type RasterBackground = { color: readonly [number, number, number] } | { image: Float32Array /* H*W*3 */ };

export interface RasterImages {
  rgb: Float32Array /* H*W*3 */;
  alpha: Float32Array /* H*W */;
  depth: Float32Array /* H*W */;
}

export interface RenderOptions {
  /** Default black. */
  background?: RasterBackground;
  /** 'auto' (default): cuda when available, else cpu. */
  backend?: BackendName | 'auto';
  /** CPU worker threads, integer 0..1024; 0 or absent: every hardware thread. Ignored by cuda. */
  threads?: number;
  /** Reuse these buffers (sizes as RasterImages); renderAsync callers must not touch them (or
   * any input buffer) until its promise settles. */
  out?: RasterImages;
}

export interface SplatGradients {
  means: Float32Array;
  scales: Float32Array;
  quats: Float32Array;
  opacities: Float32Array;
  colors: Float32Array;
  /** H*W*3 for an image background, 3 for a colour */
  background: Float32Array;
}

/** The module's own interface (src/native-gpu/node/addon.cpp); only this file calls it. */
interface NativeArgs {
  splats: SplatBuffers;
  camera: RasterCamera;
  background: RasterBackground | undefined;
  backend: BackendName;
  threads: number | undefined;
}
interface NativeModule {
  backends(): { cpu: true; cuda: boolean; cudaReason: string | null; cudaCompiled: boolean };
  render(args: NativeArgs & { out: RasterImages }): void;
  renderAsync(args: NativeArgs & { out: RasterImages }): Promise<void>;
  renderBackward(args: NativeArgs & { gradRgb: Float32Array; gradAlpha: Float32Array | null; grads: SplatGradients }): void;
}

/** Where scripts/build-native.mjs writes the module, relative to the package root. */
export const NATIVE_MODULE_RELATIVE_PATH = join('src', 'native-gpu', 'build', 'Release', 'splat_raster.node');

let loaded: NativeModule | undefined;
let backendsCache: { cpu: true; cuda: boolean; cudaReason: string | null } | undefined;

/** Path of splat_raster.node: env SPLAT_RASTER_NODE, else under the package root. */
export function nativeModulePath(): string {
  return process.env.SPLAT_RASTER_NODE || join(findAppRoot(), NATIVE_MODULE_RELATIVE_PATH);
}

function native(): NativeModule {
  if (loaded) return loaded;
  const path = nativeModulePath();
  try {
    loaded = createRequire(import.meta.url)(path) as NativeModule;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`The native rasterizer is not available (${path}): ${why}. Build it with "npm run build:native".`, { cause: error });
  }
  return loaded;
}

/** Which backends can run here; cudaReason says why CUDA cannot (null when it can). */
export function availableBackends(): { cpu: true; cuda: boolean; cudaReason: string | null } {
  if (!backendsCache) {
    const b = native().backends();
    backendsCache = { cpu: true, cuda: b.cuda, cudaReason: b.cuda ? null : b.cudaReason };
  }
  return { ...backendsCache };
}

function resolveBackend(requested: RenderOptions['backend']): BackendName {
  if (requested === undefined || requested === 'auto') return availableBackends().cuda ? 'cuda' : 'cpu';
  if (requested === 'cuda') {
    const b = availableBackends();
    if (!b.cuda) throw new Error(`backend 'cuda' is unavailable: ${b.cudaReason ?? 'unknown reason'}`);
  }
  return requested; // anything else is reported by the module
}

/** width * height when both are valid image edges, else 0 (the module then reports the camera). */
function pixelCount(camera: RasterCamera): number {
  const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 16384;
  return camera && ok(camera.width) && ok(camera.height) ? camera.width * camera.height : 0;
}

function allocateImages(camera: RasterCamera): RasterImages {
  const n = pixelCount(camera);
  return { rgb: new Float32Array(n * 3), alpha: new Float32Array(n), depth: new Float32Array(n) };
}

function nativeArgs(splats: SplatBuffers, camera: RasterCamera, options: Omit<RenderOptions, 'out'>): NativeArgs {
  return { splats, camera, background: options.background, backend: resolveBackend(options.backend), threads: options.threads };
}

/** Renders the splats; writes into options.out when given (else new buffers) and returns them. */
export function render(splats: SplatBuffers, camera: RasterCamera, options: RenderOptions = {}): RasterImages & { backend: BackendName } {
  const args = nativeArgs(splats, camera, options);
  const out = options.out ?? allocateImages(camera);
  native().render({ ...args, out });
  return { rgb: out.rgb, alpha: out.alpha, depth: out.depth, backend: args.backend };
}

/** render() on a worker thread. Inputs and options.out must stay untouched until it settles. */
export async function renderAsync(
  splats: SplatBuffers,
  camera: RasterCamera,
  options: RenderOptions = {},
): Promise<RasterImages & { backend: BackendName }> {
  const args = nativeArgs(splats, camera, options);
  const out = options.out ?? allocateImages(camera);
  await native().renderAsync({ ...args, out });
  return { rgb: out.rgb, alpha: out.alpha, depth: out.depth, backend: args.backend };
}

/**
 * Gradients of a loss L with respect to every splat attribute and the background, given
 * gradRgb = dL/drgb (H*W*3) and gradAlpha = dL/dalpha (H*W, or null for none); there is no
 * gradient through depth (SPEC.md "Backward"). The forward is recomputed inside.
 */
export function renderBackward(
  splats: SplatBuffers,
  camera: RasterCamera,
  gradRgb: Float32Array,
  gradAlpha: Float32Array | null,
  options: Omit<RenderOptions, 'out'> = {},
): SplatGradients {
  const args = nativeArgs(splats, camera, options);
  const n = splats?.opacities instanceof Float32Array ? splats.opacities.length : 0;
  const bg: unknown = options.background;
  const imageBackground = typeof bg === 'object' && bg !== null && 'image' in bg && bg.image !== undefined;
  const grads: SplatGradients = {
    means: new Float32Array(n * 3),
    scales: new Float32Array(n * 3),
    quats: new Float32Array(n * 4),
    opacities: new Float32Array(n),
    colors: new Float32Array(n * 3),
    background: new Float32Array(imageBackground ? pixelCount(camera) * 3 : 3),
  };
  native().renderBackward({ ...args, gradRgb, gradAlpha, grads });
  return grads;
}
