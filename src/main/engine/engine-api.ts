/**
 * The methods the engine process serves (src/main/engine/engine-process.ts) to the main process
 * (src/main/api). Arguments and results are plain data and typed arrays: they cross the process
 * boundary by structured clone. Paths are ones the main process already checked.
 */
import type { AvatarCamera, AvatarCrop } from '../../shared/project/types.ts';

/** A creator's crop adjustment, source pixels. */
export interface CropOverride {
  centreX: number;
  centreY: number;
  size: number;
}

export interface GenerateAvatarArgs {
  /** The portrait file's bytes and its name (for messages). */
  bytes: Uint8Array;
  name: string;
  /** Model pack folder. */
  packDir: string;
  crop?: CropOverride;
  faceIndex?: number;
}

export type GenerateAvatarResult =
  | {
      status: 'ok';
      modelName: string;
      modelVersion: string;
      crop: AvatarCrop;
      /** The automatic crop as an override, so the UI can start its adjustment from it. */
      autoCrop: CropOverride;
      faceIndex: number;
      faceCount: number;
      camera: AvatarCamera;
      /** View matrix inverse, the static generator's cam_to_world (16 floats). */
      camToWorld: Float32Array;
      warnings: string[];
      cropPng: Uint8Array;
      numSplats: number;
      /** splat-bytes.ts layout. */
      splats: Uint8Array;
      /** float32 RGB [R, R, 3]. */
      background: Uint8Array;
      /** tensor-pack.ts blob of the decoder features. */
      features: Uint8Array;
      /** Milliseconds: image decode + face detection + crop (one step of importPortrait), the static generator. */
      timings: { faceMs: number; generatorMs: number };
    }
  | { status: 'no-face' | 'face-too-small'; message: string };

export interface BakeClipArgs {
  packDir: string;
  /** The bake cache folder (beside the project) and this bake's key (bake-key.ts). */
  cacheDir: string;
  key: string;
  /** The clip's media as a file (the main process writes the project blob out once). */
  audioPath: string;
  audioName: string;
  /** Segment of the media that the clip plays, seconds. */
  startS: number;
  durationS: number;
  fps: number;
  /** The avatar's decoder features (tensor-pack blob) and source cam_to_world (16 floats). */
  features: Uint8Array;
  camToWorld: Float32Array;
  /** Frames per decoder run. */
  batch?: number;
}

export interface BakeProgress {
  done: number;
  total: number;
  /** Frames computed in this run so far (the rest came from the cache). */
  computed: number;
}

export interface BakeClipResult {
  frames: number;
  /** Frames this run computed; frames - computed were already in the cache. */
  computed: number;
  ms: number;
}

export interface RestOffsetsArgs {
  packDir: string;
  features: Uint8Array;
  camToWorld: Float32Array;
}

export interface EngineMethods {
  'avatar.generate': (args: GenerateAvatarArgs) => Promise<GenerateAvatarResult>;
  'bake.clip': (args: BakeClipArgs) => Promise<BakeClipResult>;
  /** Offsets of the avatar with silence as input: the closed, still mouth between clips. [N*3]. */
  'bake.rest': (args: RestOffsetsArgs) => Promise<Float32Array>;
  /** Process memory, for benchmarks and diagnostics. */
  'engine.memory': (args: Record<string, never>) => Promise<{ rss: number; peakRss: number }>;
}

export type EngineMethodName = keyof EngineMethods;
export type EngineArgs<M extends EngineMethodName> = Parameters<EngineMethods[M]>[0];
export type EngineResult<M extends EngineMethodName> = Awaited<ReturnType<EngineMethods[M]>>;

/** How the main process calls the engine, whichever process hosts it. */
export interface EngineClient {
  call<M extends EngineMethodName>(
    method: M,
    args: EngineArgs<M>,
    options?: { signal?: AbortSignal; onProgress?: (value: unknown) => void },
  ): Promise<EngineResult<M>>;
}
