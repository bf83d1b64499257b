/**
 * The project as the renderer sees it: plain, JSON-safe data returned by the API.
 * The SQLite layout behind it is documented in projects-schema/README.md.
 */

export type MediaKind = 'image' | 'audio';

export interface MediaItem {
  id: string;
  kind: MediaKind;
  name: string;
  /** Detected from the content, e.g. image/png, audio/wav. */
  mime: string;
  /** SHA-256 of the bytes, lowercase hex: the key of the content-addressed blob. */
  sha256: string;
  sizeBytes: number;
  /** Images: pixel size after EXIF orientation. Null for audio. */
  width: number | null;
  height: number | null;
  /** Audio: duration in seconds, sample rate in Hz, channel count. Null for images. */
  durationS: number | null;
  sampleRate: number | null;
  channels: number | null;
  /** ISO-8601 time of import. */
  importedAt: string;
}

export type TrackKind = 'audio' | 'camera' | 'timewarp';

export interface Track {
  id: string;
  kind: TrackKind;
  name: string;
  position: number;
  muted: boolean;
  solo: boolean;
  gain: number;
}

export interface AudioClip {
  id: string;
  trackId: string;
  mediaId: string;
  /** Timeline position of the clip's first audible sample, seconds. */
  startS: number;
  /** Seconds trimmed off the media's start and end. */
  trimInS: number;
  trimOutS: number;
  /** Linear gain, 1 = unchanged. */
  gain: number;
}

/** Square crop of the portrait in source pixels (whole pixels; may reach past the image edges). */
export interface AvatarCrop {
  x: number;
  y: number;
  size: number;
}

/** The approximate source camera the avatar was generated with (DESIGN.md Cameras). */
export interface AvatarCamera {
  /** World-to-camera, row-major 4x4, OpenCV convention. */
  view: number[];
  /** Its inverse as the static generator saw it (float32 values), row-major. */
  camToWorld: number[];
  /** fx, fy, cx, cy in pixels of the model input (resolution x resolution). */
  intrinsics: number[];
  resolution: number;
  /** Head rotation seen from the camera, degrees. */
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
}

/** A 3D head generated from a portrait by a model pack. Its buffers live in the project's blobs. */
export interface Avatar {
  id: string;
  name: string;
  portraitMediaId: string;
  modelName: string;
  modelVersion: string;
  crop: AvatarCrop;
  /** The face used when the portrait shows several (0 = largest). */
  faceIndex: number;
  camera: AvatarCamera;
  splatCount: number;
  /** Problems the creator should know about (several faces, head cut by the border). */
  warnings: string[];
  createdAt: string;
}

export type Vec3 = [number, number, number];

/** How the camera moves from a key to the next one (Nerfstudio-style editor, DESIGN.md anchors). */
export type CameraInterpolation = 'smooth' | 'linear' | 'hold';
/** Easing of the segment that starts at a key: remaps its local parameter u in [0, 1]. */
export type CameraEasing = 'none' | 'ease-in' | 'ease-out' | 'ease-in-out';

/**
 * A camera keyframe at output time. World = head space (DESIGN.md "Cameras", OpenCV axes, +y down).
 * Orbit mode places the camera at yaw/pitch/distance around `target` (src/shared/camera/orbit-camera.ts);
 * free mode at `position`, looking at `target`. Angles in degrees; `fovDeg` is the field of view across the output frame's shorter side (src/shared/camera/projection.ts).
 */
export interface CameraKeyframe {
  id: string;
  /** Output time, seconds (the time warp does not move cameras). */
  timeS: number;
  mode: 'orbit' | 'free';
  yawDeg: number;
  pitchDeg: number;
  distance: number;
  /** Free mode only; null in orbit mode. */
  position: Vec3 | null;
  target: Vec3;
  rollDeg: number;
  fovDeg: number;
  /** Interpolation of the segment from this key to the next. */
  interpolation: CameraInterpolation;
  /** Kochanek-Bartels parameters at this key, each in [-1, 1]; 0, 0, 0 = Catmull-Rom. */
  tension: number;
  continuity: number;
  bias: number;
  easing: CameraEasing;
  /** The audio clip this key is tied to: moving the clip moves the key by the same amount. */
  clipId: string | null;
}

/** What the creator sets on a keyframe: everything but its id. */
export type CameraKeyframeInput = Omit<CameraKeyframe, 'id'>;

/**
 * What audio does in a time-warp segment (src/shared/timeline/time-warp.ts):
 *   'pause'   animation and audio pause (or slow) and resume where they stopped; the segment
 *             inserts time, so everything after it plays later;
 *   'silence' the picture holds (or slows) under silence, then jumps back to the timeline so that
 *             everything after the segment plays at its own time.
 */
export type TimeWarpAudioMode = 'silence' | 'pause';

/** A stretch of output time where animation time runs at `rate` (0 = freeze, 0 < rate < 1 = slow). */
export interface TimeWarpSegment {
  id: string;
  /** Output time, seconds; startS < endS. Segments never overlap. */
  startS: number;
  endS: number;
  rate: number;
  audioMode: TimeWarpAudioMode;
  /** The audio clip this segment is tied to: moving the clip moves the segment. */
  clipId: string | null;
}

export type TimeWarpSegmentInput = Omit<TimeWarpSegment, 'id'>;

/** How the studio last looked at this project: restored on reopen. Not an edit (never undone). */
export interface ViewState {
  /** Timeline zoom, pixels per second of output time. */
  pxPerS: number;
  /** Output time at the left edge of the visible timeline, seconds. */
  scrollS: number;
  playheadS: number;
  /** Panel sizes in CSS pixels. */
  panels: { mediaBin: number; inspector: number; timeline: number };
  /** The preview looks through the camera path or from the free orbit camera. */
  previewMode: 'path' | 'orbit';
  /** The export aspect ratio the safe frame shows, width / height. */
  safeFrameAspect: number;
  loop: boolean;
}

export const DEFAULT_VIEW_STATE: ViewState = {
  pxPerS: 60,
  scrollS: 0,
  playheadS: 0,
  panels: { mediaBin: 260, inspector: 300, timeline: 260 },
  previewMode: 'orbit',
  safeFrameAspect: 16 / 9,
  loop: false,
};

export interface ProjectSnapshot {
  path: string;
  name: string;
  schemaVersion: number;
  media: MediaItem[];
  tracks: Track[];
  clips: AudioClip[];
  avatars: Avatar[];
  /** The avatar the timeline drives and the preview shows: the one last generated or chosen. */
  activeAvatarId: string | null;
  /** Sorted by time. */
  cameraKeys: CameraKeyframe[];
  /** Sorted by start; never overlapping. */
  timeWarp: TimeWarpSegment[];
  /** Null until the studio first saves a view of this project. */
  view: ViewState | null;
  history: {
    canUndo: boolean;
    canRedo: boolean;
    /** Label of the edit an undo would revert, e.g. "Rename project". */
    undoLabel: string | null;
    redoLabel: string | null;
  };
  /** Increases with every committed change (edit, undo, redo); lets clients drop stale snapshots. */
  revision: number;
}

export interface RecentProject {
  path: string;
  name: string;
  /** ISO-8601 time it was last opened. */
  lastOpenedAt: string;
  /** False when the file is gone or unreadable now; the UI greys it out. */
  exists: boolean;
}

export interface ImportResult {
  item: MediaItem;
  /** True when identical bytes were already in the project: nothing new was stored. */
  deduplicated: boolean;
  snapshot: ProjectSnapshot;
}

/** File extension of project files, with the dot. */
export const PROJECT_EXTENSION = '.splatproj';
