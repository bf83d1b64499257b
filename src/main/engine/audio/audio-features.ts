/**
 * Decoded audio -> what the dynamic decoder reads (DESIGN.md "Data flow"): logmel-v1 features,
 * the W-frame mel window of every video frame, and per output frame the K neighbouring windows.
 * The same steps as training (training/splatportrait/features.py: clip_features, video_windows,
 * attention_stack), through the app-side twins logMel, framesForVideo and neighbourStack.
 * W, K and fps come from the pack's model.json feature_window (mel_frames, neighbour_frames, fps).
 */
import { framesForVideo } from '../../../shared/audio/feature-window.ts';
import { frameCount, logMel } from '../../../shared/audio/logmel.ts';
import { neighbourStack } from '../../../shared/audio/neighbour-stack.ts';
import type { LogMelSpec } from '../../../shared/audio/spec.ts';

export interface ClipFeatures {
  /** [nVideo, window, melBins] float32 row-major: the mel window of each video frame. */
  readonly windows: Float32Array;
  /** Video frames covering the audio (videoFrameCount). */
  readonly nVideo: number;
  /** W: mel frames per window. */
  readonly window: number;
  readonly melBins: number;
  /** Video frames per second the windows were taken at. */
  readonly fps: number;
  /** T: log-mel frames computed from the samples (100 per second for logmel-v1). */
  readonly melFrames: number;
}

/**
 * Video frames that cover N samples: ceil(N * fps / sampleRate), so the last, partial frame
 * still gets a face. Training's clips hold exactly frames * sampleRate / fps samples
 * (training/DATASET.md: audio.samples = frames * 640 at 25 fps), where this is the clip's own
 * frame count, the n_video_frames training passes to video_windows. The 1e-9 keeps a whole
 * number of frames at a rate like 29.97 from rounding up to one more.
 */
export function videoFrameCount(nSamples: number, sampleRate: number, fps: number): number {
  if (!(Number.isInteger(nSamples) && nSamples >= 0)) throw new RangeError(`videoFrameCount: nSamples must be an integer >= 0, got ${nSamples}`);
  if (!(sampleRate > 0 && Number.isFinite(fps) && fps > 0)) throw new RangeError(`videoFrameCount: need sampleRate > 0 and finite fps > 0, got ${sampleRate}, ${fps}`);
  return Math.max(0, Math.ceil((nSamples * fps) / sampleRate - 1e-9));
}

/**
 * samples: [N] mono float32 at spec.sampleRate (decodeAudio's output). Empty input gives the
 * features of one zero sample, as clip_features does, and no video frames.
 * Twin: video_windows(clip_features(wav), n_video, fps, window) in features.py.
 */
export function clipFeatures(samples: Float32Array, spec: LogMelSpec, fps: number, window: number): ClipFeatures {
  const features = logMel(samples.length === 0 ? new Float32Array(1) : samples, spec);
  const nVideo = videoFrameCount(samples.length, spec.sampleRate, fps);
  const windows = framesForVideo(features, nVideo, fps, window, spec);
  return { windows, nVideo, window, melBins: features.melBins, fps, melFrames: features.frames };
}

/**
 * The dynamic decoder's `audio` input for output frames `frames` (video frame indices of this
 * clip): [frames.length, k, window, melBins] float32, k = feature_window.neighbour_frames.
 * Twin: attention_stack(windows, frames, k) in features.py.
 */
export function decoderAudioBatch(features: ClipFeatures, frames: readonly number[], k: number): Float32Array {
  if (features.nVideo === 0) throw new RangeError('decoderAudioBatch: the clip has no video frames (no audio samples)');
  return neighbourStack(features.windows, features.nVideo, features.window, features.melBins, frames, k);
}

/**
 * Windows of digital silence for nVideo frames (melFrames: what nVideo frames of silent samples
 * would give): what the decoder sees where no clip plays. Every
 * value is the front-end's floor level, (ln(logFloor) - normMean) / normStd (-1.628 for
 * logmel-v1), taken from logMel itself so it matches a silent stretch inside a clip bit for bit.
 */
export function silenceFeatures(spec: LogMelSpec, fps: number, window: number, nVideo = 1): ClipFeatures {
  if (!(Number.isInteger(nVideo) && nVideo >= 0)) throw new RangeError(`silenceFeatures: nVideo must be an integer >= 0, got ${nVideo}`);
  if (!(Number.isInteger(window) && window > 0)) throw new RangeError(`silenceFeatures: window must be a positive integer, got ${window}`);
  const silentRow = logMel(new Float32Array(spec.winLength), spec).data.subarray(0, spec.nMels);
  const windows = new Float32Array(nVideo * window * spec.nMels);
  for (let at = 0; at < windows.length; at += spec.nMels) windows.set(silentRow, at);
  return { windows, nVideo, window, melBins: spec.nMels, fps, melFrames: frameCount(Math.round((nVideo * spec.sampleRate) / fps), spec) };
}
