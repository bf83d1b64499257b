/** readStaticFile: serves the renderer folder and nothing outside it. */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readStaticFile } from '../../../src/main/host/static-files.ts';
import { useTmpDirs } from '../../helpers/tmp-dir.ts';

const tmpDir = useTmpDirs('splat-static');
let root: string;
let parent: string;

beforeEach(async () => {
  parent = await tmpDir();
  root = join(parent, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>studio</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'style.CSS'), 'body{}');
  await writeFile(join(root, 'assets', 'blob.bin'), Uint8Array.of(0, 1, 2));
  await writeFile(join(root, 'assets', 'a b.json'), '{}');
  // Files next to the renderer folder that must never be served.
  await writeFile(join(parent, 'package.json'), '{"secret":true}');
  await writeFile(join(parent, 'renderer-secret.txt'), 'secret');
});

describe('readStaticFile', () => {
  it('serves index.html for /', async () => {
    const file = await readStaticFile(root, '/');
    expect(file?.body.toString()).toBe('<!doctype html><title>studio</title>');
    expect(file?.contentType).toBe('text/html; charset=utf-8');
  });

  it.each([
    ['/index.html', 'text/html; charset=utf-8'],
    ['/assets/app.js', 'text/javascript; charset=utf-8'],
    ['/assets/style.CSS', 'text/css; charset=utf-8'],
    ['/assets/a%20b.json', 'application/json'],
    ['/assets/blob.bin', 'application/octet-stream'],
  ])('serves %s as %s', async (path, type) => {
    const file = await readStaticFile(root, path);
    expect(file).not.toBeNull();
    expect(file?.contentType).toBe(type);
  });

  it('returns the file bytes exactly', async () => {
    expect([...((await readStaticFile(root, '/assets/blob.bin'))?.body ?? [])]).toEqual([0, 1, 2]);
  });

  it.each([
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E%2Fpackage.json',
    '/..%2f..%2fetc%2fpasswd',
    '/../renderer-secret.txt',
    '/%2e%2e/renderer-secret.txt',
    '/index.html%00.png',
    '/%00',
    '/%E0%A4%A', // malformed percent-encoding
    '/assets',
    '/assets/',
    '/missing.js',
    '',
  ])('answers null for %j', async (path) => {
    expect(await readStaticFile(root, path)).toBeNull();
  });

  it('does not serve a file whose path only shares the folder name as a prefix', async () => {
    // root + '-secret.txt' would be the sibling file `renderer-secret.txt`.
    expect(await readStaticFile(root, '/../renderer-secret.txt')).toBeNull();
    expect(await readStaticFile(`${root}/`, '/../renderer-secret.txt')).toBeNull();
  });

  it('answers null for a symlinked directory entry, not its listing', async () => {
    await symlink(join(root, 'assets'), join(root, 'linked'));
    expect(await readStaticFile(root, '/linked')).toBeNull();
    expect((await readStaticFile(root, '/linked/app.js'))?.contentType).toBe('text/javascript; charset=utf-8');
  });
});
