/**
 * The camera at any output time from the project's camera keyframes (issue 6; DESIGN.md
 * "Cameras": head space, OpenCV axes, +y down, the face looking towards -z).
 *
 * A key is either
 *   orbit: at orbitPosition(yaw, pitch, distance, target) (orbit-camera.ts), looking at target;
 *   free:  at `position`, looking at target;
 * then rolled by rollDeg about the viewing direction. POSITIVE ROLL TURNS THE PICTURE CLOCKWISE
 * (the camera itself turns anticlockwise as seen from behind it): a world point that showed at
 * camera coordinates (x, y) shows at (x cos r - y sin r, x sin r + y cos r), y down. fovDeg is
 * the field of view across the output frame's shorter side (projection.ts).
 *
 * The segment from key i to key i + 1 follows key i's `interpolation` (Nerfstudio's camera path
 * editor, DESIGN.md anchors):
 *   hold    key i's camera until the next key's time exactly;
 *   linear  parameters linear in the (eased) segment parameter;
 *   smooth  Kochanek-Bartels spline (kb-spline.ts) through the neighbouring keys, with key i's
 *           tension/continuity/bias for its outgoing tangent and key i+1's for its incoming one.
 * key i's `easing` remaps the segment's local parameter first (easing.ts).
 * Parameters: between two orbit keys, (yaw, pitch, distance, target, roll, fov), so a sweep goes
 * round the head rather than through it; yaw is taken literally in continuous degrees (170 -> 190
 * passes 180; 0 -> 360 is a full turn; 170 -> -170 turns 340 degrees the other way). Once a free
 * key is at either end, (position, target, roll, fov); the rotation then comes from look-at and
 * roll. Before the first key the camera is the first key's; after the last, the last's.
 *
 * cameraRotationAt gives the same path's rotation as a quaternion spline (slerp / squad through
 * the keys' rotations, always the shorter arc), for consumers that interpolate rotation directly.
 */
import type { AvatarCamera, CameraKeyframeInput, Vec3 } from '../project/types.ts';
import { ease } from './easing.ts';
import { kbSegment, type KbKey } from './kb-spline.ts';
import { orbitPosition } from './orbit-camera.ts';
import { cameraCentre, fovYFromIntrinsics } from './pinhole.ts';
import { quatFromMatrix, quatSlerp, quatSquad, type Quat } from './quaternion.ts';
import { cross, dot, sub } from './vec3.ts';

export interface CameraState {
  position: Vec3;
  target: Vec3;
  /** Degrees; positive turns the picture clockwise. */
  rollDeg: number;
  /** Field of view across the output frame's shorter side, degrees (projection.ts). */
  fovDeg: number;
  /** OpenCV world-to-camera, row-major 4x4 (16 numbers). */
  view: number[];
}

/** What a path needs of a key (CameraKeyframe and CameraKeyframeInput both fit). */
export type PathKey = Omit<CameraKeyframeInput, 'clipId'>;

/** The front view used when there is no avatar camera: DESIGN.md's portrait lens at 2.7 units. */
export const FRONT_VIEW_DISTANCE = 2.7;
export const FRONT_VIEW_FOV_DEG = 25;

/** Orbit pitch stays inside (-90, 90) (orbit-camera.ts); spline overshoot is clamped to this. */
const MAX_PITCH_DEG = 89.9;
const MIN_DISTANCE = 1e-4;
const MIN_FOV_DEG = 0.1;
const MAX_FOV_DEG = 179;

const DEG = Math.PI / 180;




function normalize(v: Vec3, fallback: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return n > 1e-12 ? [v[0] / n, v[1] / n, v[2] / n] : fallback;
}

/**
 * Unrolled camera axes (world coordinates) at eye looking at target: orbit-camera.ts lookAtView's,
 * image down as close to world +y as the view allows. Looking straight along y (where that has no
 * answer) the image down axis falls back to world +z, so the view stays a rotation.
 */
function lookAtAxes(eye: readonly number[], target: readonly number[]): { right: Vec3; down: Vec3; forward: Vec3 } {
  const forward = normalize(sub(target, eye), [0, 0, 1]);
  let right = cross([0, 1, 0], forward);
  if (Math.hypot(...right) < 1e-9) right = cross([0, 0, 1], forward);
  right = normalize(right, [1, 0, 0]);
  return { right, down: cross(forward, right), forward };
}

