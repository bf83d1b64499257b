/**
 * Unit quaternions [w, x, y, z] (the layout of DESIGN.md's splat `quats`) for camera rotation
 * paths: conversion from and to 3x3 rotation matrices, the Hamilton product, slerp along the
 * shorter arc, and squad (Shoemake 1987, "Animating rotation with quaternion curves") for a
 * smooth spline through a sequence of orientations, as in Nerfstudio's camera path editor.
 *
 * Matrices here are 3x3 row-major (9 numbers): m[3 * row + column]. A quaternion q and -q are the
 * same rotation; every interpolation below picks the sign that makes the next arc the shorter one,
 * so a path never swings the long way round (no flips across 180 degrees).
 */

export type Quat = [number, number, number, number];

export const IDENTITY_QUAT: Readonly<Quat> = Object.freeze([1, 0, 0, 0] as Quat);

export function quatDot(a: readonly number[], b: readonly number[]): number {
  return a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!;
}

export function quatNormalize(q: readonly number[]): Quat {
  const n = Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!);
  if (!(n > 0)) throw new RangeError('cannot normalize a zero quaternion');
  return [q[0]! / n, q[1]! / n, q[2]! / n, q[3]! / n];
}

export function quatConjugate(q: readonly number[]): Quat {
  return [q[0]!, -q[1]!, -q[2]!, -q[3]!];
}

/** The Hamilton product a * b: rotating by b first, then by a. */
export function quatMultiply(a: readonly number[], b: readonly number[]): Quat {
  const [aw, ax, ay, az] = a as Quat;
  const [bw, bx, by, bz] = b as Quat;
  return [
    aw * bw - ax * bx - ay * by - az * bz,
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
  ];
}

/** Rotation matrix (3x3 row-major) of a unit quaternion. */
export function quatToMatrix(q: readonly number[]): number[] {
  const [w, x, y, z] = quatNormalize(q);
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
}

/**
 * Unit quaternion of a rotation matrix (3x3 row-major), with w >= 0. Shepperd's method: take the
 * largest of the four squared components from the diagonal so the square root never sees a
 * small, cancellation-prone number (Shepperd 1978, J. Guidance and Control 1(3)).
 */
