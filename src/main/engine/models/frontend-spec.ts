/**
 * The audio front-end a model pack was trained with: model.json names it (audio_frontend.name);
 * its full spec is `<pack>/<name>.json` when the pack carries one, else the studio's
 * resources/audio-frontend/<name>.json. The constants model.json repeats must agree with the
 * spec, or the pack is refused (a pack that does not match its model.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors.ts';
import { parseLogMelSpec, type LogMelSpec } from '../../../shared/audio/spec.ts';
import { parseLevelRule, type LevelRule } from '../../../shared/audio/speech-level.ts';
import { findAppRoot } from '../../paths/app-root.ts';
import type { ModelPack } from './model-pack.ts';

const cache = new Map<string, LogMelSpec>();

export function packFrontendSpec(pack: ModelPack, appRoot: string = findAppRoot()): LogMelSpec {
  const known = cache.get(pack.dir);
  if (known) return known;
  const fe = pack.json.audio_frontend as { name: string; sample_rate?: number; hop?: number; window?: number; n_fft?: number; bins?: number };
  const candidates = [join(pack.dir, `${fe.name}.json`), join(appRoot, 'resources', 'audio-frontend', `${fe.name}.json`)];
  const file = candidates.find((f) => existsSync(f));
  const invalid = (why: string) => new ApiError('MODEL_PACK_INVALID', `The model pack in ${pack.dir} cannot be used: ${why}`, { path: pack.dir });
  if (!file) throw invalid(`its audio front-end ${fe.name} is unknown to this studio (no ${fe.name}.json in the pack or in resources/audio-frontend).`);
  let spec: LogMelSpec;
  try {
    spec = parseLogMelSpec(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw invalid(`${file}: ${(error as Error).message}`);
  }
  const pairs: Array<[string, number | undefined, number]> = [
    ['sample_rate', fe.sample_rate, spec.sampleRate],
    ['hop', fe.hop, spec.hopLength],
    ['window', fe.window, spec.winLength],
    ['n_fft', fe.n_fft, spec.nFft],
    ['bins', fe.bins, spec.nMels],
  ];
  for (const [name, stated, actual] of pairs) {
    if (stated !== undefined && stated !== actual) throw invalid(`model.json says audio_frontend.${name} = ${stated}, but ${fe.name} uses ${actual}.`);
  }
  cache.set(pack.dir, spec);
  return spec;
}

/**
 * The speech-level rule the pack's decoder was trained with (model.json
 * audio_frontend.level_normalise), or null for a pack that takes the samples as decoded.
 */
export function packLevelRule(pack: ModelPack): LevelRule | null {
  try {
    return parseLevelRule((pack.json.audio_frontend as { level_normalise?: unknown }).level_normalise);
  } catch (error) {
    throw new ApiError('MODEL_PACK_INVALID', `The model pack in ${pack.dir} cannot be used: ${(error as Error).message}.`, { path: pack.dir });
  }
}
