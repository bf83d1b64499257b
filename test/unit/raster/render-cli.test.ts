/**
 * The render CLI as users run it: a child process on the project's Node (type stripping runs the
 * .ts directly), a PLY written by the test, a PNG checked with sharp; and its refusals (exit 2
 * for bad arguments, 1 for bad files, a message on stderr, nothing on stdout).
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { toRgba8 } from '../../../src/main/raster/png-writer.ts';
import { parseRenderArgs, UsageError } from '../../../src/main/raster/render-cli.ts';
import { writeSplatPly } from '../../../src/shared/splats/ply.ts';
import { useTmpDirs } from '../../helpers/tmp-dir.ts';
import { concatSplats, frontCamera, splat, unproject } from '../../reference/scenes.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'src/main/raster/render-cli.ts');
const tmp = useTmpDirs('render-cli');

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Two splats in front of the identity camera: red on the left half, opaque green on the right. */
async function writeScene(dir: string): Promise<string> {
  const camera = frontCamera(64, 48, 60);
  const scene = concatSplats(
    splat(unproject(camera, 16, 24, 2), [0.12, 0.12, 0.12], [1, 0, 0, 0], 0.9, [1, 0, 0]),
    splat(unproject(camera, 48, 24, 2), [0.12, 0.12, 0.12], [1, 0, 0, 0], 1, [0, 1, 0]),
  );
  const path = join(dir, 'scene.ply');
  await writeFile(path, writeSplatPly(scene));
  return path;
}

async function pixels(path: string): Promise<{ width: number; height: number; at: (x: number, y: number) => number[] }> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(4);
  return { width: info.width, height: info.height, at: (x, y) => [...data.subarray(4 * (y * info.width + x), 4 * (y * info.width + x) + 4)] };
}

const IDENTITY = '1,0,0,0,0,1,0,0,0,0,1,0,0,0,0,1';