export function quatFromMatrix(m: readonly number[]): Quat {
  const m00 = m[0]!, m01 = m[1]!, m02 = m[2]!;
  const m10 = m[3]!, m11 = m[4]!, m12 = m[5]!;
  const m20 = m[6]!, m21 = m[7]!, m22 = m[8]!;
  const trace = m00 + m11 + m22;
  let q: Quat;
  if (trace >= m00 && trace >= m11 && trace >= m22) {
    const s = 2 * Math.sqrt(Math.max(0, 1 + trace));
    q = [0.25 * s, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s];
  } else if (m00 >= m11 && m00 >= m22) {
    const s = 2 * Math.sqrt(Math.max(0, 1 + m00 - m11 - m22));
    q = [(m21 - m12) / s, 0.25 * s, (m01 + m10) / s, (m02 + m20) / s];
  } else if (m11 >= m22) {
    const s = 2 * Math.sqrt(Math.max(0, 1 - m00 + m11 - m22));
    q = [(m02 - m20) / s, (m01 + m10) / s, 0.25 * s, (m12 + m21) / s];
  } else {
    const s = 2 * Math.sqrt(Math.max(0, 1 - m00 - m11 + m22));
    q = [(m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, 0.25 * s];
  }
  const n = quatNormalize(q);
  return n[0] < 0 ? [-n[0], -n[1], -n[2], -n[3]] : n;
}

/** `q` or `-q`, whichever is nearer to `reference` (the same rotation, the shorter arc from it). */
export function quatAlign(q: readonly number[], reference: readonly number[]): Quat {
  return quatDot(q, reference) < 0 ? [-q[0]!, -q[1]!, -q[2]!, -q[3]!] : [q[0]!, q[1]!, q[2]!, q[3]!];
}

/** The angle of the rotation taking a to b, radians in [0, pi]. */
export function quatAngle(a: readonly number[], b: readonly number[]): number {
  return 2 * Math.acos(Math.min(1, Math.abs(quatDot(quatNormalize(a), quatNormalize(b)))));
}

/** Spherical linear interpolation from a (u = 0) to b (u = 1) along the shorter arc. */
export function quatSlerp(a: readonly number[], b: readonly number[], u: number): Quat {
  const qa = quatNormalize(a);
  const qb = quatAlign(quatNormalize(b), qa);
  const cos = Math.min(1, quatDot(qa, qb));
  const theta = Math.acos(cos);
  // Below ~1e-6 rad sin(theta) loses all digits; the chord and the arc agree to O(theta^3) there.
  if (theta < 1e-6) return quatNormalize(qa.map((v, i) => v + u * (qb[i]! - v)));
  const sin = Math.sin(theta);
  const wa = Math.sin((1 - u) * theta) / sin;
  const wb = Math.sin(u * theta) / sin;
  return quatNormalize(qa.map((v, i) => wa * v + wb * qb[i]!));
}

/** log of a unit quaternion: the pure quaternion [0, axis * half-angle]. */
export function quatLog(q: readonly number[]): Quat {
  const [w, x, y, z] = quatNormalize(q);
  const s = Math.hypot(x, y, z);
  if (s < 1e-12) return [0, 0, 0, 0];
  const halfAngle = Math.atan2(s, w);
  const k = halfAngle / s;
  return [0, k * x, k * y, k * z];
}

/** exp of a pure quaternion [0, v]: the unit quaternion [cos |v|, v / |v| sin |v|]. */
export function quatExp(v: readonly number[]): Quat {
  const a = Math.hypot(v[1]!, v[2]!, v[3]!);
  if (a < 1e-12) return [1, v[1]!, v[2]!, v[3]!];
  const k = Math.sin(a) / a;
  return quatNormalize([Math.cos(a), k * v[1]!, k * v[2]!, k * v[3]!]);
}

/**
 * Squad's inner control point at q (Shoemake 1987): s = q exp(-(log(q^-1 next) + log(q^-1 prev)) / 4).
 * prev and next are aligned to q first so each arc is the shorter one. At the ends of a path pass
 * prev = q (or next = q): the tangent then comes from the one neighbour there is.
 */
export function squadControl(prev: readonly number[], q: readonly number[], next: readonly number[]): Quat {
  const qn = quatNormalize(q);
  const inv = quatConjugate(qn);
  const toNext = quatLog(quatMultiply(inv, quatAlign(quatNormalize(next), qn)));
  const toPrev = quatLog(quatMultiply(inv, quatAlign(quatNormalize(prev), qn)));
  return quatMultiply(qn, quatExp([0, -(toNext[1] + toPrev[1]) / 4, -(toNext[2] + toPrev[2]) / 4, -(toNext[3] + toPrev[3]) / 4]));
}

/**
 * A smooth rotation from q1 (u = 0) to q2 (u = 1) with neighbours q0 before and q3 after (pass
 * q1 as q0 at the first key and q2 as q3 at the last): squad(q1, q2, s1, s2, u) =
 * slerp(slerp(q1, q2, u), slerp(s1, s2, u), 2u(1 - u)). Passes through every key and its
 * rotational velocity is continuous at keys for evenly spaced keys.
 */
export function quatSquad(q0: readonly number[], q1: readonly number[], q2: readonly number[], q3: readonly number[], u: number): Quat {
  const a = quatNormalize(q1);
  const b = quatAlign(quatNormalize(q2), a);
  const before = quatAlign(quatNormalize(q0), a);
  const after = quatAlign(quatNormalize(q3), b);
  const s1 = squadControl(before, a, b);
  const s2 = quatAlign(squadControl(a, b, after), s1);
  const outer = quatSlerp(a, b, u);
  const inner = quatSlerp(s1, s2, u);
  // Not the shorter-arc slerp here: inner and outer are both near the a-b arc, and flipping the
  // sign of one would make the blend jump. Blend directly with the sign that keeps them together.
  return slerpNoFlip(outer, quatAlign(inner, outer), 2 * u * (1 - u));
}

function slerpNoFlip(a: Quat, b: Quat, u: number): Quat {
  const cos = Math.max(-1, Math.min(1, quatDot(a, b)));
  const theta = Math.acos(cos);
  if (theta < 1e-6) return quatNormalize(a.map((v, i) => v + u * (b[i]! - v)));
  const sin = Math.sin(theta);
  return quatNormalize(a.map((v, i) => (Math.sin((1 - u) * theta) * v + Math.sin(u * theta) * b[i]!) / sin));
}
