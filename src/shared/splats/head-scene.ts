/**
 * A procedural head made of Gaussian splats, for benchmarks, the render CLI's --demo-head and
 * tests: deterministic for a seed, N splats (default 65,536, the model's splat count).
 *
 * World axes are those of src/shared/camera/orbit-camera.ts (head space, OpenCV-like): +x to the
 * right of the front view, +y down, +z from the front camera into the face (the face looks
 * towards -z). Units are metre-like; the head centre is near the origin, the chin at y ~ 0.09,
 * the top of the hair at y ~ -0.14, the shoulders from y ~ 0.15. HEAD_SCENE_CAMERA frames it.
 *
 * Parts (share of N): skull and face skin, a hair cap, eyes (sclera, iris, pupil), eyebrows,
 * nose, lips, ears, neck, shoulders. Each splat is a small flat ellipsoid lying in the surface
 * (two tangent scales, a thin normal scale), its first axis along the surface's downhill
 * direction (hair strands fall). Colours have a soft key light from the upper left front baked
 * in, as a captured portrait would; values are display colours (DESIGN: linear RGB 0..1).
 */
import { allocateSplats, type SplatBuffers } from './types.ts';

/** Orbit-camera settings (src/shared/camera/orbit-camera.ts) that frame the head and shoulders. */
export const HEAD_SCENE_CAMERA = { target: [0, 0.025, 0] as [number, number, number], distance: 0.78, fovYDeg: 30 } as const;

export interface HeadSceneOptions {
  /** Number of splats. Default 65,536. */
  count?: number;
  /** PRNG seed; the same seed gives the same scene. Default 1. */
  seed?: number;
}

type Vec3 = [number, number, number];
type Rgb = [number, number, number];

/** mulberry32 (public domain): small, fast, deterministic across engines. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
function normalize(a: Vec3): Vec3 {
  const n = Math.hypot(a[0], a[1], a[2]);
  return n > 0 ? [a[0] / n, a[1] / n, a[2] / n] : [0, 0, -1];
}
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const smoothstep = (e0: number, e1: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/** Quaternion (w, x, y, z) of the rotation whose columns are a, b, c (right-handed, orthonormal). */
function quatFromBasis(a: Vec3, b: Vec3, c: Vec3): [number, number, number, number] {
  const [m00, m10, m20] = a;
  const [m01, m11, m21] = b;
  const [m02, m12, m22] = c;
  const trace = m00 + m11 + m22;
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    return [0.25 * s, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s];
  }
  if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    return [(m21 - m12) / s, 0.25 * s, (m01 + m10) / s, (m02 + m20) / s];
  }
  if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    return [(m02 - m20) / s, (m01 + m10) / s, 0.25 * s, (m12 + m21) / s];
  }
  const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
  return [(m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, 0.25 * s];
}

// ---- The head's shape. ----
const HEAD_CENTRE: Vec3 = [0, -0.015, 0];
const HEAD_RADII: Vec3 = [0.077, 0.109, 0.095];
const SKIN: Rgb = [0.86, 0.63, 0.52];
const HAIR: Rgb = [0.16, 0.09, 0.05];
const LIPS: Rgb = [0.72, 0.36, 0.36];
const SHIRT: Rgb = [0.17, 0.22, 0.33];
/** Direction towards the key light: front, above, a little to the image left. */
const LIGHT = normalize([-0.35, -0.55, -1]);

/** Jaw taper: the face narrows below the cheekbones. */
function taper(y: number): number {
  return 1 - 0.24 * smoothstep(0.0, 0.11, y);
}

/** A point on the skull surface for a unit direction u, and its outward normal. */
function skullPoint(u: Vec3): { p: Vec3; n: Vec3 } {
  const local: Vec3 = [HEAD_RADII[0] * u[0], HEAD_RADII[1] * u[1], HEAD_RADII[2] * u[2]];
  // Flatter face: pull the front in a little.
  if (local[2] < 0) local[2] *= 0.93;
  const p = add(HEAD_CENTRE, [local[0] * taper(local[1] + HEAD_CENTRE[1]), local[1], local[2]]);
  const n = normalize([u[0] / HEAD_RADII[0], u[1] / HEAD_RADII[1], u[2] / HEAD_RADII[2]]);
  return { p, n };
}

