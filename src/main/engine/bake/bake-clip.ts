/**
 * Baking one clip (engine process): decode the clip's audio segment, compute its features once,
 * then run the dynamic decoder on the frames the cache is missing, in batches, writing each batch
 * to the cache as it comes (memory holds one batch of offsets, never the clip). Cancel stops
 * between batches; a later run resumes with only the missing frames.
 */
import { ApiError } from '../../../shared/api/errors.ts';
import type { BakeClipArgs, BakeClipResult, BakeProgress, RestOffsetsArgs } from '../engine-api.ts';
import { clipFeatures, decoderAudioBatch, silenceFeatures } from '../audio/audio-features.ts';
import { decodeAudio } from '../audio/decode-audio.ts';
import { normaliseSpeechLevel } from '../../../shared/audio/speech-level.ts';
import { decodeTensors } from '../avatar/tensor-pack.ts';
import { packFrontendSpec, packLevelRule } from '../models/frontend-spec.ts';
import type { ModelPack } from '../models/model-pack.ts';
import { BakeCache } from './bake-cache.ts';
import { DynamicDecoder } from './dynamic-decoder.ts';

/** Frames per decoder run: large enough to amortise the per-run cost, small enough for progress. */
export const DEFAULT_BAKE_BATCH = 16;

/**
 * Time delta of output frame j of a clip: seconds from the portrait's instant, j / fps from the
 * clip start (model.json feature_window.time_delta; the graph clamps it to the trained range).
 */
export function timeDeltas(frames: readonly number[], fps: number): Float32Array {
  return Float32Array.from(frames, (j) => j / fps);
}

export async function bakeClip(
  pack: ModelPack,
  args: BakeClipArgs,
  signal: AbortSignal,
  progress: (p: BakeProgress) => void,
): Promise<BakeClipResult> {
  const started = performance.now();
  const spec = packFrontendSpec(pack);
  const level = packLevelRule(pack);
  const decoder = new DynamicDecoder(pack, decodeTensors(args.features), args.camToWorld);
  const { neighbours, window, numSplats } = decoder.shape;
  const audio = await decodeAudio(args.audioPath, { sampleRate: spec.sampleRate, startS: args.startS, durationS: args.durationS, signal, name: args.audioName });
  const features = clipFeatures(level ? normaliseSpeechLevel(audio.samples, level) : audio.samples, spec, args.fps, window);
  if (features.nVideo === 0) throw new ApiError('UNSUPPORTED_MEDIA', `${args.audioName} has no audio in the clip's range.`);
  const cache = await BakeCache.open(args.cacheDir, args.key, { frames: features.nVideo, numSplats, fps: args.fps });
  const batch = Math.max(1, args.batch ?? DEFAULT_BAKE_BATCH);
  let computed = 0;
  try {
    const total = cache.frames;
    progress({ done: cache.doneCount, total, computed });
    for (const range of cache.missingRanges()) {
      for (let first = range.first; first < range.first + range.count; first += batch) {
        if (signal.aborted) throw new ApiError('CANCELLED', 'Baking cancelled');
        const frames = Array.from({ length: Math.min(batch, range.first + range.count - first) }, (_, i) => first + i);
        const offsets = await decoder.run(decoderAudioBatch(features, frames, neighbours), timeDeltas(frames, args.fps));
        await cache.writeFrames(first, offsets);
        computed += frames.length;
        progress({ done: cache.doneCount, total, computed });
      }
    }
    return { frames: total, computed, ms: performance.now() - started };
  } finally {
    await cache.close();
  }
}

/** The avatar's offsets for silence at time delta 0: the closed, still mouth between clips. */
export async function restOffsets(pack: ModelPack, args: RestOffsetsArgs): Promise<Float32Array> {
  const spec = packFrontendSpec(pack);
  const decoder = new DynamicDecoder(pack, decodeTensors(args.features), args.camToWorld);
  const { neighbours, window } = decoder.shape;
  const silence = silenceFeatures(spec, pack.json.feature_window.fps, window, 1);
  return decoder.run(decoderAudioBatch(silence, [0], neighbours), new Float32Array(1));
}