/** World-to-camera view (row-major 4x4, OpenCV) at eye, looking at target, rolled by rollDeg. */
export function viewFromLookAt(eye: readonly number[], target: readonly number[], rollDeg: number): number[] {
  const { right, down, forward } = lookAtAxes(eye, target);
  const c = Math.cos(rollDeg * DEG);
  const s = Math.sin(rollDeg * DEG);
  // Rolled rows = Rz(roll) * [right; down; forward] with Rz = [[c, -s, 0], [s, c, 0], [0, 0, 1]].
  const rows: Vec3[] = [
    [c * right[0] - s * down[0], c * right[1] - s * down[1], c * right[2] - s * down[2]],
    [s * right[0] + c * down[0], s * right[1] + c * down[1], s * right[2] + c * down[2]],
    forward,
  ];
  const view: number[] = [];
  for (const row of rows) view.push(row[0], row[1], row[2], -dot(row, eye));
  view.push(0, 0, 0, 1);
  return view;
}

/** A full state (with its view) from position, target, roll and fov. */
export function cameraState(position: readonly number[], target: readonly number[], rollDeg: number, fovDeg: number): CameraState {
  const p: Vec3 = [position[0]!, position[1]!, position[2]!];
  const t: Vec3 = [target[0]!, target[1]!, target[2]!];
  return { position: p, target: t, rollDeg, fovDeg, view: viewFromLookAt(p, t, rollDeg) };
}

/**
 * Inverse of viewFromLookAt for any rigid view: the camera centre, a target on the viewing axis
 * at `focusDistance`, and the roll about that axis (degrees in (-180, 180]).
 */
export function stateFromView(view: readonly number[], fovDeg: number, focusDistance: number): CameraState {
  const position = cameraCentre(view);
  const rightRow: Vec3 = [view[0]!, view[1]!, view[2]!];
  const forward = normalize([view[8]!, view[9]!, view[10]!], [0, 0, 1]);
  const target: Vec3 = [position[0] + focusDistance * forward[0], position[1] + focusDistance * forward[1], position[2] + focusDistance * forward[2]];
  const axes = lookAtAxes(position, target);
  // right' = cos r right - sin r down (viewFromLookAt), so cos r = right'.right, sin r = -right'.down.
  const rollDeg = Math.atan2(-dot(rightRow, axes.down), dot(rightRow, axes.right)) / DEG;
  return cameraState(position, target, rollDeg, fovDeg);
}

/** Orbit parameters of a camera at position around target (yaw in (-180, 180]). */
export function orbitParams(position: readonly number[], target: readonly number[]): { yawDeg: number; pitchDeg: number; distance: number } {
  const d = sub(position, target);
  const distance = Math.hypot(d[0], d[1], d[2]);
  if (!(distance > 0)) return { yawDeg: 0, pitchDeg: 0, distance: 0 };
  // orbitPosition: direction = (sin yaw cos pitch, -sin pitch, -cos yaw cos pitch).
  const pitchDeg = Math.asin(Math.max(-1, Math.min(1, -d[1] / distance))) / DEG;
  const yawDeg = Math.hypot(d[0], d[2]) > 1e-12 ? Math.atan2(d[0], -d[2]) / DEG : 0;
  return { yawDeg, pitchDeg, distance };
}

/** yawDeg plus the multiple of 360 that brings it nearest to referenceDeg. */
export function unwrapYawNear(yawDeg: number, referenceDeg: number): number {
  return yawDeg + 360 * Math.round((referenceDeg - yawDeg) / 360);
}

/** Where a key puts the camera. Free keys without a position fall back to their orbit parameters. */
export function keyPosition(key: PathKey): Vec3 {
  if (key.mode === 'free' && key.position) return [key.position[0], key.position[1], key.position[2]];
  return orbitPosition(key.yawDeg, key.pitchDeg, key.distance, key.target);
}

export function keyState(key: PathKey): CameraState {
  return cameraState(keyPosition(key), key.target, key.rollDeg, key.fovDeg);
}

/** Keys in time order (stable for equal times: the later one in the list wins at that time). */
export function sortedKeys<K extends { timeS: number }>(keys: readonly K[]): K[] {
  return keys.map((key, index) => ({ key, index })).sort((a, b) => a.key.timeS - b.key.timeS || a.index - b.index).map((entry) => entry.key);
}

