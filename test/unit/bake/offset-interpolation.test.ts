/** Offsets between baked frames, and easing into the rest pose (src/shared/bake/offset-interpolation.ts). */
import { describe, expect, it } from 'vitest';
import {
  blendToRest,
  frameBracket,
  framesNeededFor,
  offsetsAt,
  REST_EASE_S,
  restWeightAt,
  type BakedTiming,
  type FrameReader,
} from '../../../src/shared/bake/offset-interpolation.ts';

const VALUES = 6; // two splats, xyz

/** A bake of a linear ramp: value k of frame i is start[k] + slope[k] * (i / fps). */
function rampBake(timing: BakedTiming): { read: FrameReader; at: (t: number, k: number) => number; reads: number[] } {
  const start = [0.5, -1, 2, 0, 0.25, -0.125];
  const slope = [1, -2, 0.5, 3, -0.75, 0];
  const reads: number[] = [];
  const read: FrameReader = (frame) => {
    reads.push(frame);
    if (frame < 0 || frame >= timing.frames) throw new Error(`read outside the bake: ${frame}`);
    return Float32Array.from({ length: VALUES }, (_, k) => start[k]! + slope[k]! * (frame / timing.fps));
  };
  return { read, at: (t, k) => start[k]! + slope[k]! * t, reads };
}

describe('offsetsAt', () => {
  const timing = { fps: 25, frames: 51 }; // 0 .. 2 s

  it('is exactly the baked frame on frame times, reading that frame alone', () => {
    const bake = rampBake(timing);
    const out = new Float32Array(VALUES);
    for (const i of [0, 1, 17, 49, 50]) {
      bake.reads.length = 0;
      expect(offsetsAt(i / timing.fps, timing, bake.read, out)).toBe(true);
      expect(bake.reads).toEqual([i]);
      expect(out).toEqual(bake.read(i));
    }
  });

  it('is the mean of two frames midway between them', () => {
    const frames = [Float32Array.of(0, 0, 0, 10, 20, 30), Float32Array.of(1, 2, 3, 20, 40, 60)];
    const out = new Float32Array(VALUES);
    expect(offsetsAt(0.5 / 25, { fps: 25, frames: 2 }, (i) => frames[i] ?? null, out)).toBe(true);
    expect(Array.from(out)).toEqual([0.5, 1, 1.5, 15, 30, 45]);
  });

  it('holds the first frame before the clip and the last after it', () => {
    const bake = rampBake(timing);
    const out = new Float32Array(VALUES);
    offsetsAt(-3, timing, bake.read, out);
    expect(out).toEqual(bake.read(0));
    offsetsAt(2.0001, timing, bake.read, out);
    expect(out).toEqual(bake.read(50));
    offsetsAt(1e9, timing, bake.read, out);
    expect(out).toEqual(bake.read(50));
  });

  it('reports a frame the reader lacks, and an empty bake, as false', () => {
    const out = new Float32Array(VALUES);
    expect(offsetsAt(0.1, timing, () => null, out)).toBe(false);
    expect(offsetsAt(0.02, timing, (i) => (i === 0 ? new Float32Array(VALUES) : null), out)).toBe(false);
    expect(offsetsAt(0, { fps: 25, frames: 0 }, () => new Float32Array(VALUES), out)).toBe(false);
  });

  it('refuses frames of another size than out', () => {
    expect(() => offsetsAt(0, timing, () => new Float32Array(3), new Float32Array(VALUES))).toThrow(/3 values/);
  });

  // A bake at 25 fps of a ramp, sampled at the output rates of preview and export: linear
  // interpolation of a linear function is exact, up to float32 rounding of the baked values
  // (|value| <= 8, so an ulp is 2^-20 ~ 1e-6; the lerp adds a few).
  it.each([24, 30, 60, 29.97])('sampling at %s fps reproduces the ramp, fetching only framesNeededFor', (outFps) => {
    const bake = rampBake(timing);
    const out = new Float32Array(VALUES);
    const duration = (timing.frames - 1) / timing.fps;
    for (let k = 0; k / outFps <= duration; k++) {
      const t = k / outFps;
      const needed = framesNeededFor(t, t, timing);
      const onlyNeeded: FrameReader = (i) => (i >= needed.first && i < needed.first + needed.count ? bake.read(i) : null);
      expect(offsetsAt(t, timing, onlyNeeded, out)).toBe(true);
      for (let v = 0; v < VALUES; v++) expect(Math.abs(out[v]! - bake.at(t, v))).toBeLessThan(4e-6);
    }
  });
});

