/**
 * neighbourStack (src/shared/audio/neighbour-stack.ts) against a slow, obvious reference and
 * against its Python twin attention_stack (training/splatportrait/features.py), run here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { neighbourStack } from '../../../src/shared/audio/neighbour-stack.ts';
import { seededPrng } from '../../helpers/prng.ts';
import { ROOT } from './spec-file.ts';

/** Value of video frame v, window slot w, band m, so every output tells where it was read from. */
function indexWindows(nVideo: number, window: number, melBins: number): Float32Array {
  return Float32Array.from({ length: nVideo * window * melBins }, (_, i) => {
    const m = i % melBins;
    const w = Math.floor(i / melBins) % window;
    const v = Math.floor(i / (melBins * window));
    return 10_000 * v + 100 * w + m;
  });
}

/** The rule read straight from model.json's neighbour_rule, one value at a time. */
function referenceStack(windows: Float32Array, nVideo: number, window: number, melBins: number, frames: readonly number[], k: number): Float32Array {
  const out: number[] = [];
  for (const j of frames) {
    for (let i = 0; i < k; i++) {
      let v = j - Math.floor(k / 2) + i;
      if (v < 0) v = 0;
      if (v > nVideo - 1) v = nVideo - 1;
      for (let w = 0; w < window; w++) for (let m = 0; m < melBins; m++) out.push(windows[(v * window + w) * melBins + m] as number);
    }
  }
  return Float32Array.from(out);
}

describe('neighbourStack', () => {
  it('stacks frames j - floor(K/2) .. j - floor(K/2) + K - 1, edges clamped', () => {
    const windows = indexWindows(6, 2, 3);
    const out = neighbourStack(windows, 6, 2, 3, [0, 3, 5], 4);
    expect(out.length).toBe(3 * 4 * 2 * 3);
    const frameOf = (f: number, i: number): number => Math.floor((out[(f * 4 + i) * 2 * 3] as number) / 10_000);
    expect([0, 1, 2, 3].map((i) => frameOf(0, i))).toEqual([0, 0, 0, 1]);
    expect([0, 1, 2, 3].map((i) => frameOf(1, i))).toEqual([1, 2, 3, 4]);
    expect([0, 1, 2, 3].map((i) => frameOf(2, i))).toEqual([3, 4, 5, 5]);
    // Inside a neighbour the window slot and band come through in order.
    expect(out[((1 * 4 + 2) * 2 + 1) * 3 + 2]).toBe(30_102);
  });

  it('matches the reference for random shapes, K odd and even, frames outside the clip included', () => {
    const prng = seededPrng(11);
    for (let trial = 0; trial < 40; trial++) {
      const [nVideo, window, melBins, k] = [prng.int(1, 9), prng.int(1, 5), prng.int(1, 4), prng.int(1, 9)];
      const windows = Float32Array.from({ length: nVideo * window * melBins }, () => prng.next());
      const frames = Array.from({ length: prng.int(0, 7) }, () => prng.int(-3, nVideo + 2));
      expect(neighbourStack(windows, nVideo, window, melBins, frames, k)).toEqual(referenceStack(windows, nVideo, window, melBins, frames, k));
    }
  });

  it('names the argument and the shape received when the input is wrong', () => {
    const windows = indexWindows(3, 2, 2);
    expect(() => neighbourStack(windows, 4, 2, 2, [0], 3)).toThrow(/windows has 12 values, want .* = 16/);
    expect(() => neighbourStack(windows, 3, 2, 2, [0], 0)).toThrow(/k must be a positive integer/);
    expect(() => neighbourStack(windows, 3, 2, 2, [0.5], 3)).toThrow(/frames\[0\] must be an integer/);
    expect(() => neighbourStack(new Float32Array(0), 0, 2, 2, [0], 3)).toThrow(/nVideo must be a positive integer/);
  });
});

const PYTHON = '/usr/bin/python3';
const TRAINING = join(ROOT, 'training');

/** Whether the system Python can import numpy and the training package's features module. */
function pythonTwinAvailable(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is absent`;
  try {
    execFileSync(PYTHON, ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); import numpy, splatportrait.features', TRAINING], { stdio: 'pipe', timeout: 30_000 });
    return null;
  } catch (error) {
    return `${PYTHON} cannot import numpy or splatportrait.features (${String((error as Error).message).split('\n')[0]})`;
  }
}
const PYTHON_MISSING = pythonTwinAvailable();

describe.skipIf(PYTHON_MISSING !== null)(`neighbourStack vs attention_stack in features.py (${PYTHON_MISSING ?? PYTHON})`, () => {
  it('gives the same array, bit for bit, as the Python twin', () => {
    const [nVideo, window, melBins, k] = [7, 3, 4, 8];
    const prng = seededPrng(5);
    const windows = Float32Array.from({ length: nVideo * window * melBins }, () => prng.next() * 2 - 1);
    const frames = [0, 1, 3, 6, -2, 9];
    // Float32 bytes in and out as hex, so nothing is rounded through decimal text.
    const script = [
      'import sys, json, numpy as np',
      'sys.path.insert(0, sys.argv[1])',
      'from splatportrait.features import attention_stack',
      'a = json.loads(sys.stdin.read())',
      'w = np.frombuffer(bytes.fromhex(a["windows"]), dtype="<f4").reshape(a["n"], a["w"], a["m"])',
      'out = attention_stack(w, a["frames"], a["k"])',
      'print(json.dumps({"shape": list(out.shape), "data": np.ascontiguousarray(out, dtype="<f4").tobytes().hex()}))',
    ].join('\n');
    const input = JSON.stringify({ windows: Buffer.from(windows.buffer).toString('hex'), n: nVideo, w: window, m: melBins, frames, k });
    const reply = JSON.parse(execFileSync(PYTHON, ['-c', script, TRAINING], { input, timeout: 30_000 }).toString()) as { shape: number[]; data: string };
    expect(reply.shape).toEqual([frames.length, k, window, melBins]);
    const python = new Float32Array(new Uint8Array(Buffer.from(reply.data, 'hex')).buffer);
    expect(neighbourStack(windows, nVideo, window, melBins, frames, k)).toEqual(python);
  });
});
