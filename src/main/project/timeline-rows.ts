/**
 * Camera keys and time-warp segments between their SQLite rows (projects-schema/0001 and 0003)
 * and the API's types (src/shared/project/types.ts). Rows are what the undo log records.
 */
import type { CameraKeyframe, CameraKeyframeInput, TimeWarpSegment, TimeWarpSegmentInput, Vec3 } from '../../shared/project/types.ts';
import type { Row } from './history.ts';

export function toCameraKey(row: Row): CameraKeyframe {
  const position: Vec3 | null = row.position_x === null || row.position_y === null || row.position_z === null
    ? null
    : [Number(row.position_x), Number(row.position_y), Number(row.position_z)];
  return {
    id: String(row.id),
    timeS: Number(row.time_s),
    mode: row.mode === 'free' ? 'free' : 'orbit',
    yawDeg: Number(row.yaw_deg),
    pitchDeg: Number(row.pitch_deg),
    distance: Number(row.distance),
    position,
    target: [Number(row.target_x), Number(row.target_y), Number(row.target_z)],
    rollDeg: Number(row.roll_deg),
    fovDeg: Number(row.fov_deg),
    interpolation: row.interpolation === 'linear' || row.interpolation === 'hold' ? row.interpolation : 'smooth',
    tension: Number(row.tension),
    continuity: Number(row.continuity),
    bias: Number(row.bias),
    easing: row.easing === 'ease-in' || row.easing === 'ease-out' || row.easing === 'ease-in-out' ? row.easing : 'none',
    clipId: row.clip_id === null || row.clip_id === undefined ? null : String(row.clip_id),
  };
}

/** The row of a key (without its id). Orbit keys store no position: types.ts says it is null there. */
export function cameraKeyRow(key: CameraKeyframeInput): Row {
  const position = key.mode === 'free' ? key.position : null;
  return {
    time_s: key.timeS,
    mode: key.mode,
    yaw_deg: key.yawDeg,
    pitch_deg: key.pitchDeg,
    distance: key.distance,
    position_x: position?.[0] ?? null,
    position_y: position?.[1] ?? null,
    position_z: position?.[2] ?? null,
    target_x: key.target[0],
    target_y: key.target[1],
    target_z: key.target[2],
    roll_deg: key.rollDeg,
    fov_deg: key.fovDeg,
    interpolation: key.interpolation,
    tension: key.tension,
    continuity: key.continuity,
    bias: key.bias,
    easing: key.easing,
    clip_id: key.clipId,
  };
}

export function toSegment(row: Row): TimeWarpSegment {
  return {
    id: String(row.id),
    startS: Number(row.start_s),
    endS: Number(row.end_s),
    rate: Number(row.rate),
    audioMode: row.audio_mode === 'pause' ? 'pause' : 'silence',
    clipId: row.clip_id === null || row.clip_id === undefined ? null : String(row.clip_id),
  };
}

export function segmentRow(segment: TimeWarpSegmentInput): Row {
  return { start_s: segment.startS, end_s: segment.endS, rate: segment.rate, audio_mode: segment.audioMode, clip_id: segment.clipId };
}
