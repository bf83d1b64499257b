/**
 * Per-video-frame windows of audio features: the dynamic decoder sees, for video frame j, the W
 * mel frames around the frame nearest j's time. Twin: video_frame_centre / frames_for_video in
 * training/splatportrait/audio/logmel.py; rule stated in resources/audio-frontend/logmel-v1.json
 * (feature_window).
 */
import type { LogMelFeatures } from './logmel.ts';
import type { LogMelSpec } from './spec.ts';

/**
 * Mel frame nearest video frame j (time j / fps s): floor(j * sampleRate / (hopLength * fps) + 0.5).
 * The float64 operations run in this order on both sides so the rounding agrees, fps = 29.97
 * included. Twin: video_frame_centre in logmel.py.
 */
export function videoFrameCentre(j: number, fps: number, spec: Pick<LogMelSpec, 'sampleRate' | 'hopLength'>): number {
  return Math.floor((j * spec.sampleRate) / (spec.hopLength * fps) + 0.5);
}

/**
 * [nVideoFrames, window, melBins] float32, row-major: for video frame j, mel frames
 * c - floor(window / 2) .. c - floor(window / 2) + window - 1 around c = videoFrameCentre(j),
 * indices clamped to 0 .. T - 1 (edge replication). Twin: frames_for_video in logmel.py.
 */
export function framesForVideo(
  features: LogMelFeatures,
  nVideoFrames: number,
  fps: number,
  window: number,
  spec: Pick<LogMelSpec, 'sampleRate' | 'hopLength'>,
): Float32Array {
  if (features.frames === 0) throw new RangeError('framesForVideo: no audio features (T = 0) to window');
  if (!Number.isInteger(window) || window <= 0) throw new RangeError(`framesForVideo: window must be a positive integer, got ${window}`);
  if (!Number.isInteger(nVideoFrames) || nVideoFrames < 0) throw new RangeError(`framesForVideo: nVideoFrames must be an integer >= 0, got ${nVideoFrames}`);
  if (!(Number.isFinite(fps) && fps > 0)) throw new RangeError(`framesForVideo: fps must be finite and > 0, got ${fps}`);
  const { data, frames, melBins } = features;
  if (data.length !== frames * melBins) throw new RangeError(`framesForVideo: features data has ${data.length} values, want frames * melBins = ${frames * melBins}`);
  const out = new Float32Array(nVideoFrames * window * melBins);
  const before = Math.floor(window / 2);
  for (let j = 0; j < nVideoFrames; j++) {
    const c = videoFrameCentre(j, fps, spec);
    for (let w = 0; w < window; w++) {
      const src = Math.min(frames - 1, Math.max(0, c - before + w));
      out.set(data.subarray(src * melBins, (src + 1) * melBins), (j * window + w) * melBins);
    }
  }
  return out;
}
