/**
 * The pinned toolchain as `npm ci` leaves it: tests run on the project's own Node, and the native
 * modules (prebuilt, Node-API, no compiler and no download) load and work on it.
 */
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json' with { type: 'json' };

const require = createRequire(import.meta.url);

describe('toolchain', () => {
  it('runs on the pinned Node, not the machine\'s end-of-life Node 20', () => {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major * 100 + minor).toBeGreaterThanOrEqual(22 * 100 + 12);
    expect(process.versions.node).toBe(pkg.devDependencies.node);
  });

  it('better-sqlite3 opens a database and writes a transaction', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    db.transaction(() => db.prepare('INSERT INTO t VALUES (?)').run(7))();
    expect(db.prepare('SELECT sum(x) AS s FROM t').get()).toEqual({ s: 7 });
    db.close();
  });

  it('sharp decodes and encodes images', async () => {
    const png = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#ff0000' } }).png().toBuffer();
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([3, 2]);
    expect([...data.subarray(0, 3)]).toEqual([255, 0, 0]);
  });

  it('onnxruntime-node installed without its CUDA download and offers the CPU provider', () => {
    const ort = require('onnxruntime-node') as { listSupportedBackends(): Array<{ name: string; bundled: boolean }> };
    expect(ort.listSupportedBackends()).toContainEqual({ name: 'cpu', bundled: true });
  });
});
