/**
 * `node out/main/host.js`: runs the studio in a browser where Electron is not available.
 * Starts the back end and the loopback web host, prints the URL (with its per-run token), and
 * serves until Ctrl+C.
 *
 *   --port N            port on 127.0.0.1 (default: a free one)
 *   --projects-dir DIR  the project library (default: ~/Documents/Splat-Portrait Studio)
 *   --config-dir DIR    recent projects and settings (default: ~/.config/splat-portrait-studio)
 *   --demo              open the bundled demo project (created on first use)
 *   --open              also open the URL in the system browser
 *   --json              print one JSON line {"event":"ready",...} instead of text (for scripts)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createStudio } from '../api/studio.ts';
import { findAppRoot } from '../paths/app-root.ts';
import { defaultConfigDir, defaultProjectsDir } from '../paths/user-dirs.ts';
import { openDemoProject } from './demo-project.ts';
import { startWebHost } from './web-host.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'projects-dir': { type: 'string' },
      'config-dir': { type: 'string' },
      demo: { type: 'boolean', default: false },
      open: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);

  const appRoot = findAppRoot();
  const rendererDir = join(appRoot, 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir} is missing). Run: npm run build`);
  }
  const projectsDir = values['projects-dir'] ?? defaultProjectsDir();
  const appVersion = (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const studio = createStudio({
    transport: 'web',
    projectsDir,
    configDir: values['config-dir'] ?? defaultConfigDir(),
    appVersion,
    resourcesDir: appRoot,
  });
  if (values.demo) await openDemoProject(studio, appRoot, projectsDir);
  const host = await startWebHost({ studio, rendererDir, port });
  const startupMs = Math.round(performance.now());

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ event: 'ready', url: host.url, port: host.port, startupMs, projectsDir })}\n`);
  } else {
    process.stdout.write(
      `Splat-Portrait Studio ${appVersion} is ready (${startupMs} ms).\n` +
        `  Open: ${host.url}\n` +
        `  Projects: ${projectsDir}\n` +
        `  Listening on 127.0.0.1 only; the link carries this run's access token. Ctrl+C stops.\n`,
    );
  }
  if (values.open) openInBrowser(host.url);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void host.close().finally(() => {
      studio.dispose();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`Could not open a browser (${command}); open the URL above yourself.\n`));
  child.unref();
}

main().catch((error: unknown) => {
  process.stderr.write(`splat-studio: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