describe('frameBracket and framesNeededFor', () => {
  it('puts i / fps on frame i even when the division rounds (29.97 fps, 30000/1001 fps)', () => {
    for (const fps of [29.97, 30000 / 1001, 24, 60]) {
      for (let i = 0; i < 300; i++) expect(frameBracket(i / fps, { fps, frames: 300 })).toEqual({ lower: i, upper: i, weight: 0 });
    }
  });

  it('gives the frames around t with the weight of the later one', () => {
    const b = frameBracket(0.13, { fps: 25, frames: 10 });
    expect(b?.lower).toBe(3);
    expect(b?.upper).toBe(4);
    expect(b?.weight).toBeCloseTo(0.25, 12);
  });

  it('covers every frame a span of output frames reads, clamped to the bake', () => {
    const timing = { fps: 25, frames: 100 };
    expect(framesNeededFor(0, 1, timing)).toEqual({ first: 0, count: 26 });
    expect(framesNeededFor(0.01, 0.05, timing)).toEqual({ first: 0, count: 3 });
    expect(framesNeededFor(-1, 0, timing)).toEqual({ first: 0, count: 1 });
    expect(framesNeededFor(3.9, 10, timing)).toEqual({ first: 97, count: 3 });
    expect(framesNeededFor(0, 1, { fps: 25, frames: 0 })).toEqual({ first: 0, count: 0 });
    expect(() => framesNeededFor(1, 0, timing)).toThrow(/t1/);
  });
});

describe('restWeightAt', () => {
  it('is 1 outside the clip and at its ends, 0 once the ease is over', () => {
    expect(restWeightAt(-0.01, 2)).toBe(1);
    expect(restWeightAt(0, 2)).toBe(1);
    expect(restWeightAt(REST_EASE_S, 2)).toBe(0);
    expect(restWeightAt(1, 2)).toBe(0);
    expect(restWeightAt(2 - REST_EASE_S, 2)).toBe(0);
    expect(restWeightAt(2, 2)).toBe(1);
    expect(restWeightAt(2.01, 2)).toBe(1);
  });

  it('eases symmetrically (smoothstep: one half at mid-ease) and falls monotonically', () => {
    expect(restWeightAt(REST_EASE_S / 2, 2)).toBeCloseTo(0.5, 12);
    expect(restWeightAt(2 - REST_EASE_S / 4, 2)).toBeCloseTo(restWeightAt(REST_EASE_S / 4, 2), 12);
    let previous = 1;
    for (let t = 0; t <= REST_EASE_S; t += REST_EASE_S / 50) {
      const w = restWeightAt(t, 2);
      expect(w).toBeLessThanOrEqual(previous);
      previous = w;
    }
  });

  it('never fully leaves the rest in a clip shorter than two eases, and snaps with no ease', () => {
    const short = 0.1;
    expect(restWeightAt(short / 2, short)).toBeGreaterThan(0);
    expect(restWeightAt(short / 2, short)).toBeLessThan(1);
    expect(restWeightAt(0.5, 1, 0)).toBe(0);
  });
});

describe('blendToRest', () => {
  const offsets = Float32Array.of(1, 2, 3, -4, -5, -6);
  const rest = Float32Array.of(0, 0, 1, 0, 0, -1);

  it('keeps the offsets at weight 0, gives the rest at 1, and is linear between', () => {
    expect(blendToRest(offsets, rest, 0)).toEqual(offsets);
    expect(blendToRest(offsets, rest, 1)).toEqual(rest);
    expect(Array.from(blendToRest(offsets, rest, 0.5))).toEqual([0.5, 1, 2, -2, -2.5, -3.5]);
  });

  it('takes a null rest as the static head (all zero) and may write in place', () => {
    const copy = offsets.slice();
    expect(blendToRest(copy, null, 0.25, copy)).toBe(copy);
    expect(Array.from(copy)).toEqual([0.75, 1.5, 2.25, -3, -3.75, -4.5]);
    expect(offsets[0]).toBe(1);
  });

  it('refuses weights outside [0, 1] and buffers of other sizes', () => {
    expect(() => blendToRest(offsets, rest, 1.5)).toThrow(/restWeight/);
    expect(() => blendToRest(offsets, new Float32Array(3), 0.5)).toThrow(/rest has 3/);
  });
});
