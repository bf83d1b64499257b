/**
 * Dragging a camera key's frustum in the 3D preview (issue 6: "camera frustums at keys,
 * draggable"). All in head space (orbit-camera.ts axes):
 *   - an orbit key slides on its orbit sphere (its target and distance stay): the key goes where
 *     the pointer's ray meets the sphere, on the side nearer the key, or to the sphere's
 *     silhouette where the ray passes it by; yaw stays continuous with the key's yaw;
 *   - a free key moves in the plane through it that faces the viewer.
 * Returns the changed fields, or null where the pointer gives no place (a ray parallel to the
 * plane, a degenerate key).
 */
import type { CameraKeyframe, Vec3 } from '../project/types.ts';
import { keyPosition, orbitParams, unwrapYawNear, type PathKey } from './camera-path.ts';
import { dot, sub } from './vec3.ts';

export interface Ray {
  origin: readonly number[];
  direction: readonly number[];
}

export type KeyDragPatch = Partial<Pick<CameraKeyframe, 'yawDeg' | 'pitchDeg' | 'position'>>;

/** The contract's pitch bound (contract.ts cameraKeyframeFields): the orbit camera stays upright. */
const MAX_PITCH_DEG = 89.9;

const along = (ray: Ray, t: number): Vec3 => [ray.origin[0]! + t * ray.direction[0]!, ray.origin[1]! + t * ray.direction[1]!, ray.origin[2]! + t * ray.direction[2]!];

/** Where the ray meets the sphere, the meeting nearer `near`; the silhouette point when it misses. */
export function raySpherePoint(ray: Ray, centre: readonly number[], radius: number, near: readonly number[]): Vec3 | null {
  const dd = dot(ray.direction, ray.direction);
  if (!(dd > 0) || !(radius > 0)) return null;
  const oc = sub(ray.origin, centre);
  const b = dot(oc, ray.direction) / dd;
  const c = (dot(oc, oc) - radius * radius) / dd;
  const disc = b * b - c;
  if (disc >= 0) {
    const root = Math.sqrt(disc);
    const hits = [-b - root, -b + root].filter((t) => t >= 0).map((t) => along(ray, t));
    if (hits.length === 0) return null;
    const distance2 = (p: Vec3): number => dot(sub(p, near), sub(p, near));
    return hits.reduce((best, p) => (distance2(p) < distance2(best) ? p : best));
  }
  // Missed: the ray's point closest to the centre, pushed out onto the sphere.
  const closest = along(ray, Math.max(0, -b));
  const out = sub(closest, centre);
  const length = Math.hypot(out[0], out[1], out[2]);
  if (!(length > 0)) return null;
  return [centre[0]! + (out[0] / length) * radius, centre[1]! + (out[1] / length) * radius, centre[2]! + (out[2] / length) * radius];
}

/** Where the ray meets the plane through `point` with normal `normal`, or null (parallel, or behind). */
export function rayPlanePoint(ray: Ray, point: readonly number[], normal: readonly number[]): Vec3 | null {
  const denominator = dot(ray.direction, normal);
  if (Math.abs(denominator) < 1e-9) return null;
  const t = dot(sub(point, ray.origin), normal) / denominator;
  return t >= 0 ? along(ray, t) : null;
}

/** The key's new place for the pointer's ray; `viewerForward`: the preview camera's viewing direction. */
export function dragKey(key: PathKey, ray: Ray, viewerForward: readonly number[]): KeyDragPatch | null {
  const current = keyPosition(key);
  if (key.mode === 'free' && key.position) {
    const moved = rayPlanePoint(ray, current, viewerForward);
    return moved ? { position: moved } : null;
  }
  const onSphere = raySpherePoint(ray, key.target, key.distance, current);
  if (!onSphere) return null;
  const { yawDeg, pitchDeg } = orbitParams(onSphere, key.target);
  return { yawDeg: unwrapYawNear(yawDeg, key.yawDeg), pitchDeg: Math.max(-MAX_PITCH_DEG, Math.min(MAX_PITCH_DEG, pitchDeg)) };
}
