/**
 * Loads @vladmandic/human once per process, lazily, with the tfjs wasm backend (single-threaded).
 *
 * Snags (shared ENVIRONMENT.md, "Face and audio models inside npm packages", and what was found):
 * - the package `exports` map hides its `dist/` files, so they are resolved by file path;
 * - `dist/human.node-wasm.js` requires `@tensorflow/tfjs-converter`, which is NOT installed in
 *   this project (only tfjs-core and tfjs-backend-wasm are), so the self-contained
 *   `dist/human.esm.js` (tfjs bundled) is used instead, loaded with Node detection hidden
 *   (withNodeHidden) and a small tfjs platform (platformShim). node-wasm is used when the
 *   converter resolves (that path is untested here);
 * - Node's `fetch` cannot read `file://` URLs, and neither tfjs's browser io router nor
 *   emscripten's loader accept them, so models and wasm binaries are requested under a reserved
 *   http prefix that a shim around `globalThis.fetch` serves from disk (LOCAL_URL_PREFIX).
 * Models: `node_modules/@vladmandic/human/models` (inside the npm package; nothing is downloaded).
 * Wasm binaries: `@tensorflow/tfjs-backend-wasm/dist` (the threaded one needs Web Workers: off).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

/** The subset of the Human API this pipeline uses (the package's own types are not exported). */
export interface HumanLike {
  readonly version: string;
  readonly tf: {
    tensor: (values: Uint8Array | Int32Array | Float32Array, shape: number[], dtype?: string) => { dispose(): void };
    getBackend: () => string;
    memory: () => { numTensors: number };
  };
  load: () => Promise<void>;
  warmup: () => Promise<unknown>;
  detect: (input: unknown, config?: Record<string, unknown>) => Promise<{ face: HumanFaceResult[]; error?: string | null }>;
}

/** One face as Human reports it (fields used here only). */
export interface HumanFaceResult {
  score: number;
  boxScore: number;
  faceScore: number;
  box: [number, number, number, number];
  mesh: [number, number, number][];
  rotation?: {
    angle: { roll: number; yaw: number; pitch: number };
    matrix: number[];
  };
  /** Present when the face description model ran (config face.description.enabled). */
  embedding?: number[];
}

const requireFromHere = createRequire(import.meta.url);

/** Folder of the installed @vladmandic/human package. */
export function humanPackageDir(): string {
  return packageDir('@vladmandic/human');
}

function wasmDir(): string {
  return join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist');
}

/** Root folder of an installed package: resolve its main entry, walk up to its package.json. */
function packageDir(name: string): string {
  let dir = dirname(requireFromHere.resolve(name));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && dir.endsWith(name.split('/').join(sep))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of package ${name}`);
    dir = up;
  }
}

/**
 * Models and wasm binaries are requested under this URL prefix and served from disk by the
 * fetch shim: tfjs's io router and emscripten's loader both refuse `file://` URLs outside
 * tfjs-node, but take http URLs through the global `fetch`. `.invalid` is a reserved TLD
 * (RFC 2606), so a request that somehow escaped the shim could never reach a host.
 */
export const LOCAL_URL_PREFIX = 'http://splat-portrait-face.invalid/';

const localRoots: Record<string, () => string> = {
  'human-models/': () => join(humanPackageDir(), 'models'),
  'tfjs-wasm/': () => wasmDir(),
};

let fetchShimInstalled = false;

function contentType(path: string): string {
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.wasm')) return 'application/wasm';
  return 'application/octet-stream';
}

/** Serve LOCAL_URL_PREFIX and file:// URLs from disk; everything else goes to the original fetch. Idempotent. */
function installFileFetchShim(): void {
  if (fetchShimInstalled) return;
  fetchShimInstalled = true;
  // Node's fetch/Response (undici) initialise lazily and read process.versions.node, which is
  // hidden while the ESM bundle loads (withNodeHidden): initialise them now.
  new Response(new Uint8Array(0), { headers: { 'content-type': 'application/octet-stream' } });
  const original = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let file: string | undefined;
    if (url.startsWith('file://')) file = fileURLToPath(url);
    else if (url.startsWith(LOCAL_URL_PREFIX)) {
      const rest = url.slice(LOCAL_URL_PREFIX.length).split('?')[0] ?? '';
      const root = Object.entries(localRoots).find(([k]) => rest.startsWith(k));
      if (root) file = join(root[1](), decodeURIComponent(rest.slice(root[0].length)));
    }
    if (file !== undefined) {
      try {
        const bytes = await readFile(file);
        return new Response(bytes, { status: 200, headers: { 'content-type': contentType(file) } });
      } catch {
        return new Response(null, { status: 404, statusText: `not found: ${file}` });
      }
    }
    return original(input, init);
  }) as typeof fetch;
}

