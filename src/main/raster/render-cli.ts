/**
 * `render`: one frame of a splat file (or the procedural demo head) to an RGBA PNG, with the
 * native rasterizer. For users and scripts; prints nothing but errors unless --verbose.
 *
 *   npm run render -- --ply head.ply --out head.png [options]
 *   node src/main/raster/render-cli.ts --demo-head --out head.png --yaw 30
 *
 * Input (one of):
 *   --ply FILE               a 3DGS PLY (src/shared/splats/ply.ts)
 *   --demo-head              the procedural head (src/shared/splats/head-scene.ts), 65,536 splats
 * Camera (DESIGN.md "Cameras": OpenCV, world-to-camera row-major, pixel centres at +0.5):
 *   --camera FILE.json       {width, height, fx, fy, cx, cy, view[16], near, far}; the whole camera,
 *                            not combined with the flags below
 *   --width W --height H     pixels (default 512 x 512)
 *   --fov-y DEG              vertical field of view, square pixels, centred (default 30), or
 *   --fx F [--fy F --cx X --cy Y]   pixels (fy defaults to fx, cx/cy to the image centre)
 *   --view m00,m01,...,m33   16 comma-separated numbers, or an orbit camera
 *                            (src/shared/camera/orbit-camera.ts):
 *   --yaw DEG --pitch DEG    (default 0, 0: the front view)
 *   --distance D --target x,y,z   (default: the demo head's framing, or for a PLY the centre of
 *                            its splats at a distance that fits them)
 *   --near N --far F         clip planes (default 0.01, 100)
 * Background and alpha (src/main/raster/png-writer.ts):
 *   (none)                   transparent PNG: straight alpha, the splats' colour
 *   --background r,g,b       composite over a colour (0..1 each); alpha stays the splats'
 *   --background-image FILE  composite over an image (stretched to the output size)
 *   --opaque                 alpha 255 everywhere
 * Engine:
 *   --backend cpu|cuda|auto  (default auto: CUDA where available)   --threads N (CPU; default all)
 *   --verbose                print what was rendered and how long it took
 *
 * Exit status: 0 done, 2 bad arguments, 1 anything else (unreadable file, bad PLY, render error).
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { orbitCamera } from '../../shared/camera/orbit-camera.ts';
import { intrinsicsFromFovY, type PinholeCamera } from '../../shared/camera/pinhole.ts';
import { HEAD_SCENE_CAMERA, headScene } from '../../shared/splats/head-scene.ts';
import { readSplatPly } from '../../shared/splats/ply.ts';
import type { SplatBuffers } from '../../shared/splats/types.ts';
import { readBackgroundImage, writeRenderPng, type AlphaMode } from './png-writer.ts';

/** A refusal of the command line: exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const OPTIONS = {
  ply: { type: 'string' },
  'demo-head': { type: 'boolean' },
  out: { type: 'string' },
  camera: { type: 'string' },
  width: { type: 'string' },
  height: { type: 'string' },
  'fov-y': { type: 'string' },
  fx: { type: 'string' },
  fy: { type: 'string' },
  cx: { type: 'string' },
  cy: { type: 'string' },
  view: { type: 'string' },
  yaw: { type: 'string' },
  pitch: { type: 'string' },
  distance: { type: 'string' },
  target: { type: 'string' },
  near: { type: 'string' },
  far: { type: 'string' },
  background: { type: 'string' },
  'background-image': { type: 'string' },
  opaque: { type: 'boolean' },
  backend: { type: 'string' },
  threads: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Background = { kind: 'none' } | { kind: 'color'; color: [number, number, number] } | { kind: 'image'; path: string };

/**
 * Where the camera comes from: a JSON file, the flags alone, or an orbit that frames the splats
 * (a PLY without --view or a complete orbit: its missing distance/target follow from the splats).
 */
