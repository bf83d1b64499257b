/**
 * The golden-vector file format of test/golden/logmel/ and its TypeScript builder. Twin: build()
 * in training/splatportrait/audio/make_golden.py (same fields, same recipes, same rounding). The
 * file layout:
 *   spec               'logmel-v1'
 *   producer           who wrote it
 *   filterbank         [nMels] { start, weights } full-precision float64 rows (non-zero span)
 *   cases              [{ name, n_samples, pcm16_base64, frames, mel_bins, features [T][nMels] }]
 *                      input = int16 little-endian / 32768; features rounded to 6 significant digits
 *   video_centres      [{ fps, centres [16] }]   videoFrameCentre(j) for j < 16
 *   window_case        { case, fps, n_video_frames, window, indices [n][window] } mel frame indices
 */
import { framesForVideo, videoFrameCentre } from '../../../src/shared/audio/feature-window.ts';
import { logMel } from '../../../src/shared/audio/logmel.ts';
import { melFilterbank, sparseFilters } from '../../../src/shared/audio/mel-filters.ts';
import { fftBins, type LogMelSpec } from '../../../src/shared/audio/spec.ts';
import { goldenSignals } from './signals.ts';

export interface GoldenCase {
  name: string;
  n_samples: number;
  pcm16_base64: string;
  frames: number;
  mel_bins: number;
  features: number[][];
}

export interface GoldenFile {
  spec: string;
  producer: string;
  features_rounding: string;
  filterbank: { start: number; weights: number[] }[];
  cases: GoldenCase[];
  video_centres: { fps: number; centres: number[] }[];
  window_case: { case: string; fps: number; n_video_frames: number; window: number; indices: number[][] };
}

/** Same rates and window case as make_golden.py. */
export const GOLDEN_FPS = [25, 29.97, 30, 40] as const;
export const GOLDEN_VIDEO_FRAMES = 16;
export const GOLDEN_WINDOW_CASE = { case: 'tone', fps: 29.97, n_video_frames: 16, window: 7 } as const;

/** int16 little-endian bytes, base64 (no Node Buffer: btoa / atob exist in Node and browsers). */
export function encodePcm16(pcm: Int16Array): string {
  const bytes = new Uint8Array(pcm.length * 2);
  const view = new DataView(bytes.buffer);
  pcm.forEach((v, i) => view.setInt16(2 * i, v, true));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function decodePcm16(b64: string): Int16Array {
  const s = atob(b64);
  const view = new DataView(new Uint8Array(Array.from(s, (c) => c.charCodeAt(0))).buffer);
  return Int16Array.from({ length: s.length / 2 }, (_, i) => view.getInt16(2 * i, true));
}

/** Sample = int16 / 32768, exact in float32. */
export function pcmToFloat(pcm: Int16Array): Float32Array {
  return Float32Array.from(pcm, (v) => v / 32768);
}

export function round6(v: number): number {
  return Number(v.toPrecision(6));
}

export function buildGolden(spec: LogMelSpec): GoldenFile {
  const cases: GoldenCase[] = [];
  for (const [name, pcm] of Object.entries(goldenSignals())) {
    const f = logMel(pcmToFloat(pcm), spec);
    cases.push({
      name,
      n_samples: pcm.length,
      pcm16_base64: encodePcm16(pcm),
      frames: f.frames,
      mel_bins: f.melBins,
      features: Array.from({ length: f.frames }, (_, k) => Array.from(f.data.subarray(k * f.melBins, (k + 1) * f.melBins), round6)),
    });
  }
  const toneFrames = cases.find((c) => c.name === GOLDEN_WINDOW_CASE.case)?.frames ?? 0;
  const indexFeatures = { data: Float32Array.from({ length: toneFrames }, (_, k) => k), frames: toneFrames, melBins: 1 };
  const { fps, n_video_frames, window } = GOLDEN_WINDOW_CASE;
  const win = framesForVideo(indexFeatures, n_video_frames, fps, window, spec);
  return {
    spec: spec.name,
    producer: 'typescript: test/golden/logmel/make-golden-ts.ts (src/shared/audio RealFft, float64)',
    features_rounding: '6 significant digits',
    filterbank: sparseFilters(melFilterbank(spec), spec.nMels, fftBins(spec)).map((r) => ({ start: r.start, weights: Array.from(r.weights) })),
    cases,
    video_centres: GOLDEN_FPS.map((fps) => ({ fps, centres: Array.from({ length: GOLDEN_VIDEO_FRAMES }, (_, j) => videoFrameCentre(j, fps, spec)) })),
    window_case: { ...GOLDEN_WINDOW_CASE, indices: Array.from({ length: n_video_frames }, (_, j) => Array.from(win.subarray(j * window, (j + 1) * window))) },
  };
}
