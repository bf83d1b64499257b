/**
 * Nerfstudio's camera_path.json (the viewer's "Export path" / `ns-render camera-path` input),
 * export and import. The fields, as Nerfstudio's viewer writes them:
 *   keyframes[]    { matrix: camera-to-world 4x4 flattened row by row (numpy flatten), OpenGL
 *                    camera axes (x right, y up, looking down -z); fov: vertical, degrees
 *                    (converted from and to ours, the shorter side's: projection.ts);
 *                    aspect: width / height; override_transition_enabled / _sec: the length of
 *                    the transition from this key to the next }
 *   default_fov, default_transition_sec
 *   camera_path[]  { camera_to_world (same layout), fov, aspect }, one per frame at `fps`
 *   render_width, render_height, fps, seconds, camera_type ('perspective'), smoothness_value,
 *   is_cycle
 * Nerfstudio's renderer reads only camera_path; keyframes are what its editor reloads. The world
 * is gl-convention.ts's GL world (ours turned 180 degrees about x: head y-up). Each keyframe also
 * carries `time` (seconds, our addition, ignored by Nerfstudio) so a round trip keeps key times.
 * The old web viewer wrote `matrix` as a JSON string of three.js elements (column-major); that
 * form is read too.
 */
import type { CameraKeyframeInput } from '../project/types.ts';
import { cameraAt, keyFromState, sortedKeys, stateFromView, unwrapYawNear, type PathKey } from './camera-path.ts';
import { glCameraToWorldRowMajorToView, transpose4, viewToGlCameraToWorldRowMajor } from './gl-convention.ts';
import { cameraCentre } from './pinhole.ts';
import { fovFromVerticalDeg, verticalFovDeg } from './projection.ts';

export interface NerfstudioExportOptions {
  /** Render size, pixels. */
  width: number;
  height: number;
  /** Frames per second of camera_path. */
  fps: number;
  /** Length of camera_path, seconds from output time 0. */
  durationS: number;
}

/**
 * Nerfstudio's smoothness slider has no exact counterpart in per-key tension; camera_path carries
 * our sampled poses anyway, so this value only seeds the editor when the file is reloaded there.
 */
const SMOOTHNESS_VALUE = 0.5;

/** How far off a rotation a matrix may be (max |R R^T - I| entry): float32 round trips stay far below. */
const RIGID_TOLERANCE = 1e-3;

/** Nerfstudio's fov is vertical; ours spans the frame's shorter side (projection.ts). */
function poseEntry(keys: readonly PathKey[], timeS: number, aspect: number): { matrix: number[]; fov: number; aspect: number } {
  const state = cameraAt(keys, timeS)!;
  return { matrix: viewToGlCameraToWorldRowMajor(state.view), fov: verticalFovDeg(state.fovDeg, aspect, 1), aspect };
}

export function toNerfstudioCameraPath(keys: readonly PathKey[], options: NerfstudioExportOptions): object {
  const { width, height, fps, durationS } = options;
  if (keys.length === 0) throw new Error('camera_path.json: there are no camera keys to export');
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1)) {
    throw new RangeError(`camera_path.json: render size must be positive integers, got ${width} x ${height}`);
  }
  if (!(fps > 0)) throw new RangeError(`camera_path.json: fps must be positive, got ${fps}`);
  if (!(durationS > 0)) throw new RangeError(`camera_path.json: duration must be positive, got ${durationS}`);
  const aspect = width / height;
  const sorted = sortedKeys(keys);
  const keyframes = sorted.map((key, i) => {
    const pose = poseEntry(sorted, key.timeS, aspect);
    const next = sorted[i + 1];
    return {
      matrix: pose.matrix,
      fov: pose.fov,
      aspect,
      override_transition_enabled: next !== undefined,
      override_transition_sec: next ? next.timeS - key.timeS : null,
      time: key.timeS,
    };
  });
  const frames = Math.max(1, Math.round(fps * durationS));
  const cameraPath = [];
  for (let f = 0; f < frames; f++) {
    const pose = poseEntry(sorted, f / fps, aspect);
    cameraPath.push({ camera_to_world: pose.matrix, fov: pose.fov, aspect });
  }
  return {
    camera_type: 'perspective',
    render_width: width,
    render_height: height,
    fps,
    seconds: durationS,
    smoothness_value: SMOOTHNESS_VALUE,
    is_cycle: false,
    default_fov: verticalFovDeg(sorted[0]!.fovDeg, aspect, 1),
    default_transition_sec: sorted.length > 1 ? (sorted[sorted.length - 1]!.timeS - sorted[0]!.timeS) / (sorted.length - 1) : durationS,
    keyframes,
    camera_path: cameraPath,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A pose matrix as row-major numbers; legacy JSON strings are three.js column-major. */
function readMatrix(value: unknown, where: string): number[] {
  let numbers = value;
  let columnMajor = false;
  if (typeof value === 'string') {
    try {
      numbers = JSON.parse(value);
    } catch {
      throw new Error(`camera_path.json: ${where} must be 16 numbers`);
    }
    columnMajor = true;
  }
  if (!Array.isArray(numbers) || numbers.length !== 16 || !numbers.every(isFiniteNumber)) {
    throw new Error(`camera_path.json: ${where} must be 16 numbers`);
  }
  const m = columnMajor ? transpose4(numbers) : [...numbers];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      const product = m[4 * r]! * m[4 * c]! + m[4 * r + 1]! * m[4 * c + 1]! + m[4 * r + 2]! * m[4 * c + 2]!;
      if (Math.abs(product - (r === c ? 1 : 0)) > RIGID_TOLERANCE) throw new Error(`camera_path.json: ${where} is not a rigid camera-to-world transform`);
    }
  }
  if (Math.abs(m[12]!) + Math.abs(m[13]!) + Math.abs(m[14]!) + Math.abs(m[15]! - 1) > RIGID_TOLERANCE) {
    throw new Error(`camera_path.json: ${where} must end with the row 0 0 0 1`);
  }
  return m;
}

