/**
 * What each output frame of an export shows, as plain data (issue 7, item 1): output frame i is at
 * output time t = startS + i / fps; its camera is the camera path at t (or the avatar's source
 * camera when there are no keys), as a pinhole camera at the output size by the projection rule
 * the preview's safe frame follows too (src/shared/camera/projection.ts: fovDeg is the frame's
 * vertical field of view, square pixels, centred principal point); its animation time
 * a = animationTimeAt(time warp, t) picks the lips (face-schedule.ts).
 */
import { ApiError } from '../../shared/api/errors.ts';
import type { ExportSettings } from '../../shared/api/contract.ts';
import { cameraAt, defaultCameraState, type CameraState } from '../../shared/camera/camera-path.ts';
import type { PinholeCamera } from '../../shared/camera/pinhole.ts';
import { CAMERA_FAR, CAMERA_NEAR, framePinhole } from '../../shared/camera/projection.ts';
import type { AvatarCamera, ProjectSnapshot } from '../../shared/project/types.ts';
import { clipLength } from '../../shared/timeline/clip-geometry.ts';
import { animationTimeAt, outputTimeAt } from '../../shared/timeline/time-warp.ts';

/** Clip planes of export cameras, world units: the preview's (projection.ts). */
export const EXPORT_NEAR = CAMERA_NEAR;
export const EXPORT_FAR = CAMERA_FAR;
/** A duration this close to a whole number of frames is that number (float noise in t * fps). */
const FRAME_EPSILON = 1e-6;

export interface FramePlan {
  startS: number;
  fps: number;
  frames: number;
  /** frames / fps: the video's (and the audio's) length, seconds. */
  durationS: number;
}

/**
 * Output time where the last clip, camera key or time-warp segment ends: a clip's end is taken
 * through the time warp (a 'pause' segment pushes it later). The same rule as the editor's
 * contentEnd (renderer editor-model.ts).
 */
export function contentEndS(snapshot: Pick<ProjectSnapshot, 'media' | 'clips' | 'timeWarp' | 'cameraKeys'>): number {
  const durations = new Map(snapshot.media.map((m) => [m.id, m.durationS ?? 0]));
  let end = 0;
  for (const clip of snapshot.clips) {
    const animEnd = clip.startS + clipLength(clip, durations.get(clip.mediaId) ?? 0);
    end = Math.max(end, outputTimeAt(snapshot.timeWarp, animEnd) ?? animEnd);
  }
  for (const key of snapshot.cameraKeys) end = Math.max(end, key.timeS);
  for (const segment of snapshot.timeWarp) end = Math.max(end, segment.endS);
  return end;
}

/** Tolerance of a range's end past the project's end: float noise, not a frame (1 ms). */
const RANGE_END_SLACK_S = 1e-3;

/**
 * Refuses an export range outside the project: 0 <= startS < endS <= the project's length (where
 * its last clip, key or segment ends, contentEndS). Absent range: nothing to check.
 */
export function checkExportRange(snapshot: Pick<ProjectSnapshot, 'media' | 'clips' | 'timeWarp' | 'cameraKeys'>, range: ExportSettings['range']): void {
  if (!range) return;
  const { startS, endS } = range;
  const fmt = (s: number): string => `${Number(s.toFixed(3))} s`;
  if (!(Number.isFinite(startS) && Number.isFinite(endS)) || startS < 0) {
    throw new ApiError('INVALID_INPUT', `The export range must start at 0 s or later (got ${fmt(startS)} to ${fmt(endS)}).`, { startS, endS });
  }
  if (!(endS > startS)) throw new ApiError('INVALID_INPUT', `The export range must end after it starts (got ${fmt(startS)} to ${fmt(endS)}).`, { startS, endS });
  const lengthS = contentEndS(snapshot);
  if (endS > lengthS + RANGE_END_SLACK_S) {
    throw new ApiError('INVALID_INPUT', `The export range ends at ${fmt(endS)}, but the project ends at ${fmt(lengthS)}: choose an end of at most ${fmt(lengthS)}.`, { startS, endS, lengthS });
  }
}

/** The frames of an export: the settings' range, or 0 .. content end; at least one frame. */
export function planFrames(snapshot: Pick<ProjectSnapshot, 'media' | 'clips' | 'timeWarp' | 'cameraKeys'>, settings: Pick<ExportSettings, 'fps' | 'range'>): FramePlan {
  const startS = settings.range?.startS ?? 0;
  const endS = settings.range?.endS ?? contentEndS(snapshot);
  if (!(endS > startS)) {
    throw new ApiError('INVALID_INPUT', 'Nothing to export: the timeline is empty. Put a clip on an audio track or set camera keys first.');
  }
  const frames = Math.max(1, Math.ceil((endS - startS) * settings.fps - FRAME_EPSILON));
  return { startS, fps: settings.fps, frames, durationS: frames / settings.fps };
}

/** Output time of frame i. */
export function frameTimeS(plan: FramePlan, i: number): number {
  return plan.startS + i / plan.fps;
}

/** The camera state at output time t: the path, or the avatar's source view without keys. */
export function cameraStateAt(snapshot: Pick<ProjectSnapshot, 'cameraKeys'>, avatarCamera: AvatarCamera | null, timeS: number): CameraState {
  return cameraAt(snapshot.cameraKeys, timeS) ?? defaultCameraState(avatarCamera);
}

/** A camera state as the rasterizer's pinhole camera at width x height (projection.ts framePinhole). */
export function pinholeAt(state: CameraState, width: number, height: number): PinholeCamera {
  return framePinhole(state, width, height);
}

export interface FrameSpec {
  index: number;
  outputS: number;
  animS: number;
  camera: PinholeCamera;
}

/** Everything frame i needs but the offsets. */
export function frameSpec(
  snapshot: Pick<ProjectSnapshot, 'cameraKeys' | 'timeWarp'>,
  avatarCamera: AvatarCamera | null,
  plan: FramePlan,
  size: { width: number; height: number },
  index: number,
): FrameSpec {
  const outputS = frameTimeS(plan, index);
  const camera = pinholeAt(cameraStateAt(snapshot, avatarCamera, outputS), size.width, size.height);
  return { index, outputS, animS: animationTimeAt(snapshot.timeWarp, outputS), camera };
}
