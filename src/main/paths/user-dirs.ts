/** Default folders of the web host and the CLI (the Electron shell uses app.getPath instead). */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultProjectsDir(): string {
  if (process.env.SPLAT_STUDIO_PROJECTS_DIR) return process.env.SPLAT_STUDIO_PROJECTS_DIR;
  const documents = join(homedir(), 'Documents');
  return join(existsSync(documents) ? documents : homedir(), 'Splat-Portrait Studio');
}

export function defaultConfigDir(): string {
  if (process.env.SPLAT_STUDIO_CONFIG_DIR) return process.env.SPLAT_STUDIO_CONFIG_DIR;
  const base = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(base, 'splat-portrait-studio');
}
