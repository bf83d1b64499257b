/**
 * Which script the engine process runs.
 *
 *  - From the build (the app, `node out/main/host.js`, a packaged asar): this module is bundled
 *    into out/main/<entry>.js or out/main/chunks/<chunk>.js, and the engine is the sibling
 *    bundle out/main/engine.js (the `engine` input of electron.vite.config.ts).
 *  - From source (tests, `node src/...ts` in development): this module is a .ts file, and the
 *    engine is src/main/engine/engine-process.ts, which Node 24 runs by stripping its types.
 *
 * Each is found from this module's own location, never from the working directory, so a stale
 * out/ never shadows the source under test and the source is never looked for in a package.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle electron-vite writes for the engine, relative to out/main/. */
export const ENGINE_BUNDLE_NAME = 'engine.js';

export function resolveEngineEntry(moduleUrl: string = import.meta.url): string {
  const here = dirname(fileURLToPath(moduleUrl));
  if (fileURLToPath(moduleUrl).endsWith('.ts')) return join(here, '..', 'engine-process.ts');
  // Rollup puts shared code in out/main/chunks/, so the bundle may be one folder up.
  const mainDir = basename(here) === 'chunks' ? dirname(here) : here;
  const bundle = join(mainDir, ENGINE_BUNDLE_NAME);
  if (!existsSync(bundle)) throw new Error(`The engine bundle is missing: ${bundle}. Run \`npm run build\`.`);
  return bundle;
}
