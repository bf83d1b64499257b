/**
 * What the engine makes of one portrait, as pictures for a reader (issue 5, "What to show"): the
 * avatar is generated through the engine process as the studio does it, then rendered with the
 * native rasterizer (CPU) from the source camera and from two side views.
 *
 *   node scripts/engine-showcase.ts [--portrait FILE] [--size 256|512] [--out-dir docs/engine]
 *
 * Writes, under --out-dir (default docs/engine), with <name> the portrait's file name stem:
 *   <name>-crop.png      the crop the model saw (the engine's cropPng);
 *   <name>-yaw0.png      the avatar from the source camera, over its predicted background;
 *   <name>-yaw-30.png, <name>-yaw30.png   the camera orbited 30 degrees left / right about the head
 *                        origin, over neutral grey (the background is a flat card behind the head,
 *                        right only for the source view);
 *   <name>-views.png     crop | yaw -30 | yaw 0 | yaw +30 side by side.
 * Every view keeps the source camera's distance and field of view: its view matrix (world = head
 * space, OpenCV axes, DESIGN.md "Cameras") and its intrinsics scaled from the model input to
 * --size. Prints the camera and how close the yaw 0 view comes to the crop (PSNR).
 */
import { mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { EngineMethods, GenerateAvatarResult } from '../src/main/engine/engine-api.ts';
import { defaultPackDir } from '../src/main/engine/models/pack-registry.ts';
import { resolveEngineEntry } from '../src/main/engine/process/engine-entry-path.ts';
import { EngineHost } from '../src/main/engine/process/engine-host.ts';
import { spawnNodeEngine } from '../src/main/engine/process/engine-transport.ts';
import { render, type RasterBackground, type RasterCamera } from '../src/main/raster/native-raster.ts';
import { toRgba8 } from '../src/main/raster/png-writer.ts';
import { cameraCentre, fovYFromIntrinsics } from '../src/shared/camera/pinhole.ts';
import { splatsFromBytes } from '../src/shared/splats/splat-bytes.ts';
import type { SplatBuffers } from '../src/shared/splats/types.ts';

const ROOT = resolve(import.meta.dirname, '..');
const YAWS = [-30, 0, 30] as const;
const GREY: [number, number, number] = [0.5, 0.5, 0.5];
/** Pixels between the panels of the strip, and the height of the label band under them. */
const GAP = 8;
const LABEL_BAND = 28;

type Avatar = Extract<GenerateAvatarResult, { status: 'ok' }>;

interface Options {
  portrait: string;
  size: number;
  outDir: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      portrait: { type: 'string', default: join(ROOT, 'resources/demo/portrait.png') },
      size: { type: 'string', default: '512' },
      'out-dir': { type: 'string', default: join(ROOT, 'docs/engine') },
    },
  });
  const size = Number(values.size);
  if (size !== 256 && size !== 512) throw new Error(`--size must be 256 or 512, got ${values.size}`);
  return { portrait: resolve(values.portrait), size, outDir: resolve(values['out-dir']) };
}

async function generateAvatar(portrait: string): Promise<Avatar> {
  const host = new EngineHost<EngineMethods>({ spawn: () => spawnNodeEngine(resolveEngineEntry()) });
  try {
    const bytes = new Uint8Array(await readFile(portrait));
    const result = await host.call('avatar.generate', { bytes, name: basename(portrait), packDir: defaultPackDir(ROOT) });
    if (result.status !== 'ok') throw new Error(`${portrait}: ${result.message}`);
    return result;
  } finally {
    await host.dispose();
  }
}

/**
 * The source view orbited by yawDeg about the world's vertical (y) axis through the head origin,
 * positive towards +x as in orbit-camera.ts: view' = view * diag(M^T, 1), M the rotation taking
 * the camera centre C to M C.
 */
function yawedView(view: readonly number[], yawDeg: number): number[] {
  const c = Math.cos((yawDeg * Math.PI) / 180);
  const s = Math.sin((yawDeg * Math.PI) / 180);
  // M = [[c, 0, -s], [0, 1, 0], [s, 0, c]] sends (0, 0, -d) to (d s, 0, -d c); this is M^T.
  const mT = [
    [c, 0, s],
    [0, 1, 0],
    [-s, 0, c],
  ];
  const out = [...view];
  for (let r = 0; r < 3; r++) {
    for (let col = 0; col < 3; col++) out[4 * r + col] = view[4 * r]! * mT[0]![col]! + view[4 * r + 1]! * mT[1]![col]! + view[4 * r + 2]! * mT[2]![col]!;
  }
  return out;
}

/** The avatar's camera with its intrinsics scaled from the model input to size x size. */
function sourceCamera(avatar: Avatar, size: number, yawDeg: number): RasterCamera {
  const [fx, fy, cx, cy] = avatar.camera.intrinsics as [number, number, number, number];
  const k = size / avatar.camera.resolution;
  return { width: size, height: size, fx: fx * k, fy: fy * k, cx: cx * k, cy: cy * k, view: yawedView(avatar.camera.view, yawDeg), near: 0.01, far: 100 };
}

