/**
 * The paper's same-identity protocol on one prepared clip, through the shipped path (the model
 * pack's ONNX graphs in onnxruntime, the native rasterizer, the export's background scaling):
 * frame 0 is the source; every later frame n is predicted from the source with frame n's audio
 * window, time delta n / fps and frame n's estimated camera, and compared with the real frame n.
 *
 * Methods, all rendered and measured the same way at the crop size of the prepared data:
 *   model          static splats + the dynamic decoder's offsets;
 *   static_only    the same splats without offsets (the avatar does not move its face);
 *   repeat_source  the source frame itself for every n (the trivial baseline).
 * The real frames are measured too (their lip-sync figures are the reference a model can reach).
 */
import { clipFeatures, decoderAudioBatch, silenceFeatures } from '../engine/audio/audio-features.ts';
import { smoothToSourceFootprint } from '../engine/avatar/footprint-filter.ts';
import { runStaticGenerator, type GeneratedAvatar } from '../engine/avatar/static-generator.ts';
import { DynamicDecoder } from '../engine/bake/dynamic-decoder.ts';
import { packFrontendSpec } from '../engine/models/frontend-spec.ts';
import type { ModelPack } from '../engine/models/model-pack.ts';
import { areaDownsample, invert4, toNchwUnit } from '../engine/portrait/model-input.ts';
import { predictedBackground } from '../export/export-background.ts';
import { render, type RasterBackground, type RasterCamera } from '../raster/native-raster.ts';
import type { SplatBuffers } from '../../shared/splats/types.ts';
import { fillGaps, probeFace, toRgb8, toUnitFloat, type FaceProbe } from './face-probe.ts';
import { cosineSimilarity, meanOrNull } from './metrics/identity.ts';
import { psnr, ssim } from './metrics/image-metrics.ts';
import { bestLagCorrelation, frameEnergy, mouthClosedRateInSilence, silenceFrames } from './metrics/lip-sync.ts';
import { orbitView } from './novel-view.ts';
import { readClipAudio, readFrameRgb8, viewOf, type PreparedClip } from './prepared-clip.ts';

export const METHODS = ['repeat_source', 'static_only', 'model'] as const;
export type MethodName = (typeof METHODS)[number];

/** Lag search range for the lip-sync correlation: +-5 frames (0.2 s at 25 fps). */
export const LIPSYNC_MAX_LAG = 5;
/** Yaws of the novel-view identity test (issue 8: +-30 degrees) and of the sweep picture. */
export const NOVEL_YAWS = [-30, 30] as const;
export const SWEEP_YAWS = [-30, -15, 0, 15, 30] as const;

export interface LipSyncFigures {
  /** Pearson correlation of mouth opening with audio energy at the best lag; null: no variance. */
  correlation: number | null;
  lagFrames: number;
  /** Share of silent frames with the mouth closed; null: the clip has no silence. */
  closedInSilence: number | null;
}

export interface MethodClipMetrics {
  psnr: number;
  ssim: number;
  /** Mean cosine similarity of the frame's face embedding to the source frame's. */
  csim: number | null;
  lipsync: LipSyncFigures;
  /** Mean cosine similarity of the +-30 degree renders' embeddings to the frontal render's; null where a method has no 3D. */
  novelViewCsim: number | null;
  /** Evaluated frames where no face was found in this method's image. */
  facesMissed: number;
}

export interface ClipSheet {
  size: number;
  frames: number[];
  /** RGB bytes per frame of `frames`, per row. */
  rows: Record<'real' | MethodName, Uint8Array[]>;
  sweep: { yaws: number[]; tiles: Uint8Array[] };
}

export interface ClipEvaluation {
  clip: string;
  /** Frames compared (targets). */
  frames: number;
  silentFrames: number;
  methods: Record<MethodName, MethodClipMetrics>;
  real: { lipsync: LipSyncFigures; csim: number | null; facesMissed: number };
  sheet: ClipSheet;
  seconds: number;
}

export interface EvalClipOptions {
  /** Compare every stride-th frame (default 1: every frame; lip-sync lags are then in frames). */
  stride?: number;
  /** Use at most this many frames of the clip (source included). */
  maxFrames?: number;
  /** Frames in the side-by-side picture (default 4). */
  sheetFrames?: number;
  /** Rasterizer CPU threads (0: all). */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

const DECODER_BATCH = 16;

export function targetFrames(frames: number, stride: number): number[] {
  const out: number[] = [];
  for (let n = 1; n < frames; n += stride) out.push(n);
  return out;
}

/** `count` indices spread evenly over `items` (ends included). */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return items.slice();
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);
}

