/**
 * Where the studio's shipped folders (resources/, projects-schema/) are. In a packaged app the
 * Electron shell passes process.resourcesPath; everywhere else (tests, the web host, the CLI, the
 * built out/ bundle) they sit at the package root, found by walking up from this module.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findAppRoot(startDir: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = startDir;
  for (;;) {
    if (existsSync(join(dir, 'projects-schema')) && existsSync(join(dir, 'resources'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the studio's resources above ${startDir}`);
    dir = parent;
  }
}
