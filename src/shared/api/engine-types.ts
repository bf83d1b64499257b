/** What the engine-backed API methods return (contract.ts): avatars, baking, the engine process. */
import type { Avatar, ProjectSnapshot } from '../project/types.ts';

export interface AvatarResult {
  avatar: Avatar;
  snapshot: ProjectSnapshot;
  /** The automatic crop as an adjustment (centre and size, source pixels), for the crop editor. */
  autoCrop: { centreX: number; centreY: number; size: number };
  faceCount: number;
  /** PNG of the crop the model saw. */
  cropPng: Uint8Array;
  /** Milliseconds: image decode + face detection + crop, and the static generator. */
  timings: { faceMs: number; generatorMs: number };
}

export interface AvatarBuffers {
  avatarId: string;
  numSplats: number;
  /** splat-bytes.ts layout. */
  splats: Uint8Array;
  /** float32 RGB [resolution, resolution, 3], 0..1. */
  background: Uint8Array;
  resolution: number;
}

export type BakeState = 'waiting' | 'baking' | 'done' | 'failed' | 'no-avatar';

export interface BakeStatus {
  clipId: string;
  state: BakeState;
  /** Frames baked and in all, at `fps`. */
  done: number;
  total: number;
  fps: number;
  /** Failure message (state 'failed'). */
  error: string | null;
}

export interface BakeOffsets {
  clipId: string;
  fps: number;
  numSplats: number;
  firstFrame: number;
  count: number;
  /** float32 LE [count, numSplats, 3]. */
  bytes: Uint8Array;
}

export interface EngineStatus {
  state: 'idle' | 'busy' | 'crashed';
  message: string | null;
  restarts: number;
}
