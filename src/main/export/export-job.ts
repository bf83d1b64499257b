/**
 * One export from start to end (issue 7): plan the frames, check ffmpeg and the output folder,
 * wait for the bakes, mix the sound, then render frame after frame into ffmpeg and rename the
 * finished file into place. Rendering overlaps encoding: frame i + 1 renders while ffmpeg encodes
 * frame i, through a ring of QUEUE_FRAMES pixel buffers, each reused only after ffmpeg's pipe has
 * taken it, and the pipe's backpressure holds the loop when the encoder is slower. Memory is one
 * set of float images, QUEUE_FRAMES 8-bit frames, one background image and a few seconds of offsets,
 * whatever the length (DESIGN.md "Targets": a 60 s clip never holds all its frames).
 *
 * Cancel (the signal) works at any moment: it kills ffmpeg at once, and the loop stops at its next
 * step; the temporary output is removed on every way out but success.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../shared/api/errors.ts';
import type { ExportProgress, ExportSettings } from '../../shared/api/contract.ts';
import type { BakedTiming } from '../../shared/bake/offset-interpolation.ts';
import type { Avatar, ProjectSnapshot } from '../../shared/project/types.ts';
import type { SplatBuffers } from '../../shared/splats/types.ts';
import type { BackendName } from '../raster/native-raster.ts';
import { createPartialOutput, type PartialOutput } from './atomic-output.ts';
import { writeMixWav, type MediaDecoder } from './audio-mix.ts';
import { exportBackdrop } from './export-background.ts';
import { FaceOffsets, faceClips, type BakedFramesReader, type FaceClip } from './face-offsets.ts';
import { checkFfmpeg, FfmpegEncoder } from './ffmpeg-encoder.ts';
import { ffmpegArgs, FORMAT_INFO, PNG_FRAME_PATTERN, pixelLayout } from './ffmpeg-args.ts';
import { bytesPerPixel } from './frame-pixels.ts';
import { checkExportRange, frameSpec, planFrames, type FramePlan } from './frame-plan.ts';
import { FrameRenderer } from './frame-renderer.ts';

/** 8-bit frames in flight between the renderer and ffmpeg's pipe. */
export const QUEUE_FRAMES = 2;
/** Progress events at most this often (the last frame and state changes always go). */
const PROGRESS_INTERVAL_MS = 250;

export interface ExportAvatar {
  avatar: Avatar;
  splats: SplatBuffers;
  /** float32 RGB [R, R, 3] bytes. */
  background: Uint8Array;
}

/**
 * What the job reads from the studio; tests and the CLI pass the studio's own. Fixed when the
 * export starts: the snapshot is plain data read once, and the readers serve what the snapshot
 * names (export-handlers.ts pins each clip's bake), so edits during an export do not reach it.
 */
export interface ExportSources {
  snapshot: ProjectSnapshot;
  avatar: ExportAvatar | null;
  /** Resolves with the bake timing of each clip once all are baked; rejects when baking failed. */
  waitForBakes(clips: readonly FaceClip[], signal: AbortSignal, onWaiting: (done: number, total: number) => void): Promise<Map<string, BakedTiming>>;
  readBaked: BakedFramesReader;
  /** The avatar's rest offsets, float32 [N * 3]. */
  restOffsets(): Promise<Float32Array>;
  decodeMedia: MediaDecoder;
  /** Frees what the sources hold for this export (pinned bake files); called once the job ends. */
  release?(): Promise<void>;
}

export interface ExportJobOptions {
  outputPath: string;
  settings: ExportSettings;
  sources: ExportSources;
  signal: AbortSignal;
  onProgress?: (progress: Omit<ExportProgress, 'id' | 'outputPath'>) => void;
  /** Rasterizer backend, default 'auto' (CUDA when usable). */
  backend?: BackendName | 'auto';
  threads?: number;
}

export interface ExportJobResult {
  frames: number;
  durationS: number;
  wallS: number;
  backend: BackendName;
}

/** A low estimate of the output's bytes, for the free-space check before rendering. */
export function estimateOutputBytes(settings: ExportSettings, plan: FramePlan): number {
  const pixels = settings.width * settings.height * plan.frames;
  if (settings.quality?.mode === 'bitrate') return (settings.quality.kbps * 1000 * plan.durationS) / 8 / 2;
  switch (settings.format) {
    case 'png-sequence':
      return pixels * 0.5;
    case 'mov-prores4444':
      return pixels * 0.3;
    default:
      return pixels * 0.005;
  }
}

function cancelled(): ApiError {
  return new ApiError('CANCELLED', 'Export cancelled');
}

