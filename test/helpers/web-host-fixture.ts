/**
 * A real studio behind a real loopback web host, on a free port, with its own temporary project
 * library, config folder and a two-file renderer folder; plus a raw HTTP helper that sends paths
 * and Host headers exactly as given (fetch would normalise them).
 */
import { request } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStudio, type Studio } from '../../src/main/api/studio.ts';
import { cookieName } from '../../src/main/host/token-auth.ts';
import { startWebHost, type WebHost } from '../../src/main/host/web-host.ts';

/** The repository root, where projects-schema/ lives. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/a.js"></script></head><body>studio</body></html>';
export const A_JS = 'export const answer = 42;\n';

export interface HostFixture {
  host: WebHost;
  studio: Studio;
  /** Temporary folder holding renderer/, projects/, config/ and a decoy secret.txt. */
  root: string;
  projectsDir: string;
  /** Our own origin, as a browser on the studio page would send it. */
  origin: string;
  /** `name=token`, as a browser would send the session cookie. */
  cookie: string;
  /** Closes the host (again, if the test did), disposes the studio and removes the folder. */
  dispose(): Promise<void>;
}

export async function startTestHost(): Promise<HostFixture> {
  const root = await mkdtemp(join(tmpdir(), 'splat-web-host-'));
  const rendererDir = join(root, 'renderer');
  const projectsDir = join(root, 'projects');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), INDEX_HTML);
  await writeFile(join(rendererDir, 'a.js'), A_JS);
  // Next to the renderer folder: must never be served.
  await writeFile(join(root, 'secret.txt'), 'do not serve');
  const studio = createStudio({ transport: 'web', projectsDir, configDir: join(root, 'config'), appVersion: 'test', resourcesDir: REPO_ROOT, dialogs: undefined });
  const host = await startWebHost({ studio, rendererDir, port: 0 });
  return {
    host,
    studio,
    root,
    projectsDir,
    origin: `http://127.0.0.1:${host.port}`,
    cookie: `${cookieName(host.port)}=${host.token}`,
    async dispose() {
      await host.close(); // a second close is harmless: server.close then only reports 'not running'
      studio.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP/1.1 request to 127.0.0.1:port with the path and headers exactly as given. */
export function rawRequest(port: number, options: { method?: string; path: string; headers?: Record<string, string> }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { Connection: 'close', ...options.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