export type CameraSource =
  | { kind: 'file'; path: string }
  | { kind: 'fixed'; camera: PinholeCamera }
  | {
      kind: 'framed';
      width: number;
      height: number;
      intrinsics: { fx: number; fy: number; cx: number; cy: number };
      yawDeg: number;
      pitchDeg: number;
      distance: number | undefined;
      target: [number, number, number] | undefined;
      near: number;
      far: number;
    };

export interface RenderRequest {
  source: { kind: 'ply'; path: string } | { kind: 'demo-head' };
  out: string;
  camera: CameraSource;
  background: Background;
  opaque: boolean;
  backend: 'cpu' | 'cuda' | 'auto';
  threads: number | undefined;
  verbose: boolean;
}

function number(flag: string, text: string | undefined, check: (v: number) => boolean = Number.isFinite, what = 'a number'): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw new UsageError(`--${flag} must be ${what}, got "${text}"`);
  return value;
}

function numbers(flag: string, text: string | undefined, count: number): number[] | undefined {
  if (text === undefined) return undefined;
  const values = text.split(',').map((s) => Number(s));
  if (values.length !== count || values.some((v, k) => !Number.isFinite(v) || text.split(',')[k]!.trim() === '')) {
    throw new UsageError(`--${flag} must be ${count} comma-separated numbers, got "${text}"`);
  }
  return values;
}

const positiveInt = (v: number): boolean => Number.isInteger(v) && v >= 1;
const positive = (v: number): boolean => v > 0;

/** Parses the command line into a request; throws UsageError. */
export function parseRenderArgs(argv: string[]): RenderRequest | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (values.help) return 'help';
  if (!values.out) throw new UsageError('--out FILE.png is required');
  if (values.ply && values['demo-head']) throw new UsageError('give either --ply FILE or --demo-head, not both');
  if (!values.ply && !values['demo-head']) throw new UsageError('give the splats: --ply FILE or --demo-head');
  if (values.background && values['background-image']) throw new UsageError('give either --background or --background-image, not both');
  if (values['fov-y'] !== undefined && values.fx !== undefined) throw new UsageError('give either --fov-y or --fx (with --fy, --cx, --cy), not both');
  const orbitFlags = ['yaw', 'pitch', 'distance', 'target'] as const;
  if (values.view !== undefined && orbitFlags.some((f) => values[f] !== undefined)) throw new UsageError('give either --view or the orbit flags (--yaw, --pitch, --distance, --target), not both');
  const cameraFlags = ['width', 'height', 'fov-y', 'fx', 'fy', 'cx', 'cy', 'view', 'near', 'far', ...orbitFlags] as const;
  const mixed = cameraFlags.filter((f) => values[f] !== undefined);
  if (values.camera && mixed.length > 0) throw new UsageError(`--camera gives the whole camera: do not combine it with ${mixed.map((f) => `--${f}`).join(', ')}`);
  const backend = values.backend ?? 'auto';
  if (backend !== 'cpu' && backend !== 'cuda' && backend !== 'auto') throw new UsageError(`--backend must be cpu, cuda or auto, got "${backend}"`);

  const width = number('width', values.width, positiveInt, 'a positive integer') ?? 512;
  const height = number('height', values.height, positiveInt, 'a positive integer') ?? 512;
  const near = number('near', values.near, positive, 'a positive number') ?? 0.01;
  const far = number('far', values.far, positive, 'a positive number') ?? 100;
  if (!(far > near)) throw new UsageError(`--far (${far}) must be greater than --near (${near})`);
  const fovYDeg = number('fov-y', values['fov-y'], (v) => v > 0 && v < 180, 'degrees in (0, 180)') ?? HEAD_SCENE_CAMERA.fovYDeg;
  const yawDeg = number('yaw', values.yaw) ?? 0;
  const pitchDeg = number('pitch', values.pitch, (v) => Math.abs(v) < 90, 'degrees in (-90, 90)') ?? 0;
  const distance = number('distance', values.distance, positive, 'a positive number');
  const target = numbers('target', values.target, 3) as [number, number, number] | undefined;

  const fx = number('fx', values.fx, positive, 'a positive number of pixels');
  if (fx === undefined && [values.fy, values.cx, values.cy].some((v) => v !== undefined)) throw new UsageError('--fy, --cx and --cy need --fx');
  const intrinsics =
    fx !== undefined
      ? { fx, fy: number('fy', values.fy, positive, 'a positive number of pixels') ?? fx, cx: number('cx', values.cx) ?? width / 2, cy: number('cy', values.cy) ?? height / 2 }
      : intrinsicsFromFovY(fovYDeg, width, height);

  const source = values.ply ? ({ kind: 'ply', path: values.ply } as const) : ({ kind: 'demo-head' } as const);
  const view = numbers('view', values.view, 16);
  let camera: CameraSource;
  if (values.camera) {
    camera = { kind: 'file', path: values.camera };
  } else if (view) {
    camera = { kind: 'fixed', camera: { width, height, ...intrinsics, view, near, far } };
  } else if (source.kind === 'demo-head' || (distance !== undefined && target !== undefined)) {
    const orbit = orbitCamera({ yawDeg, pitchDeg, distance: distance ?? HEAD_SCENE_CAMERA.distance, target: target ?? HEAD_SCENE_CAMERA.target, width, height, near, far });
    camera = { kind: 'fixed', camera: { ...orbit, ...intrinsics } };
  } else {
    camera = { kind: 'framed', width, height, intrinsics, yawDeg, pitchDeg, distance, target, near, far };
  }

  let background: Background = { kind: 'none' };
  if (values.background) {
    const color = numbers('background', values.background, 3)!;
    if (color.some((c) => c < 0 || c > 1)) throw new UsageError(`--background must be three numbers in 0..1, got "${values.background}"`);
    background = { kind: 'color', color: color as [number, number, number] };
  } else if (values['background-image']) {
    background = { kind: 'image', path: values['background-image'] };
  }
  const threads = number('threads', values.threads, positiveInt, 'a positive integer');
  return { source, out: values.out, camera, background, opaque: values.opaque ?? false, backend, threads, verbose: values.verbose ?? false };
}

