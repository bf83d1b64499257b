/** Save As through the studio back end: a copy in the library by name, or at a dialog's path. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudio } from '../../../src/main/api/studio.ts';
import { dispatch } from '../../../src/main/api/dispatch.ts';
import { REPO_ROOT, tempDir } from '../project/store-helpers.ts';

const ctx = { signal: new AbortController().signal };

function studioIn(dir: string, dialogPath?: string, exportPath: string | null = null) {
  return createStudio({
    transport: 'web',
    projectsDir: join(dir, 'library'),
    configDir: join(dir, 'config'),
    appVersion: 'test',
    resourcesDir: REPO_ROOT,
    dialogs: dialogPath === undefined ? undefined : { openProject: async () => null, saveProjectAs: async () => dialogPath, importMedia: async () => [], chooseExportPath: async () => exportPath },
  });
}

describe('project.saveAs', () => {
  it('by name: writes a copy into the library, continues in it under that name, leaves the original as it was', async () => {
    const dir = tempDir('sps-saveas-');
    const studio = studioIn(dir);
    const original = await studio.handlers['project.create']({ name: 'Original' }, ctx);
    await studio.handlers['media.import']({ name: 'voice.wav', bytes: new Uint8Array(readFileSync(join(REPO_ROOT, 'resources/demo/speech.wav'))) }, ctx);
    const before = readFileSync(original.path);

    const copy = await studio.handlers['project.saveAs']({ name: 'Take two' }, ctx);
    expect(copy.path).toBe(join(dir, 'library', 'Take two.splatproj'));
    expect(copy.name).toBe('Take two');
    expect(copy.media.map((m) => m.name)).toEqual(['voice.wav']);
    expect(readFileSync(original.path).equals(before)).toBe(true);

    // Edits now land in the copy only.
    await studio.handlers['project.rename']({ name: 'Take two, edited' }, ctx);
    const reopened = await studio.handlers['project.open']({ path: original.path }, ctx);
    expect(reopened.name).toBe('Original');
    const list = await studio.handlers['projects.list']({}, ctx);
    expect(list.recent.map((r) => r.name)).toEqual(['Original', 'Take two, edited']);
    studio.dispose();
  });

  it('by name: never overwrites an existing library file', async () => {
    const studio = studioIn(tempDir('sps-saveas-'));
    const first = await studio.handlers['project.create']({ name: 'Same' }, ctx);
    const copy = await studio.handlers['project.saveAs']({ name: 'Same' }, ctx);
    expect(copy.path).not.toBe(first.path);
    expect(copy.path.endsWith('Same 2.splatproj')).toBe(true);
    expect(existsSync(first.path)).toBe(true);
    studio.dispose();
  });

  it('by path: only where a dialog chose, else ACCESS_DENIED', async () => {
    const dir = tempDir('sps-saveas-');
    const chosen = join(tempDir('sps-elsewhere-'), 'Chosen');
    const studio = studioIn(dir, chosen);
    await studio.handlers['project.create']({ name: 'P' }, ctx);
    const refused = await dispatch(studio.handlers, 'project.saveAs', { path: join(tempDir('sps-other-'), 'x.splatproj') }, ctx);
    expect(refused).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    const picked = await studio.handlers['dialog.saveProjectAs']({ suggestedName: 'P' }, ctx);
    expect(picked).toBe(`${chosen}.splatproj`);
    const saved = await studio.handlers['project.saveAs']({ path: picked! }, ctx);
    expect(saved.path).toBe(`${chosen}.splatproj`);
    expect(saved.name).toBe('P');
    studio.dispose();
  });

  it('export: grants the chosen name with each format\'s extension, and nothing else', async () => {
    const elsewhere = tempDir('sps-videos-');
    const chosen = join(elsewhere, 'Interview.mp4');
    const studio = studioIn(tempDir('sps-export-dialog-'), '', chosen);
    const start = (outputPath: string) => dispatch(studio.handlers, 'export.start', { outputPath, settings: { width: 64, height: 36, fps: 25, format: 'mp4-h264', background: { kind: 'predicted' } } }, ctx);
    expect(await start(chosen)).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    expect(await studio.handlers['dialog.chooseExportPath']({ suggestedName: 'Interview', format: 'mp4-h264' }, ctx)).toBe(chosen);
    // Past the access check: with no project open the export stops at the next one.
    for (const path of [chosen, join(elsewhere, 'Interview.webm'), join(elsewhere, 'Interview.mov'), join(elsewhere, 'Interview')]) {
      const reply = await start(path);
      expect(reply, path).toMatchObject({ ok: false });
      expect((reply as { error: { code: string } }).error.code, path).not.toBe('ACCESS_DENIED');
    }
    for (const path of [join(elsewhere, 'Other.mp4'), join(elsewhere, 'Interview.mp4.sh'), join(tempDir('sps-other-'), 'Interview.mp4')]) {
      expect(await start(path), path).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    }
    studio.dispose();
  });

  it('needs exactly one of path and name', async () => {
    const studio = studioIn(tempDir('sps-saveas-'));
    for (const input of [{}, { name: 'a', path: '/tmp/a.splatproj' }]) {
      const reply = await dispatch(studio.handlers, 'project.saveAs', input, ctx);
      expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/either a path or a name/) } });
    }
    studio.dispose();
  });
});