/** The predicted background (float32 RGB [R, R, 3], 0..1) upsampled to size x size, bilinear. */
async function backgroundImage(avatar: Avatar, size: number): Promise<Float32Array> {
  const values = new Float32Array(new Uint8Array(avatar.background).buffer);
  const r = Math.round(Math.sqrt(values.length / 3));
  const bytes = Uint8Array.from(values, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
  const { data } = await sharp(bytes, { raw: { width: r, height: r, channels: 3 } })
    .resize(size, size, { kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Float32Array.from(data, (v) => v / 255);
}

/** Opaque 8-bit RGB of a render, for PNGs and comparisons. */
function renderRgb8(splats: SplatBuffers, camera: RasterCamera, background: RasterBackground): { rgb: Uint8Array; coverage: number } {
  const frame = render(splats, camera, { background, backend: 'cpu' });
  const rgba = toRgba8({ width: camera.width, height: camera.height, rgb: frame.rgb, alpha: frame.alpha }, 'opaque');
  const rgb = new Uint8Array(camera.width * camera.height * 3);
  for (let p = 0; p < camera.width * camera.height; p++) rgb.set(rgba.subarray(4 * p, 4 * p + 3), 3 * p);
  const coverage = frame.alpha.reduce((sum, a) => sum + a, 0) / frame.alpha.length;
  return { rgb, coverage };
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += (a[k]! - b[k]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / a.length));
}

const rawPng = (rgb: Uint8Array, size: number) => sharp(rgb, { raw: { width: size, height: size, channels: 3 } }).png();

/** A row of labelled panels, each size x size, on white. */
async function strip(panels: Array<{ rgb: Uint8Array; label: string }>, size: number): Promise<Buffer> {
  const width = panels.length * size + (panels.length + 1) * GAP;
  const height = size + 2 * GAP + LABEL_BAND;
  const labels = panels
    .map((p, i) => `<text x="${GAP + i * (size + GAP) + size / 2}" y="${size + GAP + LABEL_BAND - 6}" text-anchor="middle">${p.label}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="18" fill="#222">${labels}</svg>`;
  const layers = await Promise.all(
    panels.map(async (p, i) => ({ input: await rawPng(p.rgb, size).toBuffer(), left: GAP + i * (size + GAP), top: GAP })),
  );
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([...layers, { input: Buffer.from(svg), left: 0, top: 0 }])
    .png()
    .toBuffer();
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const { size, outDir } = options;
  const name = basename(options.portrait, extname(options.portrait));
  mkdirSync(outDir, { recursive: true });

  const avatar = await generateAvatar(options.portrait);
  const splats = splatsFromBytes(avatar.splats);
  const front = sourceCamera(avatar, size, 0);
  const distance = Math.hypot(...cameraCentre(front.view));
  console.log(
    `${name}: ${avatar.numSplats} splats (${avatar.modelName}); camera ${distance.toFixed(3)} from the head origin, ` +
      `field of view ${fovYFromIntrinsics(front.fy, size).toFixed(1)} deg; head yaw ${avatar.camera.yawDeg.toFixed(1)}, ` +
      `pitch ${avatar.camera.pitchDeg.toFixed(1)}, roll ${avatar.camera.rollDeg.toFixed(1)} deg` +
      (avatar.warnings.length ? `; warnings: ${avatar.warnings.join(' ')}` : ''),
  );

  const cropPath = join(outDir, `${name}-crop.png`);
  await writeFile(cropPath, avatar.cropPng);
  const crop = new Uint8Array(await sharp(avatar.cropPng).removeAlpha().resize(size, size, { kernel: 'lanczos3' }).raw().toBuffer());
  const background = await backgroundImage(avatar, size);
  const written = [cropPath];
  const panels: Array<{ rgb: Uint8Array; label: string }> = [{ rgb: crop, label: 'crop (model input)' }];
  for (const yaw of YAWS) {
    const camera = sourceCamera(avatar, size, yaw);
    const { rgb, coverage } = renderRgb8(splats, camera, yaw === 0 ? { image: background } : { color: GREY });
    const path = join(outDir, `${name}-yaw${yaw}.png`);
    await rawPng(rgb, size).toFile(path);
    written.push(path);
    panels.push({ rgb, label: `yaw ${yaw > 0 ? '+' : ''}${yaw}°` });
    const vsCrop = yaw === 0 ? `; PSNR against the crop ${psnr(rgb, crop).toFixed(1)} dB` : '';
    console.log(`  yaw ${yaw}: mean splat coverage ${coverage.toFixed(3)}${vsCrop}`);
  }
  const backgroundOnly = Uint8Array.from(background, (v) => Math.round(255 * v));
  console.log(`  the background alone against the crop: PSNR ${psnr(backgroundOnly, crop).toFixed(1)} dB`);
  const stripPath = join(outDir, `${name}-views.png`);
  await writeFile(stripPath, await strip(panels, size));
  written.push(stripPath);
  console.log(`  wrote ${written.map((p) => p.startsWith(ROOT) ? p.slice(ROOT.length + 1) : p).join(', ')}`);
}

await main();
