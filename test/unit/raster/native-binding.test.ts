/**
 * The Node-API binding of the native rasterizer (src/native-gpu/node, src/main/raster/native-raster.ts):
 * bad input from JS throws a clear TypeError/RangeError naming the argument and the process
 * survives; backends are reported; and behaviour checks that need no reference and would fail if
 * the core were wrong (empty scene, one opaque splat, culling, depth, thread and SIMD
 * determinism, backward identities, finite differences of the backward on a tiny scene).
 * Exhaustive comparisons with the reference rasterizer live in reference-vs-cpu.test.ts and
 * gradients.test.ts. Needs the module built: `node scripts/build-native.mjs`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  availableBackends,
  nativeModulePath,
  render,
  renderAsync,
  renderBackward,
  type RasterBackground,
  type RasterCamera,
  type RasterImages,
} from '../../../src/main/raster/native-raster.ts';
import { allocateSplats, type SplatBuffers } from '../../../src/shared/splats/types.ts';
import { seededPrng } from '../../helpers/prng.ts';

const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

function camera(width: number, height: number, extra: Partial<RasterCamera> = {}): RasterCamera {
  const f = 1.1 * Math.max(width, height);
  return { width, height, fx: f, fy: f, cx: width / 2, cy: height / 2, view: IDENTITY, near: 0.1, far: 100, ...extra };
}

/** One splat per entry: mean, isotropic or per-axis scale, quaternion (w, x, y, z), opacity, colour. */
interface SplatSpec {
  mean: [number, number, number];
  scale: number | [number, number, number];
  quat?: [number, number, number, number];
  opacity: number;
  color: [number, number, number];
}

function splatsOf(specs: SplatSpec[]): SplatBuffers {
  const s = allocateSplats(specs.length);
  specs.forEach((p, i) => {
    s.means.set(p.mean, 3 * i);
    s.scales.set(typeof p.scale === 'number' ? [p.scale, p.scale, p.scale] : p.scale, 3 * i);
    s.quats.set(p.quat ?? [1, 0, 0, 0], 4 * i);
    s.opacities[i] = p.opacity;
    s.colors.set(p.color, 3 * i);
  });
  return s;
}

/** n random splats in front of the camera of `camera(...)` (a cube around z = 3). */
function randomSplats(n: number, seed: number): SplatBuffers {
  const r = seededPrng(seed);
  const u = (lo: number, hi: number) => lo + (hi - lo) * r.next();
  const s = allocateSplats(n);
  for (let i = 0; i < n; i++) {
    s.means.set([u(-1, 1), u(-1, 1), u(2.5, 3.5)], 3 * i);
    s.scales.set([u(0.01, 0.12), u(0.01, 0.12), u(0.005, 0.05)], 3 * i);
    s.quats.set([u(-1, 1), u(-1, 1), u(-1, 1), u(-1, 1)], 4 * i); // unnormalised on purpose
    s.opacities[i] = u(0.02, 1);
    s.colors.set([u(0, 1), u(0, 1), u(0, 1)], 3 * i);
  }
  return s;
}

