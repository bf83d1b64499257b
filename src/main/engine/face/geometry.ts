/** Small vector / matrix helpers for the face pipeline (row-major 3x3, plain tuples). */
import type { Mat3, Point3 } from './types.ts';

export type Vec3 = [number, number, number];
type V3 = readonly [number, number, number];

export const sub = (a: V3, b: V3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const add = (a: V3, b: V3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const scale = (a: V3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: V3, b: V3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: V3, b: V3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const norm = (a: V3): number => Math.hypot(a[0], a[1], a[2]);
export function normalize(a: V3): Vec3 {
  const n = norm(a);
  if (!(n > 0)) throw new Error('cannot normalise a zero vector');
  return [a[0] / n, a[1] / n, a[2] / n];
}

/** Point `i` of a mesh; a clear error when the mesh is shorter (Human gives 468 or 478 points). */
export function pt(mesh: readonly Point3[], i: number): Point3 {
  const p = mesh[i];
  if (!p) throw new Error(`face mesh has ${mesh.length} points, point ${i} is missing`);
  return p;
}

/** Mean of points picked by index. */
export function meanOf(points: readonly Point3[], indices: readonly number[]): Vec3 {
  const m: Vec3 = [0, 0, 0];
  for (const i of indices) {
    const p = pt(points, i);
    m[0] += p[0];
    m[1] += p[1];
    m[2] += p[2];
  }
  return scale(m, 1 / indices.length);
}

/** Row-major 3x3 from three column vectors. */
export function fromColumns(c0: V3, c1: V3, c2: V3): Mat3 {
  return [c0[0], c1[0], c2[0], c0[1], c1[1], c2[1], c0[2], c1[2], c2[2]];
}

/** Element (row r, column c) of a row-major 3x3. */
const el = (m: Mat3, r: number, c: number): number => m[r * 3 + c]!;

export function mul3(a: Mat3, b: Mat3): Mat3 {
  const r: Mat3 = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) r[i * 3 + j] = el(a, i, 0) * el(b, 0, j) + el(a, i, 1) * el(b, 1, j) + el(a, i, 2) * el(b, 2, j);
  return r;
}

export function transpose3(a: Mat3): Mat3 {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

export function apply3(m: Mat3, v: V3): Vec3 {
  return [m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2], m[6] * v[0] + m[7] * v[1] + m[8] * v[2]];
}

export function det3(m: Mat3): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

export const rotX = (a: number): Mat3 => [1, 0, 0, 0, Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a)];
export const rotY = (a: number): Mat3 => [Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a)];
export const rotZ = (a: number): Mat3 => [Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1];

/** Median of numbers (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