function withOffsets(splats: SplatBuffers, offsets: Float32Array | null): SplatBuffers {
  if (!offsets) return splats;
  const means = new Float32Array(splats.means.length);
  for (let i = 0; i < means.length; i++) means[i] = splats.means[i]! + offsets[i]!;
  return { ...splats, means };
}

function lipSync(openings: readonly number[], energy: Float32Array): LipSyncFigures {
  const filled = Float32Array.from(fillGaps(openings));
  if (!filled.every(Number.isFinite)) return { correlation: null, lagFrames: 0, closedInSilence: null };
  const best = bestLagCorrelation(filled, energy, LIPSYNC_MAX_LAG);
  return { correlation: best.correlation, lagFrames: best.lagFrames, closedInSilence: mouthClosedRateInSilence(filled, energy).rate };
}

function identity(probes: readonly FaceProbe[], source: Float32Array | null): number | null {
  if (!source) return null;
  return meanOrNull(probes.map((p) => (p.embedding ? cosineSimilarity(p.embedding, source) : null)));
}

export async function evaluateClip(pack: ModelPack, clip: PreparedClip, options: EvalClipOptions = {}): Promise<ClipEvaluation> {
  const started = performance.now();
  const stride = Math.max(1, Math.floor(options.stride ?? 1));
  const r = pack.json.input.resolution;
  const size = clip.size;
  if (size % r !== 0) throw new Error(`${clip.id}: the crop size ${size} is not a multiple of the pack's resolution ${r}`);
  if (pack.json.feature_window.fps !== clip.fps) throw new Error(`${clip.id} is ${clip.fps} fps; the pack's audio windows are for ${pack.json.feature_window.fps} fps`);

  const sourceRgb = await readFrameRgb8(clip, 0);
  const view0 = viewOf(clip, 0);
  const camToWorld = Float32Array.from(invert4(Array.from(view0)));
  const k = clip.intrinsics;
  const atModel = r / size;
  const generated: GeneratedAvatar = await runStaticGenerator(pack, {
    image: toNchwUnit(areaDownsample(sourceRgb, size, r), r),
    camToWorld,
    intrinsics: Float32Array.of(k.fx * atModel, k.fy * atModel, k.cx * atModel, k.cy * atModel),
  });
  // As the studio stores it (generate-avatar.ts).
  const avatar = { ...generated, splats: smoothToSourceFootprint(generated.splats, view0, k.fx * atModel) };
  const background: RasterBackground = {
    image: await predictedBackground(new Uint8Array(avatar.background.buffer, avatar.background.byteOffset, avatar.background.byteLength), size, size),
  };
  const cameraFor = (view: ArrayLike<number>): RasterCamera => ({ width: size, height: size, fx: k.fx, fy: k.fy, cx: k.cx, cy: k.cy, view, near: 0.01, far: 100 });
  const draw = (splats: SplatBuffers, view: ArrayLike<number>): Float32Array => render(splats, cameraFor(view), { background, threads: options.threads ?? 0 }).rgb;

  const spec = packFrontendSpec(pack);
  const samples = await readClipAudio(clip, spec.sampleRate);
  const decoder = new DynamicDecoder(pack, avatar.features, camToWorld);
  const { neighbours, window } = decoder.shape;
  const features = clipFeatures(samples, spec, clip.fps, window);
  const usable = Math.min(clip.frames, features.nVideo, options.maxFrames ?? Infinity);
  const targets = targetFrames(usable, stride);
  if (targets.length === 0) throw new Error(`${clip.id}: fewer than 2 usable frames (video ${clip.frames}, audio ${features.nVideo})`);
  const allEnergy = frameEnergy(samples, spec.sampleRate, clip.fps, usable);
  const energy = Float32Array.from(targets, (n) => allEnergy[n]!);

  const sourceFloat = toUnitFloat(sourceRgb);
  const sourceProbe = await probeFace(sourceRgb, size, size);
  const sheetFrames = new Set(spread(targets, options.sheetFrames ?? 4));
  const sheet: ClipSheet = { size, frames: [...sheetFrames], rows: { real: [], repeat_source: [], static_only: [], model: [] }, sweep: { yaws: [...SWEEP_YAWS], tiles: [] } };

  const image = { psnr: { repeat_source: [] as number[], static_only: [] as number[], model: [] as number[] }, ssim: { repeat_source: [] as number[], static_only: [] as number[], model: [] as number[] } };
  const probes: Record<'real' | MethodName, FaceProbe[]> = { real: [], repeat_source: [], static_only: [], model: [] };
  let done = 0;
  for (let first = 0; first < targets.length; first += DECODER_BATCH) {
    const batch = targets.slice(first, first + DECODER_BATCH);
    const offsets = await decoder.run(decoderAudioBatch(features, batch, neighbours), Float32Array.from(batch, (n) => n / clip.fps));
    const perFrame = offsets.length / batch.length;
    for (const [i, n] of batch.entries()) {
      const view = viewOf(clip, n);
      const realRgb = await readFrameRgb8(clip, n);
      const real = toUnitFloat(realRgb);
      const images: Record<MethodName, Float32Array> = {
        repeat_source: sourceFloat,
        static_only: draw(avatar.splats, view),
        model: draw(withOffsets(avatar.splats, offsets.subarray(i * perFrame, (i + 1) * perFrame)), view),
      };
      for (const m of METHODS) {
        image.psnr[m].push(psnr(images[m], real));
        image.ssim[m].push(ssim(images[m], real, size, size));
      }
      probes.real.push(await probeFace(realRgb, size, size));
      probes.repeat_source.push(sourceProbe);
      const staticRgb = toRgb8(images.static_only);
      const modelRgb = toRgb8(images.model);
      probes.static_only.push(await probeFace(staticRgb, size, size));
      probes.model.push(await probeFace(modelRgb, size, size));
      if (sheetFrames.has(n)) {
        sheet.rows.real.push(realRgb);
        sheet.rows.repeat_source.push(sourceRgb);
        sheet.rows.static_only.push(staticRgb);
        sheet.rows.model.push(modelRgb);
      }
      options.onProgress?.(++done, targets.length);
    }
  }

  // Novel views: the avatar at rest (silence, time delta 0) for the model, bare for static_only.
  const rest = await decoder.run(decoderAudioBatch(silenceFeatures(spec, clip.fps, window, 1), [0], neighbours), new Float32Array(1));
  const novel = async (splats: SplatBuffers, keepSweep: boolean): Promise<number | null> => {
    const yaws = keepSweep ? [...SWEEP_YAWS] : [0, ...NOVEL_YAWS];
    const views = new Map(yaws.map((yaw) => [yaw, toRgb8(draw(splats, yaw === 0 ? view0 : orbitView(view0, yaw)))]));
    if (keepSweep) sheet.sweep.tiles.push(...SWEEP_YAWS.map((yaw) => views.get(yaw)!));
    const front = await probeFace(views.get(0)!, size, size);
    const sims: (number | null)[] = [];
    for (const yaw of NOVEL_YAWS) {
      const probe = await probeFace(views.get(yaw)!, size, size);
      sims.push(front.embedding && probe.embedding ? cosineSimilarity(front.embedding, probe.embedding) : null);
    }
    return meanOrNull(sims);
  };

  const openings = (m: 'real' | MethodName): number[] => probes[m].map((p) => p.opening);
  const missed = (m: 'real' | MethodName): number => probes[m].filter((p) => !p.embedding).length;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const metricsOf = (m: MethodName, novelViewCsim: number | null): MethodClipMetrics => ({
    psnr: mean(image.psnr[m]),
    ssim: mean(image.ssim[m]),
    csim: identity(probes[m], sourceProbe.embedding),
    lipsync: lipSync(openings(m), energy),
    novelViewCsim,
    facesMissed: missed(m),
  });
  const methods: Record<MethodName, MethodClipMetrics> = {
    repeat_source: metricsOf('repeat_source', null),
    static_only: metricsOf('static_only', await novel(avatar.splats, false)),
    model: metricsOf('model', await novel(withOffsets(avatar.splats, rest), true)),
  };
  const realLip = lipSync(openings('real'), energy);
  return {
    clip: clip.id,
    frames: targets.length,
    silentFrames: silenceFrames(energy).filter(Boolean).length,
    methods,
    real: { lipsync: realLip, csim: identity(probes.real, sourceProbe.embedding), facesMissed: missed('real') },
    sheet,
    seconds: (performance.now() - started) / 1000,
  };
}
