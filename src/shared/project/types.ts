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