/** Index of the segment [keys[i], keys[i + 1]) holding timeS, for keys sorted and timeS inside. */
function segmentIndex(keys: readonly PathKey[], timeS: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]!.timeS <= timeS) lo = mid;
    else hi = mid;
  }
  return lo;
}

type Space = 'orbit' | 'free';

/** A key as a parameter vector: orbit [yaw, pitch, distance, target, roll, fov] or free [position, target, roll, fov]. */
function keyVector(key: PathKey, space: Space, yawReference: number): number[] {
  const tail = [key.target[0], key.target[1], key.target[2], key.rollDeg, key.fovDeg];
  if (space === 'free') return [...keyPosition(key), ...tail];
  if (key.mode === 'orbit') return [key.yawDeg, key.pitchDeg, key.distance, ...tail];
  const o = orbitParams(keyPosition(key), key.target);
  return [unwrapYawNear(o.yawDeg, yawReference), o.pitchDeg, o.distance, ...tail];
}

function stateFromVector(v: readonly number[], space: Space): CameraState {
  const target: Vec3 = [v[3]!, v[4]!, v[5]!];
  const rollDeg = v[6]!;
  const fovDeg = Math.min(MAX_FOV_DEG, Math.max(MIN_FOV_DEG, v[7]!));
  if (space === 'free') return cameraState([v[0]!, v[1]!, v[2]!], target, rollDeg, fovDeg);
  const pitch = Math.min(MAX_PITCH_DEG, Math.max(-MAX_PITCH_DEG, v[1]!));
  const distance = Math.max(MIN_DISTANCE, v[2]!);
  return cameraState(orbitPosition(v[0]!, pitch, distance, target), target, rollDeg, fovDeg);
}

/** The neighbour of a segment end, when there is one at a strictly different time. */
function neighbour(keys: readonly PathKey[], index: number, end: PathKey): PathKey | null {
  const key = keys[index];
  return key && key.timeS !== end.timeS ? key : null;
}

function segmentState(keys: readonly PathKey[], i: number, timeS: number): CameraState {
  const a = keys[i]!;
  const b = keys[i + 1]!;
  if (a.interpolation === 'hold') return keyState(a);
  const u = ease(a.easing, (timeS - a.timeS) / (b.timeS - a.timeS));
  const space: Space = a.mode === 'orbit' && b.mode === 'orbit' ? 'orbit' : 'free';
  const va = keyVector(a, space, 0);
  const vb = keyVector(b, space, 0);
  if (a.interpolation === 'linear') return stateFromVector(va.map((x, k) => x + u * (vb[k]! - x)), space);
  const prev = neighbour(keys, i - 1, a);
  const next = neighbour(keys, i + 2, b);
  const kb = (key: PathKey, value: number[]): KbKey => ({ timeS: key.timeS, value, tension: key.tension, continuity: key.continuity, bias: key.bias });
  const value = kbSegment(
    prev && kb(prev, keyVector(prev, space, va[0]!)),
    kb(a, va),
    kb(b, vb),
    next && kb(next, keyVector(next, space, vb[0]!)),
    u,
  );
  return stateFromVector(value, space);
}

/** The camera at output time timeS; null when there are no keys. */
export function cameraAt(keys: readonly PathKey[], timeS: number): CameraState | null {
  if (keys.length === 0) return null;
  const sorted = sortedKeys(keys);
  return cameraAtSorted(sorted, timeS);
}

function cameraAtSorted(sorted: readonly PathKey[], timeS: number): CameraState {
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  if (timeS < first.timeS || sorted.length === 1) return keyState(first);
  if (timeS >= last.timeS) return keyState(last);
  return segmentState(sorted, segmentIndex(sorted, timeS), timeS);
}

/** `count` cameras at evenly spaced times from startS to endS inclusive (to draw the path). */
export function samplePath(keys: readonly PathKey[], startS: number, endS: number, count: number): CameraState[] {
  if (keys.length === 0 || count < 1) return [];
  const sorted = sortedKeys(keys);
  const n = Math.floor(count);
  const states: CameraState[] = [];
  for (let k = 0; k < n; k++) states.push(cameraAtSorted(sorted, n === 1 ? startS : startS + ((endS - startS) * k) / (n - 1)));
  return states;
}

