/** The lip-motion measure itself, on synthetic offsets where the answer is known. */
import { describe, expect, it } from 'vitest';
import { boxMask, frameRms, lipMotion, speechFrames, voicedFrames } from '../../../src/main/engine/bake/lip-motion.ts';
import { LIPS, mouthBox } from '../../../src/main/engine/face/lips.ts';

describe('lip motion measure', () => {
  it('boxMask selects the pixels whose centres lie in the box (crop pixels scaled to the model resolution)', () => {
    const mask = boxMask({ x0: 100, y0: 146, x1: 156, y1: 174 }, 256, 64); // the Python twin's test case
    const on: Array<[number, number]> = [];
    mask.forEach((m, i) => m && on.push([i % 64, Math.floor(i / 64)]));
    const us = on.map(([u]) => u);
    const vs = on.map(([, v]) => v);
    expect([Math.min(...us), Math.max(...us), Math.min(...vs), Math.max(...vs)]).toEqual([25, 38, 36, 43]);
  });

  it('mouthBox pads the lip landmarks by 20 % per side', () => {
    const lm: Array<[number, number]> = Array.from({ length: 478 }, () => [10, 10]);
    for (const i of LIPS) lm[i] = [128, 160];
    lm[61] = [108, 160];
    lm[291] = [148, 160];
    lm[0] = [128, 150];
    lm[17] = [128, 170];
    expect(mouthBox(lm)).toEqual({ x0: 100, y0: 146, x1: 156, y1: 174 });
  });

  it('frame RMS and speech frames', () => {
    const sr = 1000;
    const samples = new Float32Array(4 * 40).map((_, i) => (i >= 80 ? 0.5 * Math.sin(i) : 0));
    const rms = frameRms(samples, sr, 25, 4);
    expect(rms[0]).toBe(0);
    expect(rms[3]).toBeGreaterThan(0.3);
    expect(voicedFrames(rms)).toEqual([false, false, true, true]);
    expect(speechFrames(rms, 25, 0)).toEqual([false, false, true, true]);
    expect(speechFrames(rms, 25, 0.04)).toEqual([false, true, true, true]);
  });

  it('speech frames: a 200 ms hangover on both sides of each voiced frame joins short pauses to speech and keeps long ones silent', () => {
    // Voiced frames (25 fps): 10-19, a 0.32 s pause (20-27), 28-39, a 1 s pause (40-64), 65-69.
    const voiced = new Set([...range(10, 20), ...range(28, 40), ...range(65, 70)]);
    const rms = Float64Array.from({ length: 90 }, (_, j) => (voiced.has(j) ? 1 : 0.01));
    const speech = speechFrames(rms, 25);
    const slow = Array.from({ length: 90 }, (_, j) => [...voiced].some((v) => Math.abs(v - j) <= 5));
    expect(speech).toEqual(slow);
    expect(speech.slice(20, 28).every(Boolean)).toBe(true); // the short pause is speech
    expect(speech.slice(45, 60).some(Boolean)).toBe(false); // the long one keeps 15 silent frames
    expect(speech.filter((s) => !s).length).toBe(5 + 15 + 15);
  });

  it('a mouth driven by speech scores high, a still one or a whole-face drift does not', async () => {
    const n = 4;
    const mouth = Uint8Array.from([1, 1, 0, 0]);
    const rest = Uint8Array.from([0, 0, 1, 1]);
    const speech = Array.from({ length: 40 }, (_, j) => j % 10 >= 5);
    const driven = (j: number) => Float32Array.from({ length: n * 3 }, (_, k) => (k < 6 && speech[j] ? (j % 2 ? 0.002 : -0.002) : 0));
    const frames = (make: (j: number) => Float32Array) => async function* () {
      for (let j = 0; j < speech.length; j++) yield make(j);
    };
    const good = await lipMotion(frames(driven), { mouth, rest }, speech);
    expect(good.mouth.ratio).toBeGreaterThan(5);
    expect(good.mouth.speech).toBeGreaterThan(good.rest.speech);
    const drift = await lipMotion(frames((j) => new Float32Array(n * 3).fill(0.001 * Math.sin(j))), { mouth, rest }, speech);
    expect(drift.mouth.ratio).toBeLessThan(2);
    expect(drift.mouth.speech).toBeCloseTo(drift.rest.speech, 9);
  });

  it('movement: a mouth that opens with each syllable and holds still in silence moves only in speech, though its motion about the mean says otherwise', async () => {
    const n = 4;
    const mouth = Uint8Array.from([1, 1, 0, 0]);
    const rest = Uint8Array.from([0, 0, 1, 1]);
    // 2 s of silence, 4 s of speech at 4 syllables a second, 2 s of silence (25 fps).
    const speech = Array.from({ length: 200 }, (_, j) => j >= 50 && j < 150);
    const opening = (j: number) => (speech[j] ? 0.002 * Math.max(0, Math.sin((Math.PI * 4 * j) / 25)) : 0);
    const offsets = (j: number) => Float32Array.from({ length: n * 3 }, (_, k) => (k === 1 || k === 4 ? opening(j) : 0));
    const got = await lipMotion(async function* () {
      for (let j = 0; j < speech.length; j++) yield offsets(j);
    }, { mouth, rest }, speech);
    // Slow reference: the mean step of the mouth's splats, speech frames and silence frames apart.
    let speechSteps = 0;
    let silenceSteps = 0;
    for (let j = 1; j < speech.length; j++) {
      const step = Math.abs(opening(j) - opening(j - 1));
      if (speech[j]) speechSteps += step;
      else silenceSteps += step;
    }
    expect(got.movement.mouth.speech).toBeCloseTo(speechSteps / 100, 9);
    expect(got.movement.mouth.silence).toBeCloseTo(silenceSteps / 100, 9);
    expect(got.movement.mouth.ratio).toBeGreaterThan(20);
    expect(got.movement.rest.speech).toBe(0);
    // About the clip mean, the still silent mouth looks half as busy as the speaking one.
    expect(got.mouth.ratio).toBeLessThan(2.2);
  });
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}
