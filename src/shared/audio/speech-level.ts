/**
 * Speech-level normalisation before the log-mel front-end, for a model pack whose model.json
 * states audio_frontend.level_normalise: the clip is scaled so that its speech level (the given
 * percentile of the RMS of consecutive blocks, numpy's linear interpolation) lands on targetRms.
 * A clip under minRms (digital silence, room tone) is left alone, and no gain exceeds maxGain.
 * Twin: training/splatportrait/audio/level.py (block_rms, speech_level, level_gain);
 * test/golden/level holds the Python side's figures, checked by test/unit/audio/speech-level.test.ts.
 */

export interface LevelRule {
  readonly blockSamples: number;
  readonly percentile: number;
  readonly targetRms: number;
  readonly minRms: number;
  readonly maxGain: number;
}

/** model.json's audio_frontend.level_normalise (snake_case) -> a rule; null or absent -> null. */
export function parseLevelRule(value: unknown): LevelRule | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') throw new Error('audio_frontend.level_normalise must be an object or null');
  const v = value as Record<string, unknown>;
  const num = (key: string, ok: (x: number) => boolean, what: string): number => {
    const x = v[key];
    if (typeof x !== 'number' || !Number.isFinite(x) || !ok(x)) throw new Error(`audio_frontend.level_normalise.${key} must be ${what}, got ${JSON.stringify(x)}`);
    return x;
  };
  return {
    blockSamples: num('block_samples', (x) => Number.isInteger(x) && x > 0, 'a positive integer'),
    percentile: num('percentile', (x) => x >= 0 && x <= 100, 'between 0 and 100'),
    targetRms: num('target_rms', (x) => x > 0, 'positive'),
    minRms: num('min_rms', (x) => x >= 0, 'zero or more'),
    maxGain: num('max_gain', (x) => x >= 1, '1 or more'),
  };
}

/** RMS of consecutive blocks of `block` samples, the last one partial; float64. */
export function blockRms(samples: Float32Array, block: number): Float64Array {
  const out = new Float64Array(Math.ceil(samples.length / block));
  for (let b = 0; b < out.length; b++) {
    const end = Math.min(samples.length, (b + 1) * block);
    let sum = 0;
    for (let i = b * block; i < end; i++) sum += (samples[i] as number) * (samples[i] as number);
    out[b] = Math.sqrt(sum / (end - b * block));
  }
  return out;
}

/** The q-th percentile of `values` with linear interpolation between order statistics (numpy's default). */
function percentile(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const at = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

/** The clip's speech level: the rule's percentile of its block RMS; 0 for no samples. */
export function speechLevel(samples: Float32Array, rule: LevelRule): number {
  if (samples.length === 0) return 0;
  return percentile(blockRms(samples, rule.blockSamples), rule.percentile);
}

/** The factor that brings the clip's speech level to targetRms (1 under minRms, at most maxGain). */
export function levelGain(samples: Float32Array, rule: LevelRule): number {
  const level = speechLevel(samples, rule);
  if (level < rule.minRms) return 1;
  return Math.min(rule.maxGain, rule.targetRms / level);
}

/** The samples scaled by levelGain (a new array; the input is left as it is). */
export function normaliseSpeechLevel(samples: Float32Array, rule: LevelRule): Float32Array {
  const gain = Math.fround(levelGain(samples, rule)); // float32 x float32, as training's wav * np.float32(gain)
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = (samples[i] as number) * gain;
  return out;
}
