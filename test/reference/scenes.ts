/**
 * Seeded scenes and cameras for the rasterizer tests (reference vs native, gradients). Every
 * value is float32-representable, so the reference (float64) and a native backend (float32) start
 * from the same numbers and differ only in their arithmetic.
 */
import type { SplatBuffers } from '../../src/shared/splats/types.ts';
import { allocateSplats } from '../../src/shared/splats/types.ts';
import type { Prng } from '../helpers/prng.ts';
import type { ReferenceCamera } from './rasterize-reference.ts';

export interface TestCamera extends ReferenceCamera {
  view: number[];
}

const f = Math.fround;

/** The camera with every number rounded to float32 (what the binding hands the backends). */
export function float32Camera(camera: ReferenceCamera): TestCamera {
  return {
    width: camera.width,
    height: camera.height,
    fx: f(camera.fx),
    fy: f(camera.fy),
    cx: f(camera.cx),
    cy: f(camera.cy),
    view: Array.from(camera.view, f),
    near: f(camera.near),
    far: f(camera.far),
  };
}

/** A pinhole camera at the origin looking along +z, focal length `focal` pixels, centred. */
export function frontCamera(width: number, height: number, focal = Math.max(width, height), options: Partial<ReferenceCamera> = {}): TestCamera {
  return float32Camera({ width, height, fx: focal, fy: focal, cx: width / 2, cy: height / 2, view: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], near: 0.1, far: 100, ...options });
}

/** A world-to-camera view rotated by yaw/pitch/roll (radians) with the camera centre at `centre`. */
export function rotatedView(yaw: number, pitch: number, roll: number, centre: [number, number, number]): number[] {
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch), Math.cos(roll), Math.sin(roll)];
  const Ry = [
    [cy, 0, sy],
    [0, 1, 0],
    [-sy, 0, cy],
  ];
  const Rx = [
    [1, 0, 0],
    [0, cp, -sp],
    [0, sp, cp],
  ];
  const Rz = [
    [cr, -sr, 0],
    [sr, cr, 0],
    [0, 0, 1],
  ];
  const mul = (a: number[][], b: number[][]): number[][] => a.map((row) => [0, 1, 2].map((j) => row[0]! * b[0]![j]! + row[1]! * b[1]![j]! + row[2]! * b[2]![j]!));
  const R = mul(Rz, mul(Rx, Ry));
  const t = R.map((row) => -(row[0]! * centre[0] + row[1]! * centre[1] + row[2]! * centre[2]));
  return [...R[0]!, t[0]!, ...R[1]!, t[1]!, ...R[2]!, t[2]!, 0, 0, 0, 1];
}

/** World point at pixel (u, v) and camera depth z, for a camera with this view (inverse map). */
export function unproject(camera: ReferenceCamera, u: number, v: number, z: number): [number, number, number] {
  const c = [((u - camera.cx) / camera.fx) * z, ((v - camera.cy) / camera.fy) * z, z];
  const m = camera.view;
  // world = R^T (c - t)
  const d = [c[0]! - m[3]!, c[1]! - m[7]!, c[2]! - m[11]!];
  return [0, 1, 2].map((k) => m[k]! * d[0]! + m[4 + k]! * d[1]! + m[8 + k]! * d[2]!) as [number, number, number];
}

export interface RandomSplatOptions {
  /** Camera depth range of the centres. */
  depth: [number, number];
  /** Pixel margin around the image within which centres fall (may be negative: inside). */
  margin: number;
  /** Range of each scale in pixels at the splat's depth (log-uniform). */
  pixelScale: [number, number];
  /** Range of opacities. */
  opacity: [number, number];
}

/** A random unit quaternion (w, x, y, z) (uniform on the sphere of rotations). */
export function randomQuat(rng: Prng): [number, number, number, number] {
  const q = [0, 1, 2, 3].map(() => {
    const u = Math.max(1e-12, rng.next());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  });
  const n = Math.hypot(...q);
  return q.map((v) => v / n) as [number, number, number, number];
}

/** `count` splats seen by `camera`, sizes in pixels, all values float32. */
export function randomSplats(rng: Prng, camera: ReferenceCamera, count: number, options: Partial<RandomSplatOptions> = {}): SplatBuffers {
  const o: RandomSplatOptions = { depth: [1, 10], margin: 8, pixelScale: [0.5, 8], opacity: [0.05, 1], ...options };
  const splats = allocateSplats(count);
  for (let i = 0; i < count; i++) {
    const z = o.depth[0] + (o.depth[1] - o.depth[0]) * rng.next();
    const u = -o.margin + (camera.width + 2 * o.margin) * rng.next();
    const v = -o.margin + (camera.height + 2 * o.margin) * rng.next();
    splats.means.set(unproject(camera, u, v, z), 3 * i);
    const [lo, hi] = o.pixelScale;
    for (let k = 0; k < 3; k++) splats.scales[3 * i + k] = (Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rng.next()) * z) / camera.fx;
    splats.quats.set(randomQuat(rng), 4 * i);
    splats.opacities[i] = o.opacity[0] + (o.opacity[1] - o.opacity[0]) * rng.next();
    splats.colors.set([rng.next(), rng.next(), rng.next()], 3 * i);
  }
  return splats;
}

/** Concatenates scenes (in order: earlier splats have lower indices). */
export function concatSplats(...parts: SplatBuffers[]): SplatBuffers {
  const count = parts.reduce((s, p) => s + p.opacities.length, 0);
  const out = allocateSplats(count);
  let at = 0;
  for (const p of parts) {
    const n = p.opacities.length;
    out.means.set(p.means, 3 * at);
    out.scales.set(p.scales, 3 * at);
    out.quats.set(p.quats, 4 * at);
    out.opacities.set(p.opacities, at);
    out.colors.set(p.colors, 3 * at);
    at += n;
  }
  return out;
}

/** One splat from plain numbers. */
export function splat(mean: number[], scale: number[], quat: number[], opacity: number, color: number[]): SplatBuffers {
  const out = allocateSplats(1);
  out.means.set(mean);
  out.scales.set(scale);
  out.quats.set(quat);
  out.opacities[0] = opacity;
  out.colors.set(color);
  return out;
}

/** A random image background [H*W*3] in 0..1, float32. */
export function randomImage(rng: Prng, width: number, height: number): Float32Array {
  return Float32Array.from({ length: width * height * 3 }, () => rng.next());
}
