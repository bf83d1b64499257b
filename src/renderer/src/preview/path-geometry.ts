/**
 * Lines that draw the camera path in 3D (head space, OpenCV axes; the scene's head-space root
 * turns them into the GL world): the path's positions as a polyline, and a small frustum per key
 * with a tick on its top edge so the camera's roll reads at a glance.
 */
import type { CameraState } from '../../../shared/camera/camera-path.ts';
import type { Vec3 } from '../../../shared/project/types.ts';

/** Positions of the sampled path as consecutive segment endpoints [x0 y0 z0 x1 y1 z1 ...]. */
export function pathSegments(states: readonly CameraState[]): Float32Array {
  const out = new Float32Array(Math.max(0, states.length - 1) * 6);
  for (let i = 0; i + 1 < states.length; i++) {
    out.set(states[i]!.position, 6 * i);
    out.set(states[i + 1]!.position, 6 * i + 3);
  }
  return out;
}

/** The camera's axes in head space: the rows of the view's rotation. */
function axes(view: readonly number[]): { right: Vec3; down: Vec3; forward: Vec3 } {
  return { right: [view[0]!, view[1]!, view[2]!], down: [view[4]!, view[5]!, view[6]!], forward: [view[8]!, view[9]!, view[10]!] };
}

/**
 * The four corners of the image plane at `depth` in front of the camera (top-left, top-right,
 * bottom-right, bottom-left), for a vertical field of view and aspect ratio (width / height).
 */
export function frustumCorners(state: CameraState, aspect: number, depth: number): [Vec3, Vec3, Vec3, Vec3] {
  const { right, down, forward } = axes(state.view);
  const halfH = Math.tan((state.fovDeg * Math.PI) / 360) * depth;
  const halfW = halfH * aspect;
  const at = (sx: number, sy: number): Vec3 => [0, 1, 2].map((k) => state.position[k]! + forward[k]! * depth + right[k]! * sx * halfW + down[k]! * sy * halfH) as Vec3;
  return [at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)];
}

/**
 * Segment endpoints of a frustum: apex to the four corners, the image rectangle, and a small
 * triangle above the top edge (the camera's up).
 */
export function frustumSegments(state: CameraState, aspect: number, depth: number): Float32Array {
  const corners = frustumCorners(state, aspect, depth);
  const { down } = axes(state.view);
  const [tl, tr] = corners;
  const topMid: Vec3 = [0, 1, 2].map((k) => (tl[k]! + tr[k]!) / 2) as Vec3;
  const rise = Math.hypot(tr[0] - tl[0], tr[1] - tl[1], tr[2] - tl[2]) * 0.25;
  const peak: Vec3 = [0, 1, 2].map((k) => topMid[k]! - down[k]! * rise) as Vec3;
  const tickL: Vec3 = [0, 1, 2].map((k) => topMid[k]! + (tl[k]! - topMid[k]!) * 0.4) as Vec3;
  const tickR: Vec3 = [0, 1, 2].map((k) => topMid[k]! + (tr[k]! - topMid[k]!) * 0.4) as Vec3;
  const segments: Vec3[] = [];
  for (const c of corners) segments.push(state.position, c);
  for (let i = 0; i < 4; i++) segments.push(corners[i]!, corners[(i + 1) % 4]!);
  segments.push(tickL, peak, peak, tickR);
  const out = new Float32Array(segments.length * 3);
  segments.forEach((p, i) => out.set(p, 3 * i));
  return out;
}

/** Triangles (apex + image rectangle, as a pyramid) that make a frustum clickable. */
export function frustumHitTriangles(state: CameraState, aspect: number, depth: number): Float32Array {
  const [a, b, c, d] = frustumCorners(state, aspect, depth);
  const p = state.position;
  const tris: Vec3[] = [p, a, b, p, b, c, p, c, d, p, d, a, a, b, c, a, c, d];
  const out = new Float32Array(tris.length * 3);
  tris.forEach((v, i) => out.set(v, 3 * i));
  return out;
}
