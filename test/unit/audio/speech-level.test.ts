/**
 * Speech-level normalisation (src/shared/audio/speech-level.ts): against the Python twin's figures
 * on the logmel-v1 golden signals (test/golden/level/speech-level.python.json, by
 * training/splatportrait/audio/make_level_golden.py), and the parser of model.json's rule.
 * Tolerance 1e-12 relative: both sides sum squares in float64 block by block, in the same order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockRms, levelGain, normaliseSpeechLevel, parseLevelRule, speechLevel } from '../../../src/shared/audio/speech-level.ts';
import { decodePcm16, pcmToFloat, type GoldenFile } from '../../golden/logmel/golden-format.ts';
import { ROOT } from './spec-file.ts';

interface LevelCase { name: string; scale: number; block_rms: number[]; level: number; gain: number; normalised_sum: number }
interface LevelGolden { rule: Record<string, number>; pcm_from: string; cases: LevelCase[] }

const golden = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'level', 'speech-level.python.json'), 'utf8')) as LevelGolden;
const logmel = JSON.parse(readFileSync(join(ROOT, golden.pcm_from), 'utf8')) as GoldenFile;
const rule = parseLevelRule(golden.rule)!;

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(b), 1e-30);

function signal(c: LevelCase): Float32Array {
  const source = logmel.cases.find((s) => s.name === c.name)!;
  const wav = pcmToFloat(decodePcm16(source.pcm16_base64));
  const scale = Math.fround(c.scale);
  return wav.map((x) => x * scale); // float32 x float32, as Python's wav * np.float32(scale)
}

describe('speech level: TypeScript against Python', () => {
  it('covers every logmel signal at three levels, raised and left alone', () => {
    expect(golden.cases).toHaveLength(15);
    expect(new Set(golden.cases.map((c) => c.gain === 1))).toEqual(new Set([true, false]));
  });

  for (const c of golden.cases) {
    it(`'${c.name}' at ${c.scale}: block RMS, level, gain and the normalised samples`, () => {
      const wav = signal(c);
      const blocks = blockRms(wav, rule.blockSamples);
      expect(blocks.length).toBe(c.block_rms.length);
      blocks.forEach((v, i) => expect(close(v, c.block_rms[i] as number)).toBe(true));
      expect(close(speechLevel(wav, rule), c.level)).toBe(true);
      expect(close(levelGain(wav, rule), c.gain)).toBe(true);
      const sum = normaliseSpeechLevel(wav, rule).reduce((s, x) => s + x, 0);
      expect(Math.abs(sum - c.normalised_sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c.normalised_sum)));
    });
  }
});

describe('speech level: behaviour', () => {
  it('brings the same speech at 20 dB apart to the same level, and leaves silence alone', () => {
    const loud = Float32Array.from({ length: 16000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 200 * i) / 16000) * (i % 4800 < 2400 ? 1 : 0));
    const quiet = loud.map((x) => x * 0.1);
    for (const wav of [loud, quiet]) expect(speechLevel(normaliseSpeechLevel(wav, rule), rule)).toBeCloseTo(rule.targetRms, 6);
    expect(levelGain(new Float32Array(16000), rule)).toBe(1);
    expect(levelGain(new Float32Array(0), rule)).toBe(1);
    expect(levelGain(loud.map((x) => x * 1e-3), rule)).toBe(1); // under minRms: room tone is not raised
  });

  it('reads model.json: null or absent is no normalisation, and a malformed rule is named', () => {
    expect(parseLevelRule(null)).toBeNull();
    expect(parseLevelRule(undefined)).toBeNull();
    expect(() => parseLevelRule('loud')).toThrow(/must be an object or null/);
    expect(() => parseLevelRule({ ...golden.rule, block_samples: 0 })).toThrow(/block_samples must be a positive integer, got 0/);
    expect(() => parseLevelRule({ ...golden.rule, percentile: 120 })).toThrow(/percentile must be between 0 and 100/);
    expect(() => parseLevelRule({ ...golden.rule, target_rms: undefined })).toThrow(/target_rms must be positive/);
  });
});
