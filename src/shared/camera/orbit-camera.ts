/**
 * An orbit camera around a target, as a pinhole camera in the conventions of DESIGN.md.
 *
 * World axes (head space): the world is the front camera's OpenCV frame, so the canonical
 * portrait camera of the model is the identity rotation:
 *   +x  to the right in the front view (the subject's left),
 *   +y  down (the top of the head has the smallest y; the shoulders the largest),
 *   +z  from the front camera into the face (the face looks towards -z).
 * The default orbit camera (yaw 0, pitch 0) sits at target + (0, 0, -distance) and looks along
 * +z at the face, upright: its view rotation is the identity.
 *
 * yawDeg turns the camera about the vertical axis through the target: positive yaw moves it
 * towards +x (to the right of the front view, round to the subject's left side).
 * pitchDeg raises it: positive pitch puts the camera above the target, looking down.
 * The image stays upright (the camera's y axis lies in the plane of world down and the view
 * direction); |pitch| must stay below 90 degrees.
 */
import { intrinsicsFromFovY, type PinholeCamera } from './pinhole.ts';

export interface OrbitCameraOptions {
  /** Degrees about the vertical axis; positive moves the camera towards +x. Default 0. */
  yawDeg?: number;
  /** Degrees of elevation; positive is above the target looking down. In (-90, 90). Default 0. */
  pitchDeg?: number;
  /** Distance from the target, world units. Default 1. */
  distance?: number;
  /** The point looked at (and orbited). Default the origin. */
  target?: readonly [number, number, number];
  /** Vertical field of view, degrees. Default 25 (a portrait lens). */
  fovYDeg?: number;
  /** Image size, pixels. Default 512 x 512. */
  width?: number;
  height?: number;
  /** Clip planes, world units. Defaults 0.01 and 100. */
  near?: number;
  far?: number;
}

type Vec3 = [number, number, number];

function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Where the orbit camera sits, world coordinates. */
export function orbitPosition(yawDeg: number, pitchDeg: number, distance: number, target: readonly [number, number, number]): Vec3 {
  const yaw = (yawDeg * Math.PI) / 180;
  const pitch = (pitchDeg * Math.PI) / 180;
  // Direction from the target to the camera: (0, 0, -1) at yaw 0, pitch 0; pitch up is -y.
  const dir: Vec3 = [Math.sin(yaw) * Math.cos(pitch), -Math.sin(pitch), -Math.cos(yaw) * Math.cos(pitch)];
  return [target[0] + distance * dir[0], target[1] + distance * dir[1], target[2] + distance * dir[2]];
}

/**
 * World-to-camera view (row-major 4x4, OpenCV) of a camera at `eye` looking at `target`, its
 * image y axis as close to world +y (down) as the view direction allows.
 */
export function lookAtView(eye: readonly [number, number, number], target: readonly [number, number, number]): number[] {
  const forward = normalize([target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]]);
  const right = normalize(cross([0, 1, 0], forward));
  const down = cross(forward, right);
  const rows = [right, down, forward];
  const view: number[] = [];
  for (const row of rows) view.push(row[0], row[1], row[2], -(row[0] * eye[0] + row[1] * eye[1] + row[2] * eye[2]));
  view.push(0, 0, 0, 1);
  return view;
}

export function orbitCamera(options: OrbitCameraOptions = {}): PinholeCamera {
  const yawDeg = options.yawDeg ?? 0;
  const pitchDeg = options.pitchDeg ?? 0;
  const distance = options.distance ?? 1;
  const target = options.target ?? [0, 0, 0];
  const width = options.width ?? 512;
  const height = options.height ?? 512;
  const near = options.near ?? 0.01;
  const far = options.far ?? 100;
  if (!(Math.abs(pitchDeg) < 90)) throw new RangeError(`pitch must be in (-90, 90) degrees, got ${pitchDeg}`);
  if (!(distance > 0)) throw new RangeError(`distance must be positive, got ${distance}`);
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1)) {
    throw new RangeError(`image size must be positive integers, got ${width} x ${height}`);
  }
  if (!(near > 0 && far > near)) throw new RangeError(`clip planes must satisfy 0 < near < far, got ${near}, ${far}`);
  const eye = orbitPosition(yawDeg, pitchDeg, distance, target);
  return { width, height, ...intrinsicsFromFovY(options.fovYDeg ?? 25, width, height), view: lookAtView(eye, target), near, far };
}
