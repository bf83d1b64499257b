/**
 * Per-frame audio features for the dynamic decoder (src/main/engine/audio/audio-features.ts),
 * with W, K and fps from the shipped tiny pack's model.json, and end to end against the training
 * side (features.py) when the system Python has numpy.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipFeatures, decoderAudioBatch, silenceFeatures, videoFrameCount } from '../../../src/main/engine/audio/audio-features.ts';
import { logMel } from '../../../src/shared/audio/logmel.ts';
import { seededPrng } from '../../helpers/prng.ts';
import { loadSpec, ROOT } from '../audio/spec-file.ts';

const spec = loadSpec();

interface TensorSpec {
  name: string;
  shape: Array<number | string>;
}
const modelJson = JSON.parse(readFileSync(join(ROOT, 'resources', 'models', 'tiny', 'model.json'), 'utf8')) as {
  feature_window: { fps: number; mel_frames: number; neighbour_frames: number };
  models: { dynamic_decoder: { inputs: TensorSpec[] } };
};
const { fps: FPS, mel_frames: W, neighbour_frames: K } = modelJson.feature_window;

function sine(seconds: number, hz = 440, level = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * spec.sampleRate) }, (_, i) => level * Math.sin((2 * Math.PI * hz * i) / spec.sampleRate));
}

describe('videoFrameCount', () => {
  it('is ceil(N * fps / sampleRate): whole frames exact, a partial last frame counted, NTSC rates not rounded up', () => {
    expect(videoFrameCount(0, 16000, 25)).toBe(0);
    expect(videoFrameCount(640 * 75, 16000, 25)).toBe(75);
    expect(videoFrameCount(640 * 75 + 1, 16000, 25)).toBe(76);
    expect(videoFrameCount(16000, 16000, 30)).toBe(30);
    // 15 frames at 24000/1001 fps are exactly 10010 samples; the float product lands a hair over 15.
    expect((10010 * (24000 / 1001)) / 16000).toBeGreaterThan(15);
    expect(videoFrameCount(10010, 16000, 24000 / 1001)).toBe(15);
    expect(videoFrameCount(10011, 16000, 24000 / 1001)).toBe(16);
    expect(videoFrameCount(16016, 16000, 29.97)).toBe(30); // 30 frames at 29.97 fps are 16016.02 samples
    expect(() => videoFrameCount(1.5, 16000, 25)).toThrow(/nSamples/);
  });
});

describe('clipFeatures', () => {
  it('gives [nVideo, W, nMels] windows read around each video frame by the mel rule', () => {
    const samples = sine(3);
    const f = clipFeatures(samples, spec, FPS, W);
    expect(f).toMatchObject({ nVideo: 75, window: W, melBins: 80, fps: FPS, melFrames: 301 });
    expect(f.windows.length).toBe(75 * W * 80);
    const mel = logMel(samples, spec);
    const row = (data: Float32Array, index: number): Float32Array => data.subarray(index * 80, (index + 1) * 80);
    // Video frame 10 at 25 fps centres on mel frame 40; its window starts floor(W / 2) earlier.
    for (let w = 0; w < W; w++) expect(row(f.windows, 10 * W + w)).toEqual(row(mel.data, 40 - W / 2 + w));
    // Frame 0 replicates mel frame 0 before the start; the last frame replicates the last mel frame.
    expect(row(f.windows, 0)).toEqual(row(mel.data, 0));
    expect(row(f.windows, 74 * W + W - 1)).toEqual(row(mel.data, Math.min(300, 4 * 74 - W / 2 + W - 1)));
  });

  it('gives no video frames for no samples, and the decoder batch refuses that', () => {
    const f = clipFeatures(new Float32Array(0), spec, FPS, W);
    expect(f.nVideo).toBe(0);
    expect(f.windows.length).toBe(0);
    expect(() => decoderAudioBatch(f, [0], K)).toThrow(/no video frames/);
  });
});

describe('decoderAudioBatch', () => {
  it("has the shape of the pack's dynamic_decoder `audio` input, [frames, K, W, nMels]", () => {
    const audio = modelJson.models.dynamic_decoder.inputs.find((i) => i.name === 'audio');
    expect(audio?.shape.slice(1)).toEqual([K, W, 80]);
    const f = clipFeatures(sine(1), spec, FPS, W);
    const frames = [0, 1, 12, 24];
    const batch = decoderAudioBatch(f, frames, K);
    expect(batch.length).toBe(frames.length * K * W * 80);
    // Output frame 12's neighbours are video frames 12 - K/2 .. 12 + K/2 - 1.
    const stride = W * 80;
    for (let i = 0; i < K; i++) {
      const v = 12 - K / 2 + i;
      expect(batch.subarray((2 * K + i) * stride, (2 * K + i + 1) * stride)).toEqual(f.windows.subarray(v * stride, (v + 1) * stride));
    }
  });
});

describe('silenceFeatures', () => {
  it('is one constant, the floor level, and equals the windows of digital silence inside a clip', () => {
    const silence = silenceFeatures(spec, FPS, W, 5);
    expect(silence).toMatchObject({ nVideo: 5, window: W, melBins: 80 });
    expect(silence.windows.length).toBe(5 * W * 80);
    const floor = Math.fround((Math.log(spec.logFloor) - spec.normMean) / spec.normStd);
    expect(floor).toBeCloseTo(-1.628, 3);
    expect(silence.windows.every((v) => v === floor)).toBe(true);
    const zeros = clipFeatures(new Float32Array(640 * 5), spec, FPS, W);
    expect(zeros.windows).toEqual(silence.windows);
    expect(zeros.melFrames).toBe(silence.melFrames);
  });
});

const PYTHON = '/usr/bin/python3';
const TRAINING = join(ROOT, 'training');

function pythonTwinMissing(): string | null {
  if (!existsSync(PYTHON)) return `skipped: ${PYTHON} is absent`;
  try {
    execFileSync(PYTHON, ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); import numpy, splatportrait.features', TRAINING], { stdio: 'pipe', timeout: 30_000 });
    return null;
  } catch {
    return `skipped: ${PYTHON} cannot import numpy or training/splatportrait/features.py`;
  }
}
const PYTHON_MISSING = pythonTwinMissing();

describe.skipIf(PYTHON_MISSING !== null)(`against training's features.py (${PYTHON_MISSING ?? 'clip_features, video_windows, attention_stack'})`, () => {
  it('gives the same decoder input, bit for bit, for 2 s of noisy speech-band audio', () => {
    // 50 frames' worth (640 samples each), as training's clips are cut: then nVideo is the clip's frame count.
    const prng = seededPrng(3);
    const samples = Float32Array.from(sine(2, 220, 0.3), (v) => v + 0.05 * (prng.next() * 2 - 1));
    const f = clipFeatures(samples, spec, FPS, W);
    expect(f.nVideo).toBe(50);
    const frames = [0, 3, 25, 49];
    const script = [
      'import sys, json, numpy as np',
      'sys.path.insert(0, sys.argv[1])',
      'from splatportrait import features as F',
      'a = json.loads(sys.stdin.read())',
      'wav = np.frombuffer(bytes.fromhex(a["wav"]), dtype="<f4")',
      'win = F.video_windows(F.clip_features(wav), a["n"], a["fps"], a["w"])',
      'out = F.attention_stack(win, a["frames"], a["k"])',
      'print(np.ascontiguousarray(out, dtype="<f4").tobytes().hex())',
    ].join('\n');
    const input = JSON.stringify({ wav: Buffer.from(samples.buffer).toString('hex'), n: f.nVideo, fps: FPS, w: W, frames, k: K });
    const hex = execFileSync(PYTHON, ['-c', script, TRAINING], { input, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }).toString().trim();
    const python = new Float32Array(new Uint8Array(Buffer.from(hex, 'hex')).buffer);
    // Bit for bit: the log-mel twins agree exactly (golden tests), and the rest only copies values.
    expect(decoderAudioBatch(f, frames, K)).toEqual(python);
  });
});