/** Camera-to-world rotation of a view as a unit quaternion [w, x, y, z] (the camera's orientation). */
export function viewOrientation(view: readonly number[]): Quat {
  // view's rotation R is world-to-camera; the orientation is R^T.
  return quatFromMatrix([view[0]!, view[4]!, view[8]!, view[1]!, view[5]!, view[9]!, view[2]!, view[6]!, view[10]!]);
}

/**
 * The camera's orientation (camera-to-world, [w, x, y, z]) at timeS as a quaternion spline through
 * the keys' orientations: hold, slerp for linear, squad for smooth, after the key's easing.
 * null when there are no keys.
 */
export function cameraRotationAt(keys: readonly PathKey[], timeS: number): Quat | null {
  if (keys.length === 0) return null;
  const sorted = sortedKeys(keys);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const orientation = (key: PathKey): Quat => viewOrientation(keyState(key).view);
  if (timeS < first.timeS || sorted.length === 1) return orientation(first);
  if (timeS >= last.timeS) return orientation(last);
  const i = segmentIndex(sorted, timeS);
  const a = sorted[i]!;
  const b = sorted[i + 1]!;
  if (a.interpolation === 'hold') return orientation(a);
  const u = ease(a.easing, (timeS - a.timeS) / (b.timeS - a.timeS));
  const qa = orientation(a);
  const qb = orientation(b);
  if (a.interpolation === 'linear') return quatSlerp(qa, qb, u);
  const prev = neighbour(sorted, i - 1, a);
  const next = neighbour(sorted, i + 2, b);
  return quatSquad(prev ? orientation(prev) : qa, qa, qb, next ? orientation(next) : qb, u);
}

/** How a new key moves: smooth Catmull-Rom (tension, continuity, bias 0), no easing, tied to no clip. */
export const NEW_KEY_MOTION = Object.freeze({
  interpolation: 'smooth',
  tension: 0,
  continuity: 0,
  bias: 0,
  easing: 'none',
  clipId: null,
} as const satisfies Pick<CameraKeyframeInput, 'interpolation' | 'tension' | 'continuity' | 'bias' | 'easing' | 'clipId'>);

/**
 * A keyframe at timeS from a camera state. Orbit mode stores yaw/pitch/distance around the target
 * (yaw in (-180, 180]; unwrapYawNear moves it next to a neighbour's); free mode stores the
 * position and also fills yaw/pitch/distance, so switching modes in the inspector keeps the view.
 * New keys move as NEW_KEY_MOTION says.
 */
export function keyFromState(state: Pick<CameraState, 'position' | 'target' | 'rollDeg' | 'fovDeg'>, timeS: number, mode: 'orbit' | 'free' = 'orbit'): CameraKeyframeInput {
  const orbit = orbitParams(state.position, state.target);
  if (!(orbit.distance > 0)) throw new RangeError('camera position equals its target: no viewing direction');
  return {
    timeS,
    mode,
    yawDeg: orbit.yawDeg,
    pitchDeg: Math.min(MAX_PITCH_DEG, Math.max(-MAX_PITCH_DEG, orbit.pitchDeg)),
    distance: orbit.distance,
    position: mode === 'free' ? [state.position[0], state.position[1], state.position[2]] : null,
    target: [state.target[0], state.target[1], state.target[2]],
    rollDeg: state.rollDeg,
    fovDeg: state.fovDeg,
    ...NEW_KEY_MOTION,
  };
}

/**
 * The camera before any key is set: the avatar's source camera (its centre, looking at the head
 * origin, unrolled, with the vertical field of view of its intrinsics at the model resolution),
 * or without an avatar a front view at distance 2.7 with a 25 degree lens.
 */
export function defaultCameraState(camera: AvatarCamera | null): CameraState {
  if (!camera) return cameraState(orbitPosition(0, 0, FRONT_VIEW_DISTANCE, [0, 0, 0]), [0, 0, 0], 0, FRONT_VIEW_FOV_DEG);
  const fy = camera.intrinsics[1]!;
  return cameraState(cameraCentre(camera.view), [0, 0, 0], 0, fovYFromIntrinsics(fy, camera.resolution));
}