/** Reads a camera JSON file in the design's conventions; throws with the field that is wrong. */
export function parseCameraJson(text: string, path: string): PinholeCamera {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`camera file ${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const o = data as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) throw new Error(`camera file ${path}: expected an object {width, height, fx, fy, cx, cy, view, near, far}`);
  const field = (name: string, check: (v: number) => boolean, what: string): number => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw new Error(`camera file ${path}: "${name}" must be ${what}, got ${JSON.stringify(v)}`);
    return v;
  };
  const view = o.view;
  if (!Array.isArray(view) || view.length !== 16 || view.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new Error(`camera file ${path}: "view" must be 16 numbers (world-to-camera, row-major), got ${JSON.stringify(view)}`);
  }
  const camera: PinholeCamera = {
    width: field('width', positiveInt, 'a positive integer'),
    height: field('height', positiveInt, 'a positive integer'),
    fx: field('fx', positive, 'a positive number'),
    fy: field('fy', positive, 'a positive number'),
    cx: field('cx', Number.isFinite, 'a number'),
    cy: field('cy', Number.isFinite, 'a number'),
    view: view as number[],
    near: field('near', positive, 'a positive number'),
    far: field('far', positive, 'a positive number'),
  };
  if (!(camera.far > camera.near)) throw new Error(`camera file ${path}: "far" (${camera.far}) must be greater than "near" (${camera.near})`);
  return camera;
}

/**
 * Centre of the splats' bounding box and an orbit distance at which its bounding sphere fits the
 * narrower of the two fields of view (halfAngle, radians).
 */
function frameSplats(splats: SplatBuffers, halfAngle: number): { target: [number, number, number]; distance: number } {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let k = 0; k < splats.means.length; k++) {
    const v = splats.means[k]!;
    if (!Number.isFinite(v)) continue;
    lo[k % 3] = Math.min(lo[k % 3]!, v);
    hi[k % 3] = Math.max(hi[k % 3]!, v);
  }
  if (!(lo[0]! <= hi[0]!)) return { target: [0, 0, 0], distance: 1 };
  const target = [0, 1, 2].map((c) => (lo[c]! + hi[c]!) / 2) as [number, number, number];
  const radius = Math.max(1e-6, 0.5 * Math.hypot(hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!));
  return { target, distance: (1.05 * radius) / Math.sin(halfAngle) };
}

async function resolveCamera(source: CameraSource, splats: SplatBuffers): Promise<PinholeCamera> {
  if (source.kind === 'file') return parseCameraJson(await readFile(source.path, 'utf8'), source.path);
  if (source.kind === 'fixed') return source.camera;
  const { fx, fy } = source.intrinsics;
  const framed = frameSplats(splats, Math.min(Math.atan((0.5 * source.width) / fx), Math.atan((0.5 * source.height) / fy)));
  const distance = source.distance ?? framed.distance;
  const orbit = orbitCamera({
    yawDeg: source.yawDeg,
    pitchDeg: source.pitchDeg,
    distance,
    target: source.target ?? framed.target,
    width: source.width,
    height: source.height,
    near: source.near,
    far: Math.max(source.far, 4 * distance),
  });
  return { ...orbit, ...source.intrinsics };
}

async function run(request: RenderRequest, log: (line: string) => void): Promise<void> {
  const t0 = performance.now();
  const splats = request.source.kind === 'ply' ? readSplatPly(await readFile(request.source.path)) : headScene();
  const camera = await resolveCamera(request.camera, splats);
  const background =
    request.background.kind === 'color'
      ? { color: request.background.color }
      : request.background.kind === 'image'
        ? { image: await readBackgroundImage(request.background.path, camera.width, camera.height) }
        : { color: [0, 0, 0] as [number, number, number] };
  const loaded = performance.now();

  const native = await import('./native-raster.ts');
  const frame = native.render(splats, camera, { background, backend: request.backend, ...(request.threads ? { threads: request.threads } : {}) });
  const rendered = performance.now();
  const alpha: AlphaMode = request.opaque ? 'opaque' : request.background.kind === 'none' ? 'straight' : 'matte';
  await writeRenderPng(request.out, { width: camera.width, height: camera.height, rgb: frame.rgb, alpha: frame.alpha }, alpha);
  const written = performance.now();
  log(
    `rendered ${splats.opacities.length} splats at ${camera.width}x${camera.height} on ${frame.backend} in ${(rendered - loaded).toFixed(1)} ms ` +
      `(load ${(loaded - t0).toFixed(1)} ms, PNG ${(written - rendered).toFixed(1)} ms) -> ${request.out}`,
  );
  log(`camera ${JSON.stringify(camera)}`);
}

const HELP = `render --out FILE.png (--ply FILE | --demo-head) [camera] [background] [--backend cpu|cuda|auto] [--threads N] [--verbose]
camera: --camera FILE.json | [--width W --height H] [--fov-y DEG | --fx F --fy F --cx X --cy Y]
        [--view 16 numbers,comma-separated | --yaw DEG --pitch DEG --distance D --target x,y,z] [--near N --far F]
background: --background r,g,b (0..1) | --background-image FILE; --opaque writes alpha 255
See src/main/raster/render-cli.ts for the details.`;

/** Runs the CLI; returns the exit status. */
export async function main(argv: string[], io: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') }): Promise<number> {
  let request;
  try {
    request = parseRenderArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`render: ${error.message}`);
    io.err('Try: render --help');
    return 2;
  }
  if (request === 'help') {
    io.out(HELP);
    return 0;
  }
  try {
    await run(request, request.verbose ? io.out : () => {});
    return 0;
  } catch (error) {
    io.err(`render: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
