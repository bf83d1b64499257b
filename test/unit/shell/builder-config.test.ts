/**
 * electron-builder.yml, read by electron-builder's own loader and checked against its schema, and
 * every path it names checked on disk. The build-output checks need `electron-vite build` first
 * (npm test runs it); without out/ they are skipped.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob, sep } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
vi.mock('electron', () => import('./electron-stub.ts'));
import type { Configuration } from 'electron-builder';
import { PROJECT_EXTENSION } from '../../../src/shared/project/types.ts';
import { APP_ID, PRODUCT_NAME } from '../../../src/main/shell/identity.ts';
import { BUILD_LAYOUT } from '../../../src/main/shell/paths.ts';
import { NATIVE_MODULE_RELATIVE_PATH } from '../../../src/main/raster/native-raster.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BUILT = existsSync(join(ROOT, 'out'));

/** electron-builder's config loader and validator (app-builder-lib ships with electron-builder). */
interface BuilderConfigApi {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: unknown): Promise<void>;
}
const requireFromRoot = createRequire(join(ROOT, 'package.json'));
const builderConfig = requireFromRoot('app-builder-lib/out/util/config/config.js') as BuilderConfigApi;
const { DebugLogger } = requireFromRoot('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

interface FileSet {
  from?: string;
  to?: string;
  filter?: string | string[];
}

let config: Configuration;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; productName: string };

function fileSets(value: unknown): FileSet[] {
  const list = Array.isArray(value) ? value : value == null ? [] : [value];
  return list.map((entry) => (typeof entry === 'string' ? { filter: entry } : (entry as FileSet)));
}

function patterns(value: unknown): string[] {
  return fileSets(value).flatMap((set) => (Array.isArray(set.filter) ? set.filter : set.filter ? [set.filter] : []));
}

/** The literal folder a glob starts in: `out/**` -> `out`, `package.json` -> `package.json`. */
function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const firstWild = parts.findIndex((p) => /[*?{[]/.test(p));
  return (firstWild === -1 ? parts : parts.slice(0, firstWild)).join('/');
}

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Where native-raster.ts loads the addon from, below the package or resources root. */
const NATIVE_ADDON = NATIVE_MODULE_RELATIVE_PATH.split(sep).join('/');

describe('electron-builder.yml', () => {
  beforeAll(async () => {
    config = await builderConfig.getConfig(ROOT, 'electron-builder.yml', null);
  });

  it('is valid for electron-builder', async () => {
    await expect(builderConfig.validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app as the code and package.json do', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(pkg.productName).toBe(PRODUCT_NAME);
    expect(pkg.main).toBe(BUILD_LAYOUT.main);
    expect(config.directories?.output).toBe('dist');
    expect(config.npmRebuild).toBe(false);
  });

  it('packs the bundle and package.json, not sources or tests', () => {
    const files = patterns(config.files);
    const included = (path: string) =>
      files.reduce((inside, p) => (p.startsWith('!') ? (matchesGlob(path, p.slice(1)) ? false : inside) : inside || matchesGlob(path, p)), false);
    for (const path of Object.values(BUILD_LAYOUT)) expect(included(path), path).toBe(true);
    expect(included('package.json')).toBe(true);
    for (const path of ['src/main/shell/index.ts', 'test/unit/shell/ipc.test.ts', 'out/main/index.js.map', 'electron.vite.config.ts']) {
      expect(included(path), path).toBe(false);
    }
    for (const pattern of files.filter((p) => !p.startsWith('!'))) {
      const base = globBase(pattern);
      if (base === 'out' && !BUILT) continue;
      expect(existsSync(join(ROOT, base)), pattern).toBe(true);
    }
  });

  it('unpacks native modules that are installed', () => {
    const unpack = patterns(config.asarUnpack);
    expect(unpack).toEqual(
      expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/sharp/**', 'node_modules/@img/**']),
    );
    for (const pattern of unpack.filter((p) => p.startsWith('node_modules/'))) {
      expect(existsSync(join(ROOT, globBase(pattern))), pattern).toBe(true);
    }
  });

  it('ships resources/, projects-schema/ and the rasterizer addon where the studio looks for them', () => {
    const extra = fileSets(config.extraResources);
    expect(extra.map((set) => [set.from?.replace(/\/$/, ''), set.to])).toEqual([
      ['resources', 'resources'],
      ['projects-schema', 'projects-schema'],
      [NATIVE_ADDON, NATIVE_ADDON],
    ]);
    // The folders are in the repository; the addon exists after npm run build:native (npm test builds it first).
    for (const set of extra.slice(0, 2)) expect(statSync(join(ROOT, set.from!)).isDirectory(), set.from).toBe(true);
    expect(statSync(join(ROOT, NATIVE_ADDON)).isFile()).toBe(true);
  });

  it('points every icon at a 512x512 PNG that exists, with its SVG source', () => {
    const icons = [config.icon, config.linux?.icon, config.mac?.icon, config.win?.icon].filter((i): i is string => !!i);
    expect(icons.length).toBeGreaterThan(0);
    for (const icon of icons) expect(pngSize(join(ROOT, icon)), icon).toEqual({ width: 512, height: 512 });
    expect(readFileSync(join(ROOT, 'resources/icons/icon.svg'), 'utf8')).toContain('<svg');
  });

  it('builds AppImage and deb, dmg, nsis, and registers .splatproj', () => {
    const targets = (value: unknown) => (Array.isArray(value) ? value : [value]).map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
    expect(targets(config.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('AudioVideo');
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
    expect(targets(config.mac?.target)).toEqual(['dmg']);
    expect(config.mac?.category).toBe('public.app-category.video');
    expect(targets(config.win?.target)).toEqual(['nsis']);
    const associations = Array.isArray(config.fileAssociations) ? config.fileAssociations : [config.fileAssociations];
    expect(associations.map((a) => a?.ext)).toEqual([PROJECT_EXTENSION.slice(1)]);
  });

  it('flips the Electron fuses that let a packaged app be run as plain Node', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });
});

describe.skipIf(!BUILT)('build output (after electron-vite build)', () => {
  it('has the main, preload and renderer entries the shell loads', () => {
    for (const path of Object.values(BUILD_LAYOUT)) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });

  it('bundles the sandboxed preload so it needs nothing but electron', () => {
    const preload = readFileSync(join(ROOT, BUILD_LAYOUT.preload), 'utf8');
    const required = [...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});