function expectError(run: () => unknown, type: new (...args: never[]) => Error, message: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${type.name} matching ${message}`).toBeInstanceOf(type);
  expect((caught as Error).message).toMatch(message);
}

const sameBits = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('native rasterizer binding: backends', () => {
  it('reports the CPU backend, and CUDA with a reason when it cannot run', () => {
    const b = availableBackends();
    expect(b.cpu).toBe(true);
    expect(typeof b.cuda).toBe('boolean');
    if (b.cuda) expect(b.cudaReason).toBeNull();
    else expect(b.cudaReason).toMatch(/\S/);
  });

  it('refuses backend cuda with the reason when it is unavailable, and unknown backends', () => {
    const b = availableBackends();
    const s = randomSplats(4, 1);
    if (!b.cuda) expectError(() => render(s, camera(8, 8), { backend: 'cuda' }), Error, /backend 'cuda' is unavailable: .+/);
    expectError(() => render(s, camera(8, 8), { backend: 'metal' as never }), RangeError, /options\.backend must be 'cpu' or 'cuda', received "metal"/);
    expect(render(s, camera(8, 8), { backend: 'cpu' }).backend).toBe('cpu');
    expect(render(s, camera(8, 8), { backend: 'auto' }).backend).toBe(b.cuda ? 'cuda' : 'cpu');
  });

  it('says how to build the module when it cannot be loaded', async () => {
    const saved = process.env.SPLAT_RASTER_NODE;
    process.env.SPLAT_RASTER_NODE = join(tmpdir(), 'no-such-dir', 'splat_raster.node');
    try {
      vi.resetModules();
      const fresh = await import('../../../src/main/raster/native-raster.ts');
      expect(() => fresh.availableBackends()).toThrow(/native rasterizer is not available .*no-such-dir.*npm run build:native/s);
    } finally {
      if (saved === undefined) delete process.env.SPLAT_RASTER_NODE;
      else process.env.SPLAT_RASTER_NODE = saved;
      vi.resetModules();
    }
  });
});

describe('native rasterizer binding: bad input throws a clear error and the process survives', () => {
  const W = 20;
  const H = 12;
  const cam = camera(W, H);
  const good = () => randomSplats(5, 2);

  it('wrong buffer lengths, for each buffer, name the buffer, the expected and the received length', () => {
    for (const [key, comps] of [['means', 3], ['scales', 3], ['quats', 4], ['colors', 3]] as const) {
      const s = good();
      s[key] = new Float32Array(5 * comps - 1);
      const expected = new RegExp(`splats\\.${key}: expected ${comps} \\* N = ${5 * comps} floats \\(N = 5 splats, from splats\\.opacities\\), received a Float32Array of length ${5 * comps - 1}`);
      expectError(() => render(s, cam), RangeError, expected);
      expectError(() => renderBackward(s, cam, new Float32Array(W * H * 3), null), RangeError, expected);
    }
    const s = good();
    s.opacities = new Float32Array(6); // N is taken from opacities: now every other buffer is short
    expectError(() => render(s, cam), RangeError, /splats\.means: expected 3 \* N = 18 floats \(N = 6 splats/);
  });

  it('buffers of the wrong type name the type received', () => {
    const s = good();
    (s as unknown as Record<string, unknown>).means = new Float64Array(15);
    expectError(() => render(s, cam), TypeError, /splats\.means must be a Float32Array, received a Float64Array of length 15/);
    const t = good();
    (t as unknown as Record<string, unknown>).opacities = [1, 1, 1, 1, 1];
    expectError(() => render(t, cam), TypeError, /splats\.opacities must be a Float32Array, received an Array of length 5/);
    expectError(() => render(null as never, cam), TypeError, /splats must be an object, received null/);
  });

  it('non-finite splat values name the buffer and the index', () => {
    const s = good();
    s.means[4] = Number.NaN;
    expectError(() => render(s, cam), RangeError, /splats\.means\[4\] is NaN: every value must be finite/);
    const t = good();
    t.opacities[3] = Number.POSITIVE_INFINITY;
    expectError(() => render(t, cam), RangeError, /splats\.opacities\[3\] is Infinity/);
    const q = good();
    q.quats.fill(0, 8, 12);
    expectError(() => render(q, cam), RangeError, /splats\.quats\[8\.\.11\] \(splat 2\) has length 0/);
  });

  it('camera: non-finite view entries, bad sizes, near and far', () => {
    const s = good();
    const view = [...IDENTITY];
    view[3] = Number.POSITIVE_INFINITY;
    expectError(() => render(s, { ...cam, view }), RangeError, /camera\.view\[3\] must be finite, received Infinity/);
    expectError(() => render(s, { ...cam, view: IDENTITY.slice(0, 15) }), RangeError, /camera\.view: expected 16 numbers \(row-major 4x4\), received 15/);
    expectError(() => render(s, { ...cam, view: 'eye' as never }), TypeError, /camera\.view must be an Array, Float32Array or Float64Array/);
    for (const width of [-4, 0, 2.5, 16385, Number.NaN]) {
      expectError(() => render(s, { ...cam, width }), RangeError, /camera\.width must be an integer in 1\.\.16384, received/);
    }
    expectError(() => render(s, { ...cam, height: '12' as never }), TypeError, /camera\.height must be a number, received the string "12"/);
    expectError(() => render(s, { ...cam, fx: 0 }), RangeError, /camera\.fx must be > 0/);
    expectError(() => render(s, { ...cam, cy: Number.NaN }), RangeError, /camera\.cy must be finite, received NaN/);
    expectError(() => render(s, { ...cam, near: 0 }), RangeError, /camera\.near must be > 0, received 0/);
    expectError(() => render(s, { ...cam, near: -1 }), RangeError, /camera\.near must be > 0, received -1/);
    expectError(() => render(s, { ...cam, far: 0.1 }), RangeError, /camera\.far must be > camera\.near \(0\.1\), received 0\.1/);
    expectError(() => render(s, { ...cam, far: 0.05 }), RangeError, /camera\.far must be > camera\.near/);
  });

  it('outputs and backgrounds of the wrong size, overlapping buffers, bad options', () => {
    const s = good();
    const out: RasterImages = { rgb: new Float32Array(W * H * 3), alpha: new Float32Array(W * H), depth: new Float32Array(W * H) };
    expectError(() => render(s, cam, { out: { ...out, rgb: new Float32Array(W * H * 3 + 3) } }), RangeError,
      /options\.out\.rgb: expected H \* W \* 3 = 12 \* 20 \* 3 = 720 floats, received a Float32Array of length 723/);
    expectError(() => render(s, cam, { out: { ...out, alpha: new Float32Array(W * H - 1) } }), RangeError, /options\.out\.alpha: expected H \* W = 12 \* 20 = 240 floats/);
    expectError(() => render(s, cam, { out: { ...out, depth: undefined as never } }), TypeError, /options\.out\.depth must be a Float32Array, received undefined/);
    expectError(() => render(s, cam, { background: { image: new Float32Array(W * H) } }), RangeError, /options\.background\.image: expected H \* W \* 3 = 12 \* 20 \* 3 = 720 floats, received a Float32Array of length 240/);
    expectError(() => render(s, cam, { background: { color: [1, 1] as never } }), RangeError, /options\.background\.color: expected 3 numbers/);
    expectError(() => render(s, cam, { background: { color: [1, Number.NaN, 1] } }), RangeError, /options\.background\.color\[1\] must be finite, received NaN/);
    expectError(() => render(s, cam, { background: {} as never }), TypeError, /options\.background must have exactly one of/);
    const image = new Float32Array(W * H * 3);
    image[7] = Number.NEGATIVE_INFINITY;
    expectError(() => render(s, cam, { background: { image } }), RangeError, /options\.background\.image\[7\] is -Infinity/);
    const shared = new Float32Array(W * H * 3);
    expectError(() => render(s, cam, { background: { image: shared }, out: { ...out, rgb: shared } }), RangeError,
      /options\.out\.rgb shares memory with options\.background\.image/);
    const big = new Float32Array(W * H * 2);
    expectError(() => render(s, cam, { out: { ...out, alpha: big.subarray(0, W * H), depth: big.subarray(W * H - 1, 2 * W * H - 1) } }), RangeError,
      /options\.out\.(alpha|depth) shares memory with options\.out\.(alpha|depth)/);
    for (const threads of [-1, 1.5, 5000]) {
      expectError(() => render(s, cam, { threads }), RangeError, /options\.threads must be an integer in 0\.\.1024/);
    }
  });

  it('a detached (transferred) buffer is refused by name', () => {
    const s = good();
    structuredClone(s.colors.buffer, { transfer: [s.colors.buffer] });
    expect(s.colors.length).toBe(0); // detached: the view has no elements left
    expectError(() => render(s, cam), TypeError, /splats\.colors: its ArrayBuffer is detached/);
    // Detached by JS that runs while the arguments are read (a getter): caught too.
    const t = good();
    const sneaky = { ...cam, get far() { structuredClone(t.means.buffer, { transfer: [t.means.buffer] }); return 100; } };
    expectError(() => render(t, sneaky), TypeError, /splats\.means (changed \(detached or resized\) while the arguments were read|: its ArrayBuffer is detached)/);
  });

  it('backward: gradients of the wrong size or non-finite', () => {
    const s = good();
    expectError(() => renderBackward(s, cam, new Float32Array(W * H * 3 - 3), null), RangeError, /gradRgb: expected H \* W \* 3 = 12 \* 20 \* 3 = 720 floats, received a Float32Array of length 717/);
    expectError(() => renderBackward(s, cam, new Float32Array(W * H * 3), new Float32Array(W * H * 3)), RangeError, /gradAlpha: expected H \* W = 12 \* 20 = 240 floats/);
    const g = new Float32Array(W * H * 3);
    g[100] = Number.NaN;
    expectError(() => renderBackward(s, cam, g, null), RangeError, /gradRgb\[100\] is NaN/);
  });

  it('renderAsync rejects (rather than throwing) with the same messages', async () => {
    const s = good();
    s.scales[2] = Number.NaN;
    await expect(renderAsync(s, cam)).rejects.toThrow(/splats\.scales\[2\] is NaN/);
    await expect(renderAsync(good(), { ...cam, near: 0 })).rejects.toBeInstanceOf(RangeError);
  });

  it('still renders after all of that', () => {
    const img = render(good(), cam, { threads: 1 });
    expect(img.alpha.some((a) => a > 0)).toBe(true);
  });
});

describe('native rasterizer binding: behaviour', () => {
  it('an empty scene is the background: alpha 0, depth 0, rgb the colour or the image', () => {
    const cam = camera(37, 21); // not a multiple of the tile size
    const none = allocateSplats(0);
    const colour = render(none, cam, { background: { color: [0.25, 0.5, 1] } });
    expect(colour.alpha.every((a) => a === 0)).toBe(true);
    expect(colour.depth.every((d) => d === 0)).toBe(true);
    for (let p = 0; p < 37 * 21; p++) expect([...colour.rgb.subarray(3 * p, 3 * p + 3)]).toEqual([0.25, 0.5, 1]);
    const image = Float32Array.from({ length: 37 * 21 * 3 }, (_, k) => (k % 97) / 97);
    const over = render(none, cam, { background: { image } });
    expect(sameBits(over.rgb, image)).toBe(true);
    expect(render(none, cam).rgb.every((v) => v === 0)).toBe(true); // default black
  });

  it('one opaque large splat in front covers the centre pixel with its colour (alpha clamped to 0.99)', () => {
    const cam = camera(31, 31); // odd: the principal point is the centre of pixel (15, 15)
    const color: [number, number, number] = [0.9, 0.3, 0.1];
    const bg: [number, number, number] = [0.2, 0.4, 0.6];
    const s = splatsOf([{ mean: [0, 0, 2], scale: 0.5, opacity: 1, color }]);
    const img = render(s, cam, { background: { color: bg } });
    const c = 15 * 31 + 15;
    expect(img.alpha[c]).toBeCloseTo(0.99, 6);
    for (let ch = 0; ch < 3; ch++) expect(img.rgb[3 * c + ch]).toBeCloseTo(0.99 * color[ch]! + 0.01 * bg[ch]!, 6);
    expect(img.depth[c]).toBeCloseTo(2, 5); // the splat's camera z
  });

  it('depth is the camera z of the splat hit, through a rotated and translated view', () => {
    // Camera at world (0, 0, -4) looking along +x: view maps world x to camera z.
    const view = [0, 0, -1, -4, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1];
    const cam = camera(15, 15, { view });
    const s = splatsOf([{ mean: [2.5, 0, -4], scale: 0.3, opacity: 0.8, color: [1, 1, 1] }]);
    const img = render(s, cam);
    const c = 7 * 15 + 7;
    expect(img.alpha[c]).toBeGreaterThan(0.7);
    expect(img.depth[c]).toBeCloseTo(2.5, 5);
  });

  it('a splat behind the camera, at the near plane or beyond far contributes nothing', () => {
    const cam = camera(16, 16, { near: 0.5, far: 10 });
    for (const z of [-2, 0, 0.5, 10, 25]) {
      const img = render(splatsOf([{ mean: [0, 0, z], scale: 1, opacity: 1, color: [1, 0, 0] }]), cam);
      expect(img.alpha.every((a) => a === 0), `z = ${z}`).toBe(true);
    }
    const inside = render(splatsOf([{ mean: [0, 0, 9.9], scale: 1, opacity: 1, color: [1, 0, 0] }]), cam);
    expect(inside.alpha[8 * 16 + 8]).toBeGreaterThan(0.9);
  });

  it('1 and 2 threads (and all, and async) give identical forward images, into reused buffers', async () => {
    const s = randomSplats(3000, 3);
    const cam = camera(130, 75);
    const bg: RasterBackground = { image: Float32Array.from({ length: 130 * 75 * 3 }, (_, k) => (k % 13) / 13) };
    const one = render(s, cam, { threads: 1, background: bg });
    const out: RasterImages = { rgb: new Float32Array(130 * 75 * 3), alpha: new Float32Array(130 * 75), depth: new Float32Array(130 * 75) };
    const two = render(s, cam, { threads: 2, background: bg, out });
    expect(two.rgb).toBe(out.rgb);
    const all = render(s, cam, { background: bg });
    const late = await renderAsync(s, cam, { threads: 2, background: bg });
    expect(one.alpha.filter((a) => a > 0.5).length).toBeGreaterThan(1000);
    for (const other of [two, all, late]) {
      expect(sameBits(one.rgb, other.rgb)).toBe(true);
      expect(sameBits(one.alpha, other.alpha)).toBe(true);
      expect(sameBits(one.depth, other.depth)).toBe(true);
    }
  });

  it('the baseline and AVX2 builds of the tile kernels give identical images (SPLAT_CPU_SIMD=baseline)', () => {
    const s = randomSplats(2000, 4);
    const cam = camera(96, 64);
    const mine = render(s, cam, { threads: 2 });
    const dir = mkdtempSync(join(tmpdir(), 'splat-simd-'));
    try {
      const names = ['means', 'scales', 'quats', 'opacities', 'colors'] as const;
      for (const n of names) writeFileSync(join(dir, n), s[n]);
      // A separate process: the native code reads the variable with getenv.
      const script = `
        const fs = require('node:fs'); const path = require('node:path');
        const m = require(${JSON.stringify(nativeModulePath())});
        const read = (n) => { const b = fs.readFileSync(path.join(${JSON.stringify(dir)}, n)); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
        const splats = Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, read(n)]));
        const out = { rgb: new Float32Array(96 * 64 * 3), alpha: new Float32Array(96 * 64), depth: new Float32Array(96 * 64) };
        m.render({ splats, camera: ${JSON.stringify(cam)}, out, backend: 'cpu', threads: 2 });
        for (const k of ['rgb', 'alpha', 'depth']) fs.writeFileSync(path.join(${JSON.stringify(dir)}, 'out-' + k), out[k]);`;
      execFileSync(process.execPath, ['-e', script], { env: { ...process.env, SPLAT_CPU_SIMD: 'baseline' } });
      for (const k of ['rgb', 'alpha', 'depth'] as const) {
        expect(readFileSync(join(dir, `out-${k}`)).equals(Buffer.from(mine[k].buffer)), k).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('several renderAsync calls in flight each get their own correct result', async () => {
    const cams = [camera(40, 30), camera(64, 48), camera(33, 17)];
    const s = randomSplats(500, 5);
    const results = await Promise.all(cams.map((c) => renderAsync(s, c, { threads: 1 })));
    results.forEach((r, k) => expect(sameBits(r.rgb, render(s, cams[k]!, { threads: 1 }).rgb)).toBe(true));
  });
});

describe('native rasterizer binding: backward', () => {
  it('an empty scene has zero splat gradients and dL/dbg = T dL/drgb = dL/drgb', () => {
    const cam = camera(21, 18);
    const r = seededPrng(6);
    const g = Float32Array.from({ length: 21 * 18 * 3 }, () => r.next() - 0.5);
    const image = renderBackward(allocateSplats(0), cam, g, null, { background: { image: new Float32Array(21 * 18 * 3) } });
    expect(sameBits(image.background, g)).toBe(true);
    const colour = renderBackward(allocateSplats(0), cam, g, null, { background: { color: [0, 0, 0] } });
    for (let ch = 0; ch < 3; ch++) {
      let sum = 0;
      for (let p = 0; p < 21 * 18; p++) sum += g[3 * p + ch]!;
      expect(colour.background[ch]).toBeCloseTo(sum, 4);
    }
    expect(colour.means.length).toBe(0);
  });

  it('with splats, dL/dbg = T dL/drgb per pixel (T = 1 - alpha of the forward), summed for a colour', () => {
    const s = randomSplats(400, 7);
    const cam = camera(48, 40);
    const bg = Float32Array.from({ length: 48 * 40 * 3 }, (_, k) => (k % 7) / 7);
    const r = seededPrng(8);
    const g = Float32Array.from({ length: 48 * 40 * 3 }, () => r.next() - 0.5);
    const { alpha } = render(s, cam, { background: { image: bg } });
    const grads = renderBackward(s, cam, g, null, { background: { image: bg } });
    const colour = renderBackward(s, cam, g, null, { background: { color: [0.1, 0.2, 0.3] } });
    const sums = [0, 0, 0];
    for (let p = 0; p < 48 * 40; p++) {
      for (let ch = 0; ch < 3; ch++) {
        const expected = (1 - alpha[p]!) * g[3 * p + ch]!;
        expect(Math.abs(grads.background[3 * p + ch]! - expected)).toBeLessThan(1e-6);
        sums[ch]! += expected;
      }
    }
    for (let ch = 0; ch < 3; ch++) expect(colour.background[ch]).toBeCloseTo(sums[ch]!, 3);
    expect(grads.means.some((v) => v !== 0)).toBe(true);
  });

  it('is deterministic: the same gradients bit for bit for 1 and 2 threads', () => {
    const s = randomSplats(1500, 9);
    const cam = camera(80, 56);
    const r = seededPrng(10);
    const g = Float32Array.from({ length: 80 * 56 * 3 }, () => r.next() - 0.5);
    const ga = Float32Array.from({ length: 80 * 56 }, () => r.next() - 0.5);
    const a = renderBackward(s, cam, g, ga, { threads: 1 });
    const b = renderBackward(s, cam, g, ga, { threads: 2 });
    for (const k of ['means', 'scales', 'quats', 'opacities', 'colors', 'background'] as const) expect(sameBits(a[k], b[k]), k).toBe(true);
  });

  /*
   * Finite differences of the forward against the backward, for every parameter of a tiny scene.
   * Scene: 16x16 (one tile: tile sets cannot change) and 4 large splats (sigma ~ 7-13 px), so
   * every pixel has alpha far above ALPHA_MIN for each (no skip can flip), opacities <= 0.7
   * (never clamped) and T >= 0.3 * 0.3 * 0.5 * 0.55 (never stops); one splat has its Jacobian
   * clamped (x/z = 0.8), the rest are well inside; quaternions unnormalised (norms up to 1.6) and
   * the view rotated and translated. Loss L = sum(wRgb * rgb) + sum(wAlpha * alpha), random weights.
   * Central differences in float32, step h = 2e-3 (means, scales; splats ~1 unit) or 3e-3, divided
   * by the step float32 actually took. L is summed in float64 from float32 images, each value
   * rounded by ~3e-8, so L carries ~3e-7 of noise and a difference quotient ~3e-7 / (2h) ~ 1e-4;
   * truncation (h^2 times the third derivative) is far below that here: halving h doubled the
   * error, so it is noise-bound. Measured (2026-11): |g - fd| <= 1.5e-4, at most 3.4e-4 of the
   * kind's largest |fd|. Tolerance 5e-4 * max|fd| + 5e-4 (~5x). Dropping the clamped branch's
   * dtx/dz term, for instance, gives an error of 5e-2.
   */
  it('matches central finite differences of the forward for every parameter kind', () => {
    const view = viewFrom([0.99, 0.06, -0.08, 0.05], [0.1, -0.05, 0.2]);
    const cam = camera(16, 16, { view });
    // Positions given in camera space (x/z, y/z well inside the clamp of +-0.59 but the last).
    const base = splatsOf([
      { mean: worldFromCamera(view, [0.05, -0.02, 2.2]), scale: [1.2, 1.0, 0.9], quat: [0.9, 0.3, -0.2, 0.1], opacity: 0.6, color: [0.9, 0.2, 0.3] },
      { mean: worldFromCamera(view, [-0.1, 0.08, 2.6]), scale: [1.0, 1.4, 1.1], quat: [1.2, -0.4, 0.5, 0.9], opacity: 0.7, color: [0.1, 0.8, 0.4] },
      { mean: worldFromCamera(view, [0.12, 0.1, 3.0]), scale: [1.5, 1.2, 1.0], quat: [0.5, 0.5, 0.5, -0.5], opacity: 0.5, color: [0.3, 0.3, 0.9] },
      // x/z = 0.8 > 1.3 tan(half fov) = 0.59: its Jacobian is clamped; its centre is 6 px off the
      // image, its footprint (sigma ~ 13 px) covers it.
      { mean: worldFromCamera(view, [1.92, -0.2, 2.4]), scale: [2.0, 1.6, 1.5], quat: [0.8, 0.1, 0.3, 0.2], opacity: 0.45, color: [0.7, 0.6, 0.1] },
    ]);
    const r = seededPrng(11);
    const wRgb = Float32Array.from({ length: 16 * 16 * 3 }, () => r.next() - 0.5);
    const wAlpha = Float32Array.from({ length: 16 * 16 }, () => r.next() - 0.5);
    for (const background of [{ color: [0.3, 0.6, 0.2] }, { image: Float32Array.from({ length: 16 * 16 * 3 }, () => r.next()) }] as RasterBackground[]) {
      const loss = (s: SplatBuffers, bg: RasterBackground) => {
        const img = render(s, cam, { background: bg, threads: 1 });
        let l = 0;
        for (let k = 0; k < wRgb.length; k++) l += wRgb[k]! * img.rgb[k]!;
        for (let k = 0; k < wAlpha.length; k++) l += wAlpha[k]! * img.alpha[k]!;
        return l;
      };
      const grads = renderBackward(base, cam, wRgb, wAlpha, { background, threads: 1 });
      const scales = { means: 2, scales: 2, quats: 3, opacities: 3, colors: 3 } as const;
      for (const kind of ['means', 'scales', 'quats', 'opacities', 'colors'] as const) {
        const fd: number[] = [];
        for (let k = 0; k < base[kind].length; k++) {
          const h = 1e-3 * scales[kind];
          const plus = { ...base, [kind]: base[kind].slice() };
          const minus = { ...base, [kind]: base[kind].slice() };
          plus[kind][k]! += h;
          minus[kind][k]! -= h;
          // The step actually taken in float32:
          fd.push((loss(plus, background) - loss(minus, background)) / (plus[kind][k]! - minus[kind][k]!));
        }
        expectClose([...grads[kind]], fd, `${kind} (${'image' in background ? 'image' : 'colour'} background)`);
      }
      if ('color' in background) {
        const fd = [0, 1, 2].map((ch) => {
          const plus = [...background.color] as [number, number, number];
          const minus = [...background.color] as [number, number, number];
          plus[ch]! += 1e-3;
          minus[ch]! -= 1e-3;
          return (loss(base, { color: plus }) - loss(base, { color: minus })) / (Math.fround(plus[ch]!) - Math.fround(minus[ch]!));
        });
        expectClose([...grads.background], fd, 'background colour');
      }
    }
  });
});

/** World-to-camera row-major 4x4 from a rotation quaternion (w, x, y, z; normalised here) and a translation. */
function viewFrom(q: [number, number, number, number], t: [number, number, number]): number[] {
  const n = Math.hypot(...q);
  const [w, x, y, z] = q.map((v) => v / n) as [number, number, number, number];
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y), t[0],
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x), t[1],
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y), t[2],
    0, 0, 0, 1,
  ];
}

/** The world point that `view` (row-major 4x4, rigid) maps to camera-space p: R^T (p - t). */
function worldFromCamera(view: number[], p: [number, number, number]): [number, number, number] {
  const d = [0, 1, 2].map((r) => p[r]! - view[4 * r + 3]!);
  return [0, 1, 2].map((c) => view[c]! * d[0]! + view[4 + c]! * d[1]! + view[8 + c]! * d[2]!) as [number, number, number];
}

function expectClose(actual: number[], fd: number[], what: string): void {
  const scale = Math.max(...fd.map(Math.abs));
  expect(scale, `${what}: the loss must depend on it`).toBeGreaterThan(1e-3);
  const worst = Math.max(...actual.map((a, k) => Math.abs(a - fd[k]!)));
  expect(worst, `${what}: backward ${actual.map((v) => v.toFixed(4))} vs finite differences ${fd.map((v) => v.toFixed(4))}`).toBeLessThanOrEqual(5e-4 * scale + 5e-4);
}