describe('render CLI', () => {
  it('renders a PLY to an RGBA PNG of the requested size with the splats in alpha', async () => {
    const dir = await tmp();
    const ply = await writeScene(dir);
    const out = join(dir, 'out.png');
    const result = await runCli(['--ply', ply, '--out', out, '--width', '64', '--height', '48', '--fx', '60', '--view', IDENTITY, '--backend', 'cpu']);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    const image = await pixels(out);
    expect([image.width, image.height]).toEqual([64, 48]);
    expect(image.at(0, 0)[3]).toBe(0); // nothing there: transparent
    const red = image.at(16, 24);
    expect(red[3]).toBeGreaterThan(200);
    expect(red[0]).toBe(255); // straight alpha: the splat's own colour, not darkened by coverage
    expect(red[1]).toBe(0);
    const green = image.at(48, 24);
    expect(green[1]).toBe(255);
    expect(green[3]).toBeGreaterThan(240);
  });

  it('composites over a background colour (alpha stays the matte) or writes it opaque', async () => {
    const dir = await tmp();
    const ply = await writeScene(dir);
    const camera = { width: 32, height: 24, fx: 30, fy: 30, cx: 16, cy: 12, view: IDENTITY.split(',').map(Number), near: 0.1, far: 10 };
    await writeFile(join(dir, 'camera.json'), JSON.stringify(camera));
    const matte = join(dir, 'matte.png');
    expect((await runCli(['--ply', ply, '--out', matte, '--camera', join(dir, 'camera.json'), '--background', '0,0,1'])).code).toBe(0);
    const m = await pixels(matte);
    expect([m.width, m.height]).toEqual([32, 24]);
    expect(m.at(0, 0)).toEqual([0, 0, 255, 0]);
    const opaque = join(dir, 'opaque.png');
    expect((await runCli(['--ply', ply, '--out', opaque, '--camera', join(dir, 'camera.json'), '--background', '0,0,1', '--opaque', '--verbose'])).stdout).toMatch(/rendered 2 splats at 32x24 on cpu/);
    expect((await pixels(opaque)).at(0, 0)).toEqual([0, 0, 255, 255]);
  });

  it('renders the demo head from an orbit camera over a background image', async () => {
    const dir = await tmp();
    const background = join(dir, 'bg.png');
    await sharp({ create: { width: 10, height: 10, channels: 3, background: '#ff8000' } }).png().toFile(background);
    const out = join(dir, 'head.png');
    const result = await runCli(['--demo-head', '--out', out, '--width', '96', '--height', '80', '--yaw', '30', '--pitch', '10', '--background-image', background, '--opaque']);
    expect(result.stderr).toBe('');
    const image = await pixels(out);
    expect(image.at(0, 0)).toEqual([255, 128, 0, 255]); // the background, stretched
    expect(image.at(48, 40)).not.toEqual([255, 128, 0, 255]); // the head in the middle
  });

  it('refuses bad arguments with exit status 2 and a message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--demo-head'], /--out FILE.png is required/],
      [['--out', 'x.png'], /--ply FILE or --demo-head/],
      [['--demo-head', '--out', 'x.png', '--width', '0'], /--width must be a positive integer, got "0"/],
      [['--demo-head', '--out', 'x.png', '--backend', 'gpu'], /--backend must be cpu, cuda or auto/],
      [['--demo-head', '--out', 'x.png', '--view', '1,2,3'], /--view must be 16 comma-separated numbers/],
      [['--demo-head', '--out', 'x.png', '--background', '1,2'], /--background must be 3 comma-separated numbers/],
      [['--demo-head', '--out', 'x.png', '--near', '2', '--far', '1'], /--far \(1\) must be greater than --near \(2\)/],
      [['--demo-head', '--out', 'x.png', '--camera', 'c.json', '--fx', '3'], /--camera gives the whole camera: do not combine it with --fx/],
      [['--demo-head', '--out', 'x.png', '--frobnicate'], /Unknown option '--frobnicate'/],
    ];
    for (const [args, message] of cases) {
      expect(() => parseRenderArgs(args)).toThrow(UsageError);
      expect(() => parseRenderArgs(args)).toThrow(message);
    }
    const result = await runCli(['--demo-head', '--out', 'x.png', '--pitch', '95']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/--pitch must be degrees in \(-90, 90\), got "95"/);
  });

  it('refuses bad files with exit status 1, naming what is wrong', async () => {
    const dir = await tmp();
    const notPly = join(dir, 'not.ply');
    await writeFile(notPly, 'hello');
    const bad = await runCli(['--ply', notPly, '--out', join(dir, 'x.png')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/render: not a PLY file/);
    const missing = await runCli(['--ply', join(dir, 'missing.ply'), '--out', join(dir, 'x.png')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT|no such file/);
    const cameraFile = join(dir, 'camera.json');
    await writeFile(cameraFile, JSON.stringify({ width: 8, height: 8, fx: 8, fy: 8, cx: 4, cy: 4, view: [1, 2, 3], near: 0.1, far: 10 }));
    const camera = await runCli(['--demo-head', '--out', join(dir, 'x.png'), '--camera', cameraFile]);
    expect(camera.code).toBe(1);
    expect(camera.stderr).toMatch(/"view" must be 16 numbers/);
    await expect(readFile(join(dir, 'x.png'))).rejects.toThrow();
  });

  it('frames a PLY by its bounding box when no view is given', () => {
    const request = parseRenderArgs(['--ply', 'a.ply', '--out', 'a.png', '--yaw', '20']);
    expect(request).not.toBe('help');
    if (request === 'help') return;
    expect(request.camera.kind).toBe('framed');
    const head = parseRenderArgs(['--demo-head', '--out', 'a.png']);
    expect(head !== 'help' && head.camera.kind).toBe('fixed');
  });

  it('writes 8-bit values as they are: straight alpha un-premultiplies, matte and opaque do not', () => {
    // One pixel half covered by colour (0.8, 0.4, 0) over black: the rasterizer gives rgb = 0.5 * colour.
    const image = { width: 2, height: 1, rgb: [0.4, 0.2, 0, 2, -1, Number.NaN], alpha: [0.5, 0] };
    expect([...toRgba8(image, 'straight')]).toEqual([204, 102, 0, 128, 0, 0, 0, 0]);
    expect([...toRgba8(image, 'matte')]).toEqual([102, 51, 0, 128, 255, 0, 0, 0]);
    expect([...toRgba8(image, 'opaque')]).toEqual([102, 51, 0, 255, 255, 0, 0, 255]);
    expect(() => toRgba8({ ...image, alpha: [1] }, 'opaque')).toThrow(/do not match 2x1/);
  });
});