/** The entry's vertical fov as ours (the shorter side's), by the entry's aspect, else the file's render size. */
function readFov(entry: Record<string, unknown>, json: Record<string, unknown>, where: string): number {
  const fov = entry.fov ?? json.default_fov;
  if (!isFiniteNumber(fov) || !(fov > 0 && fov < 180)) throw new Error(`camera_path.json: ${where}.fov must be a number of degrees in (0, 180)`);
  const { render_width: width, render_height: height } = json;
  const aspect = isFiniteNumber(entry.aspect) && entry.aspect > 0 ? entry.aspect : isFiniteNumber(width) && isFiniteNumber(height) && width > 0 && height > 0 ? width / height : 1;
  return fovFromVerticalDeg(fov, aspect, 1);
}

/** A free key from a GL camera-to-world pose: target on the viewing axis at the distance to the head origin. */
function keyFromPose(matrix: number[], fovDeg: number, timeS: number, interpolation: CameraKeyframeInput['interpolation']): CameraKeyframeInput {
  const view = glCameraToWorldRowMajorToView(matrix);
  const centre = cameraCentre(view);
  const distance = Math.hypot(...centre);
  // A camera sitting at the head origin has no distance to it; any point ahead will do.
  const state = stateFromView(view, fovDeg, distance > 1e-6 ? distance : 1);
  return { ...keyFromState(state, timeS, 'free'), interpolation };
}

function keyTimes(entries: Record<string, unknown>[], json: Record<string, unknown>): number[] {
  if (entries.every((entry) => isFiniteNumber(entry.time))) return entries.map((entry) => entry.time as number);
  const defaultTransition = json.default_transition_sec;
  if (isFiniteNumber(defaultTransition) && defaultTransition > 0) {
    // Nerfstudio's editor: each key's transition to the next is its override or the default.
    const times = [0];
    for (let i = 0; i + 1 < entries.length; i++) {
      const entry = entries[i]!;
      const own = entry.override_transition_enabled === true && isFiniteNumber(entry.override_transition_sec) && entry.override_transition_sec > 0;
      times.push(times[i]! + (own ? (entry.override_transition_sec as number) : defaultTransition));
    }
    return times;
  }
  const seconds = json.seconds;
  if (!isFiniteNumber(seconds) || !(seconds > 0)) throw new Error('camera_path.json: seconds must be a positive number (needed to time the keyframes)');
  return entries.map((_, i) => (entries.length > 1 ? (seconds * i) / (entries.length - 1) : 0));
}

/** Keeps roll and yaw continuous from key to key (the file has rotations, not angles). */
function unwrapAngles(keys: CameraKeyframeInput[]): CameraKeyframeInput[] {
  for (let i = 1; i < keys.length; i++) {
    const prev = keys[i - 1]!;
    const key = keys[i]!;
    key.rollDeg = unwrapYawNear(key.rollDeg, prev.rollDeg);
    key.yawDeg = unwrapYawNear(key.yawDeg, prev.yawDeg);
  }
  return keys;
}

/**
 * Free-mode keys from a camera_path.json (parsed). Prefers `keyframes` (timed by their `time`,
 * else Nerfstudio's transitions, else spread evenly over `seconds`), and falls back to
 * `camera_path` at `fps`, one linear key per frame. Throws Error naming the bad field.
 */
export function fromNerfstudioCameraPath(json: unknown): CameraKeyframeInput[] {
  if (!isRecord(json)) throw new Error('camera_path.json: not a valid JSON object');
  const { keyframes, camera_path: cameraPath } = json;
  if (keyframes !== undefined && !Array.isArray(keyframes)) throw new Error('camera_path.json: keyframes must be an array');
  if (cameraPath !== undefined && !Array.isArray(cameraPath)) throw new Error('camera_path.json: camera_path must be an array');
  if (Array.isArray(keyframes) && keyframes.length > 0) {
    const entries = keyframes.map((entry, i) => {
      if (!isRecord(entry)) throw new Error(`camera_path.json: keyframes[${i}] must be an object`);
      return entry;
    });
    const times = keyTimes(entries, json);
    const keys = entries.map((entry, i) => {
      const where = `keyframes[${i}]`;
      return keyFromPose(readMatrix(entry.matrix, `${where}.matrix`), readFov(entry, json, where), times[i]!, 'smooth');
    });
    return unwrapAngles(keys);
  }
  if (Array.isArray(cameraPath) && cameraPath.length > 0) {
    const fps = json.fps;
    if (!isFiniteNumber(fps) || !(fps > 0)) throw new Error('camera_path.json: fps must be a positive number (needed to time camera_path)');
    const keys = cameraPath.map((entry, i) => {
      const where = `camera_path[${i}]`;
      if (!isRecord(entry)) throw new Error(`camera_path.json: ${where} must be an object`);
      return keyFromPose(readMatrix(entry.camera_to_world, `${where}.camera_to_world`), readFov(entry, json, where), i / fps, 'linear');
    });
    return unwrapAngles(keys);
  }
  throw new Error('camera_path.json: no keyframes and no camera_path entries');
}