/** The surface point of the face in front (smallest z) at (x, y) on the skull, with its normal. */
function facePoint(x: number, y: number): { p: Vec3; n: Vec3 } {
  const ux = x / (HEAD_RADII[0] * taper(y));
  const uy = (y - HEAD_CENTRE[1]) / HEAD_RADII[1];
  const uz = -Math.sqrt(Math.max(0, 1 - ux * ux - uy * uy));
  return skullPoint([ux, uy, uz]);
}

/** Is the skull direction under the hair? Hairline: forehead high, temples, nape low. */
function isHair(u: Vec3, p: Vec3): boolean {
  const front = smoothstep(-0.2, -0.9, u[2]); // 1 at the face, 0 at the sides and back
  const hairline = -0.058 * front + 0.0 * (1 - front) + 0.05 * smoothstep(0.3, 0.95, u[2]);
  const aboveEar = Math.abs(u[0]) > 0.8 && p[1] > -0.02 && u[2] < 0.2;
  return p[1] < hairline && !aboveEar;
}

function uniformDirection(rand: () => number): Vec3 {
  const z = 2 * rand() - 1;
  const phi = 2 * Math.PI * rand();
  const r = Math.sqrt(1 - z * z);
  return [r * Math.cos(phi), r * Math.sin(phi), z];
}

