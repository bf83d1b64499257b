/**
 * Which model pack the studio drives: the packs shipped in resources/models, best first. A pack
 * named in $SPLAT_STUDIO_MODEL (a folder) wins; otherwise `base` when it ships, else `small`, else `tiny`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors.ts';

const PREFERENCE = ['base', 'small', 'tiny'];

export function shippedPacks(resourcesDir: string): string[] {
  const root = join(resourcesDir, 'resources', 'models');
  if (!existsSync(root)) return [];
  const names = readdirSync(root).filter((d) => existsSync(join(root, d, 'model.json')));
  const rank = (name: string) => (PREFERENCE.includes(name) ? PREFERENCE.indexOf(name) : PREFERENCE.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((d) => join(root, d));
}

export function defaultPackDir(resourcesDir: string): string {
  const chosen = process.env.SPLAT_STUDIO_MODEL;
  if (chosen) {
    if (!existsSync(join(chosen, 'model.json'))) throw new ApiError('MODEL_PACK_INVALID', `SPLAT_STUDIO_MODEL points to ${chosen}, which has no model.json.`);
    return chosen;
  }
  const [best] = shippedPacks(resourcesDir);
  if (!best) throw new ApiError('MODEL_PACK_INVALID', `No model pack ships in ${join(resourcesDir, 'resources', 'models')}. Reinstall the studio.`);
  return best;
}
