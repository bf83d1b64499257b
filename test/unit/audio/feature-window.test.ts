/** Per-video-frame windows (src/shared/audio/feature-window.ts). */
import { describe, expect, it } from 'vitest';
import { framesForVideo, videoFrameCentre } from '../../../src/shared/audio/feature-window.ts';
import { loadSpec } from './spec-file.ts';

const spec = loadSpec();

/** Features whose value in frame k, band m is 1000 k + m: windows show which frames they read. */
function indexFeatures(frames: number, melBins = 3): { data: Float32Array; frames: number; melBins: number } {
  return { data: Float32Array.from({ length: frames * melBins }, (_, i) => 1000 * Math.floor(i / melBins) + (i % melBins)), frames, melBins };
}

describe('videoFrameCentre', () => {
  it('is 4 j at 25 fps, rounds 10 j / 3 at 30 fps and ties up at 40 fps', () => {
    expect(Array.from({ length: 5 }, (_, j) => videoFrameCentre(j, 25, spec))).toEqual([0, 4, 8, 12, 16]);
    expect(Array.from({ length: 5 }, (_, j) => videoFrameCentre(j, 30, spec))).toEqual([0, 3, 7, 10, 13]);
    expect(Array.from({ length: 4 }, (_, j) => videoFrameCentre(j, 40, spec))).toEqual([0, 3, 5, 8]);
  });
});

describe('framesForVideo', () => {
  it('reads W frames around the centre, c - floor(W / 2) first, replicating the edges', () => {
    const f = indexFeatures(20);
    const out = framesForVideo(f, 6, 25, 4, spec);
    expect(out.length).toBe(6 * 4 * 3);
    const frameOf = (j: number, w: number): number => (out[(j * 4 + w) * 3] as number) / 1000;
    expect([0, 1, 2, 3].map((w) => frameOf(0, w))).toEqual([0, 0, 0, 1]);
    expect([0, 1, 2, 3].map((w) => frameOf(2, w))).toEqual([6, 7, 8, 9]);
    expect([0, 1, 2, 3].map((w) => frameOf(5, w))).toEqual([18, 19, 19, 19]);
    expect(out[(2 * 4 + 1) * 3 + 2]).toBe(7002);
  });

  it('allows zero video frames and refuses empty features or bad arguments', () => {
    expect(framesForVideo(indexFeatures(3), 0, 25, 5, spec).length).toBe(0);
    expect(() => framesForVideo(indexFeatures(0), 1, 25, 5, spec)).toThrow(/T = 0/);
    expect(() => framesForVideo(indexFeatures(3), 1, 25, 0, spec)).toThrow(/window/);
    expect(() => framesForVideo(indexFeatures(3), 1, Number.NaN, 5, spec)).toThrow(/fps/);
    expect(() => framesForVideo(indexFeatures(3), 1.5, 25, 5, spec)).toThrow(/nVideoFrames/);
  });
});