/** Builds the scene. */
export function headScene(options: HeadSceneOptions = {}): SplatBuffers {
  const count = options.count ?? 65_536;
  if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`splat count must be a non-negative integer, got ${count}`);
  const rand = prng(options.seed ?? 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const splats = allocateSplats(count);
  let index = 0;

  /** Adds one flat splat at p with normal n, tangent scales (s1 downhill, s2 across), thickness. */
  const emit = (p: Vec3, n: Vec3, s1: number, s2: number, thickness: number, color: Rgb, opacity: number, shade = true): void => {
    if (index >= count) return;
    // Downhill tangent (world +y projected into the surface); on a pole, +x projected instead.
    const t1 = Math.abs(n[1]) < 0.999 ? normalize(add([0, 1, 0], scale(n, -n[1]))) : normalize(add([1, 0, 0], scale(n, -n[0])));
    const t2 = cross(n, t1);
    const q = quatFromBasis(t1, t2, n);
    const qn = Math.hypot(...q);
    const light = shade ? 0.5 + 0.55 * Math.max(0, dot(n, LIGHT)) + 0.08 * Math.max(0, -n[1]) : 1;
    const jitter = 1 + 0.04 * gauss();
    splats.means.set(p, 3 * index);
    splats.scales.set([s1, s2, thickness], 3 * index);
    splats.quats.set(q.map((v) => v / qn), 4 * index);
    splats.opacities[index] = Math.min(1, Math.max(0, opacity));
    splats.colors.set(color.map((c) => Math.min(1, Math.max(0, c * light * jitter))) as Rgb, 3 * index);
    index++;
  };

  const share = (fraction: number): number => Math.floor(count * fraction);
  const budget = {
    skin: share(0.3),
    hair: share(0.28),
    eyes: share(0.02),
    brows: share(0.01),
    nose: share(0.035),
    lips: share(0.015),
    ears: share(0.025),
    neck: share(0.085),
  };
  const spacing = (area: number, n: number): number => Math.sqrt(area / Math.max(1, n));

  // Skull and face skin: every direction not under the hair.
  const skinSize = spacing(0.075, budget.skin) * 0.75;
  for (let made = 0, tries = 0; made < budget.skin && tries < budget.skin * 20; tries++) {
    const u = uniformDirection(rand);
    const { p, n } = skullPoint(u);
    if (isHair(u, p) || p[1] > 0.1) continue;
    // Eye sockets and cheeks: a little darker and warmer.
    const socket = Math.exp(-(((Math.abs(p[0]) - 0.032) / 0.02) ** 2) - ((p[1] + 0.015) / 0.015) ** 2) * smoothstep(-0.5, -0.9, u[2]);
    const cheek = Math.exp(-(((Math.abs(p[0]) - 0.045) / 0.02) ** 2) - ((p[1] - 0.02) / 0.02) ** 2) * smoothstep(-0.3, -0.8, u[2]);
    const color = mix(mix(SKIN, [0.62, 0.42, 0.36], 0.6 * socket), [0.9, 0.55, 0.5], 0.25 * cheek);
    emit(p, n, skinSize * (1 + 0.3 * rand()), skinSize * (1 + 0.3 * rand()), skinSize * 0.15, color, 0.95);
    made++;
  }

  // Hair: a cap over the skull, strands falling downhill, in clumps of lighter and darker.
  const hairSize = spacing(0.065, budget.hair);
  for (let made = 0, tries = 0; made < budget.hair && tries < budget.hair * 20; tries++) {
    const u = uniformDirection(rand);
    const { p, n } = skullPoint(u);
    if (!isHair(u, p)) continue;
    const lift = 0.006 + 0.006 * smoothstep(0.0, -1.0, u[1]) + 0.002 * rand();
    const clump = 0.75 + 0.5 * (0.5 + 0.5 * Math.sin(40 * Math.atan2(u[0], u[2]) + 3 * gauss() * 0.2));
    emit(add(p, scale(n, lift)), n, hairSize * 2.4, hairSize * 0.5, hairSize * 0.2, scale(HAIR, clump) as Rgb, 0.9);
    made++;
  }

  // Eyes: sclera, iris, pupil on the face, just in front of the skin.
  const eyeSplats = budget.eyes;
  for (let k = 0; k < eyeSplats; k++) {
    const side = k % 2 === 0 ? -1 : 1;
    const r = Math.sqrt(rand());
    const a = 2 * Math.PI * rand();
    const ex = side * 0.031 + 0.0105 * r * Math.cos(a);
    const ey = -0.012 + 0.0045 * r * Math.sin(a) * (1 - 0.3 * Math.abs(Math.cos(a)));
    const { p, n } = facePoint(ex, ey);
    const rIris = Math.hypot(ex - side * 0.031, (ey + 0.012) * 1.1);
    const color: Rgb = rIris < 0.0019 ? [0.02, 0.02, 0.02] : rIris < 0.0046 ? [0.3, 0.2, 0.12] : [0.86, 0.82, 0.78];
    emit(add(p, scale(n, 0.0016)), n, 0.0007, 0.0007, 0.0002, color, 1, false);
  }

  // Eyebrows: arcs above the eyes.
  for (let k = 0; k < budget.brows; k++) {
    const side = k % 2 === 0 ? -1 : 1;
    const t = rand();
    const bx = side * (0.014 + 0.034 * t);
    const by = -0.03 - 0.005 * Math.sin(Math.PI * (0.3 + 0.7 * t)) + 0.0011 * gauss() * (1 - 0.5 * t);
    const { p, n } = facePoint(bx, by);
    emit(add(p, scale(n, 0.002)), n, 0.0007, 0.0022, 0.0003, HAIR, 0.85);
  }

  // Nose: the front half of a small ellipsoid on the face, dark nostrils under the tip.
  const bridge = facePoint(0, 0.005).p;
  const noseCentre: Vec3 = [0, 0.012, bridge[2] + 0.006];
  const noseRadii: Vec3 = [0.012, 0.024, 0.017];
  for (let k = 0; k < budget.nose; k++) {
    if (k < 40) {
      const side = k % 2 === 0 ? -1 : 1;
      const { p, n } = facePoint(side * 0.0065, 0.034);
      emit([p[0], p[1], noseCentre[2] - 0.011 + 0.002 * rand()], n, 0.0018, 0.0012, 0.0004, [0.35, 0.2, 0.16], 0.8, false);
      continue;
    }
    let u = uniformDirection(rand);
    if (u[2] > 0) u = [u[0], u[1], -u[2]];
    const widen = 0.6 + 0.5 * smoothstep(-1, 0.8, u[1]); // narrow bridge, wider tip
    const p: Vec3 = [noseCentre[0] + noseRadii[0] * u[0] * widen, noseCentre[1] + noseRadii[1] * u[1], noseCentre[2] + noseRadii[2] * u[2] * (0.7 + 0.3 * widen)];
    const n = normalize([u[0] / noseRadii[0], u[1] / noseRadii[1], u[2] / noseRadii[2]]);
    emit(p, n, 0.0018, 0.0018, 0.0003, mix(SKIN, [0.9, 0.55, 0.5], 0.2), 0.95);
  }

  // Lips: upper and lower, a darker line between.
  for (let k = 0; k < budget.lips; k++) {
    const t = 2 * rand() - 1;
    const lower = rand() < 0.5;
    const width = 0.024 * Math.sqrt(1 - t * t * 0.7);
    const thick = (lower ? 0.0065 : 0.0052) * (1 - t * t);
    const lx = 0.024 * t;
    const ly = 0.051 + (lower ? 1 : -1) * thick * rand();
    const { p, n } = facePoint(lx, ly);
    const line = Math.abs(ly - 0.051) < 0.0008;
    emit(add(p, scale(n, 0.004 * (1 - t * t))), n, 0.0012, 0.0016 + 0 * width, 0.0003, line ? [0.35, 0.14, 0.14] : LIPS, 0.95);
  }

  // Ears: flattened discs on the sides.
  for (let k = 0; k < budget.ears; k++) {
    const side = k % 2 === 0 ? -1 : 1;
    const r = Math.sqrt(rand());
    const a = 2 * Math.PI * rand();
    const p: Vec3 = [side * (HEAD_RADII[0] + 0.004 + 0.006 * r), -0.005 + 0.03 * r * Math.sin(a), 0.012 + 0.016 * r * Math.cos(a)];
    const n = normalize([side, 0, 0.35]);
    emit(p, n, 0.002, 0.002, 0.0005, mix(SKIN, [0.75, 0.45, 0.4], 0.4 * (1 - r)), 0.95);
  }

  // Neck: an elliptic cylinder from under the jaw into the shoulders, shadowed under the chin.
  for (let k = 0; k < budget.neck; k++) {
    const a = 2 * Math.PI * rand();
    const y = 0.05 + 0.13 * rand();
    const n: Vec3 = normalize([Math.cos(a) / 0.046, 0, Math.sin(a) / 0.046]);
    const p: Vec3 = [0.046 * Math.cos(a), y, 0.014 + 0.046 * Math.sin(a)];
    const shadow = 0.55 + 0.45 * smoothstep(0.08, 0.13, y);
    emit(p, n, 0.0035, 0.0028, 0.0006, scale(SKIN, shadow) as Rgb, 0.97);
  }

  // Shoulders and chest: the upper half of a wide ellipsoid in a shirt; the rest of the budget.
  const torsoCentre: Vec3 = [0, 0.262, 0.02];
  const torsoRadii: Vec3 = [0.2, 0.11, 0.1];
  for (let tries = 0; index < count && tries < count * 20; tries++) {
    const u = uniformDirection(rand);
    if (u[1] > 0.1) continue;
    const p: Vec3 = [torsoCentre[0] + torsoRadii[0] * u[0], torsoCentre[1] + torsoRadii[1] * u[1], torsoCentre[2] + torsoRadii[2] * u[2]];
    // The neck comes out of a collar: no shirt inside it.
    if (Math.hypot(p[0] / 0.055, (p[2] - 0.014) / 0.055) < 1 && p[1] < 0.2) continue;
    const n = normalize([u[0] / torsoRadii[0], u[1] / torsoRadii[1], u[2] / torsoRadii[2]]);
    const fold = 0.9 + 0.1 * Math.sin(60 * p[0] + 20 * p[1]);
    emit(p, n, 0.006, 0.006, 0.001, scale(SHIRT, fold) as Rgb, 0.98);
  }
  // Whatever a part could not place (rejection limits) is filled with skin splats.
  while (index < count) {
    const { p, n } = skullPoint(uniformDirection(rand));
    emit(p, n, skinSize, skinSize, skinSize * 0.15, SKIN, 0.95);
  }
  return splats;
}