export async function runExport(options: ExportJobOptions): Promise<ExportJobResult> {
  const { settings, sources, signal } = options;
  const report = options.onProgress ?? (() => undefined);
  const { snapshot, avatar } = sources;
  if (!avatar) throw new ApiError('INVALID_INPUT', 'There is no avatar to export: create one from a portrait first.');
  checkExportRange(snapshot, settings.range);
  const plan = planFrames(snapshot, settings);
  const info = FORMAT_INFO[settings.format];
  const layout = pixelLayout(settings);
  const base = { framesDone: 0, framesTotal: plan.frames, fps: 0, secondsLeft: null, error: null };
  report({ ...base, state: 'preparing' });

  await checkFfmpeg([info.videoEncoder, ...(info.audioEncoder ? [info.audioEncoder] : [])]);
  if (signal.aborted) throw cancelled();
  const folder = settings.format === 'png-sequence';
  const partial: PartialOutput = await createPartialOutput(options.outputPath, { folder, minBytes: estimateOutputBytes(settings, plan) });
  let encoder: FfmpegEncoder | null = null;
  const killEncoder = (): void => void encoder?.abort();
  signal.addEventListener('abort', killEncoder);
  let scratch: string | null = null;
  try {
    const clips = faceClips(snapshot.clips, snapshot.tracks, snapshot.media);
    report({ ...base, state: 'baking' });
    const timings = await sources.waitForBakes(clips, signal, (done, total) => report({ ...base, state: 'baking', framesDone: done, framesTotal: total }));
    if (signal.aborted) throw cancelled();
    const rest = await sources.restOffsets();
    const numSplats = avatar.splats.opacities.length;
    const face = new FaceOffsets({ clips, timings, read: sources.readBaked, rest, numSplats });
    const backdrop = await exportBackdrop(settings.background, settings.width, settings.height, {
      avatarBackground: avatar.background,
      avatarCamera: avatar.avatar.camera,
      means: avatar.splats.means,
    });
    const renderer = new FrameRenderer({ splats: avatar.splats, width: settings.width, height: settings.height, layout, backend: options.backend, threads: options.threads });

    scratch = await mkdtemp(join(tmpdir(), 'splat-export-'));
    const audioPath = folder ? join(partial.tempPath, 'audio.wav') : join(scratch, 'mix.wav');
    const durations = new Map(snapshot.media.filter((m) => m.durationS !== null).map((m) => [m.id, m.durationS!]));
    await writeMixWav(audioPath, {
      schedule: { clips: snapshot.clips, tracks: snapshot.tracks, mediaDurations: durations, segments: snapshot.timeWarp },
      startS: plan.startS,
      durationS: plan.durationS,
      decode: sources.decodeMedia,
      signal,
    });
    if (signal.aborted) throw cancelled();

    const target = folder ? join(partial.tempPath, PNG_FRAME_PATTERN) : partial.tempPath;
    encoder = new FfmpegEncoder(ffmpegArgs({ settings, layout, audioPath: folder ? null : audioPath, outputPath: target }), options.outputPath);
    const frameBytes = settings.width * settings.height * bytesPerPixel(layout);
    const ring = Array.from({ length: QUEUE_FRAMES }, () => new Uint8Array(frameBytes));
    const writes: Array<Promise<void> | null> = ring.map(() => null);
    const offsets = new Float32Array(numSplats * 3);
    const started = performance.now();
    let lastReport = 0;
    for (let i = 0; i < plan.frames; i++) {
      if (signal.aborted) throw cancelled();
      const slot = i % QUEUE_FRAMES;
      await writes[slot]; // the buffer is free once ffmpeg's pipe took the frame that used it
      const spec = frameSpec(snapshot, avatar.avatar.camera, plan, settings, i);
      await face.at(spec.animS, offsets);
      await renderer.render(spec.camera, offsets, ring[slot]!, backdrop.at(spec.camera));
      if (signal.aborted) throw cancelled();
      const write = encoder.write(ring[slot]!);
      write.catch(() => undefined); // awaited when the slot comes round or at the end
      writes[slot] = write;
      await encoder.ready();
      const now = performance.now();
      if (now - lastReport >= PROGRESS_INTERVAL_MS || i === plan.frames - 1) {
        lastReport = now;
        const fps = (i + 1) / ((now - started) / 1000);
        report({ ...base, state: 'rendering', framesDone: i + 1, fps, secondsLeft: (plan.frames - i - 1) / fps });
      }
    }
    await Promise.all(writes);
    report({ ...base, state: 'finishing', framesDone: plan.frames });
    await encoder.finish();
    if (signal.aborted) throw cancelled();
    await partial.commit();
    const wallS = (performance.now() - started) / 1000;
    return { frames: plan.frames, durationS: plan.durationS, wallS, backend: renderer.backend };
  } catch (error) {
    await encoder?.abort();
    await partial.discard();
    if (signal.aborted) throw cancelled();
    throw error;
  } finally {
    signal.removeEventListener('abort', killEncoder);
    if (scratch) await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    await sources.release?.().catch(() => undefined);
  }
}