/**
 * Configuration of the face pipeline. Only face detection + mesh (+ iris: 478 points) run.
 * `cacheSensitivity` and the detector's skip settings are set per call by detect.ts (video vs still).
 */
export function baseConfig(): Record<string, unknown> {
  const modelBasePath = `${LOCAL_URL_PREFIX}human-models/`;
  return {
    backend: 'wasm',
    wasmPath: `${LOCAL_URL_PREFIX}tfjs-wasm/`,
    wasmPlatformFetch: false,
    modelBasePath,
    debug: false,
    async: true,
    warmup: 'none',
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: { enabled: true, rotation: false, maxDetected: 5, minConfidence: 0.5, iouThreshold: 0.3, return: false },
      mesh: { enabled: true },
      iris: { enabled: true },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  };
}

type HumanModule = { Human: new (config: Record<string, unknown>) => HumanLike };

/**
 * `dist/human.node-wasm.js` needs `@tensorflow/tfjs-converter`, which is not installed here; the
 * self-contained ESM bundle `dist/human.esm.js` carries tfjs (core, converter, wasm backend)
 * inside and runs in Node with the wasm backend. Prefer node-wasm when its peers resolve.
 */
async function loadBundle(): Promise<HumanModule> {
  const dir = humanPackageDir();
  let hasConverter = true;
  try {
    requireFromHere.resolve('@tensorflow/tfjs-converter');
  } catch {
    hasConverter = false;
  }
  if (hasConverter) return requireFromHere(join(dir, 'dist', 'human.node-wasm.js')) as HumanModule;
  return withNodeHidden(() => import(pathToFileURL(join(dir, 'dist', 'human.esm.js')).href) as Promise<HumanModule>);
}

/**
 * The ESM bundle's tfjs registers its Node platform when it sees `process.versions.node`, and
 * that platform needs Node's `util`, which the bundle stubs out (it throws "TextEncoder is not a
 * constructor"). So the bundle is evaluated, and its wasm backend initialised, with
 * `process.versions.node` hidden; tfjs then takes the browser-like path (global `fetch`, which the
 * shim serves from disk) and `platformShim` supplies the few platform calls it needs.
 * The window is the one-time load of this module; nothing else runs Node detection in it.
 */
async function withNodeHidden<T>(fn: () => Promise<T>): Promise<T> {
  const versions = process.versions;
  Object.defineProperty(process, 'versions', { value: { ...versions, node: undefined }, configurable: true, writable: true });
  try {
    return await fn();
  } finally {
    Object.defineProperty(process, 'versions', { value: versions, configurable: true, writable: true });
  }
}

interface TfEnv {
  platform?: unknown;
  setPlatform: (name: string, platform: unknown) => void;
  set: (flag: string, value: unknown) => void;
}

/** tfjs `Platform` for the ESM bundle in Node (tfjs-core src/platforms/platform.ts). */
function platformShim(): Record<string, unknown> {
  const encoder = new TextEncoder();
  return {
    fetch: (path: string, init?: RequestInit) => globalThis.fetch(path, init),
    now: () => performance.now(),
    encode: (text: string, encoding: string) => {
      if (encoding !== 'utf-8' && encoding !== 'utf8') throw new Error(`only utf-8 is supported, got ${encoding}`);
      return encoder.encode(text);
    },
    decode: (bytes: Uint8Array, encoding: string) => new TextDecoder(encoding).decode(bytes),
    isTypedArray: (a: unknown) =>
      a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray,
    setTimeoutCustom: (fn: () => void, delay: number) => setTimeout(fn, delay),
  };
}

let instance: Promise<HumanLike> | undefined;

/** The process-wide Human instance, created and its models loaded on first use. */
export function getHuman(): Promise<HumanLike> {
  instance ??= (async () => {
    installFileFetchShim();
    const mod = await loadBundle();
    const human = new mod.Human(baseConfig());
    const env = (human.tf as unknown as { env: () => TfEnv }).env();
    if (env.platform == null) env.setPlatform('node-shim', platformShim());
    // The threaded wasm binary needs Web Workers; Node has none (worker_threads differ).
    env.set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    await withNodeHidden(async () => {
      await human.load();
    });
    return human;
  })().catch((err: unknown) => {
    instance = undefined; // let a later call retry
    throw err;
  });
  return instance;
}
