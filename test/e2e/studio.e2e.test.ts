/**
 * The studio end to end: the real web host (out/main/host.js) serving the built renderer to
 * Debian's Chromium. Creates a project, imports through the file picker and a drop, survives a
 * reload and a host restart, undoes and redoes, and refuses what it should. The steps share one
 * project and run in order.
 *
 * Run after `electron-vite build`: `npx vitest run --project e2e`.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { toneWav, writePortraitPng, writeToneWav } from './helpers/assets.ts';
import type { HostDirs } from './helpers/host.ts';
import { ARTIFACTS, useStudioSession } from './helpers/studio-session.ts';
import { POLL, createProject, dropFile, durationOf, waveformBarsOf, expectMediaCount, expectThumbnail, mediaNames, toastText } from './helpers/page.ts';

const PROJECT = 'E2E Demo';

let dirs: HostDirs;
let files: { portrait: string; speech: string; line2: string; notes: string };
let page: Page;
let problems: string[];

const session = useStudioSession({ name: 'studio' }, async (s) => {
  ({ dirs, page, problems } = s);
  const assets = join(s.root, 'assets');
  await mkdir(assets);
  files = {
    portrait: join(assets, 'portrait.png'),
    speech: join(assets, 'speech.wav'),
    line2: join(assets, 'line-2.wav'),
    notes: join(assets, 'notes.txt'),
  };
  await Promise.all([
    writePortraitPng(files.portrait),
    writeToneWav(files.speech, { seconds: 1.5, sampleRate: 16_000, frequency: 220 }),
    writeToneWav(files.line2, { seconds: 2, sampleRate: 16_000, frequency: 180 }),
    writeFile(files.notes, 'Remember: read the paper, sections 3 and 4.\n'),
  ]);
});
/** The running host (a restart below replaces it). */
const host = () => session.current.host;

describe('studio in the browser through the web host', () => {
  it('refuses the page without the token (403)', async () => {
    const bare = await fetch(`${host().origin}/`);
    expect(bare.status).toBe(403);
    const wrong = await fetch(`${host().origin}/?token=not-the-token`, { redirect: 'manual' });
    expect(wrong.status).toBe(403);
    const asset = await fetch(`${host().origin}/index.html`);
    expect(asset.status).toBe(403);
  });

  it('creates a project from the start screen', async () => {
    await page.goto(host().url);
    await page.getByTestId('start-screen').waitFor();
    await page.getByTestId('new-project').click();
    const name = page.getByTestId('new-project-name');
    await name.fill(PROJECT);
    await page.getByTestId('new-project-create').click();
    await page.getByTestId('studio').waitFor();
    expect(await page.getByTestId('project-name').innerText()).toBe(PROJECT);
    await page.getByTestId('preview-placeholder').getByText('Import a portrait to build the avatar').waitFor();
    const tracks = await page.getByTestId('timeline-track').allInnerTexts();
    expect(tracks.join('\n')).toMatch(/Audio 1/);
    expect(tracks.join('\n')).toMatch(/Camera/);
    expect(tracks.join('\n')).toMatch(/Time warp/);
  });

  it('imports a portrait and speech through the file input, and more speech by drag and drop', async () => {
    await page.getByTestId('import-input').setInputFiles([files.portrait, files.speech]);
    await expectMediaCount(page, 2);
    await expectThumbnail(page, 'portrait.png');
    expect(await durationOf(page, 'speech.wav')).toBe('0:01.5');
    // The card draws the peaks decoded at import (their values are checked in audio-overview.test.ts).
    const bars = await waveformBarsOf(page, 'speech.wav');
    expect(bars.length).toBe(32);
    expect(Math.max(...bars)).toBeGreaterThan(10);

    const overlayShown = await dropFile(page, { name: 'line-2.wav', bytes: toneWav({ seconds: 2, frequency: 180 }), type: 'audio/wav' });
    expect(overlayShown).toBe(true);
    await expectMediaCount(page, 3);
    expect(await durationOf(page, 'line-2.wav')).toBe('0:02.0');
    expect(await mediaNames(page)).toEqual(['portrait.png', 'speech.wav', 'line-2.wav']);

    // The same bytes again: nothing new is stored, and the user is told why.
    await page.getByTestId('import-input').setInputFiles([files.portrait]);
    expect(await toastText(page, 'info', 'portrait.png')).toMatch(/already in the project/i);
    await expectMediaCount(page, 3);
  });

  it('shows the selected item in the inspector and the preview', async () => {
    await page.locator('[data-testid="media-card"][data-name="speech.wav"]').click();
    expect(await page.getByTestId('inspector-name').innerText()).toBe('speech.wav');
    expect(await page.getByTestId('inspector-duration').innerText()).toBe('0:01.5');
    expect(await page.getByTestId('inspector-details').innerText()).toMatch(/16 kHz[\s\S]*Mono/);
    await page.locator('[data-testid="media-card"][data-name="portrait.png"]').click();
    expect(await page.getByTestId('inspector-details').innerText()).toMatch(/512 × 512/);
    await page.getByTestId('preview-image').waitFor();
  });

  it('keeps everything across a page reload', async () => {
    await page.reload();
    await page.getByTestId('studio').waitFor();
    await expectMediaCount(page, 3);
    await expectThumbnail(page, 'portrait.png');
    expect(await durationOf(page, 'speech.wav')).toBe('0:01.5');
  });

  it('keeps the project across a host restart, listed under recent projects', async () => {
    const previousOrigin = host().origin;
    await session.current.restartHost(async () => {
      // The page notices the host is gone and says so.
      await page.getByTestId('connection-lost').waitFor({ timeout: POLL.timeout });
      expect(await page.getByTestId('connection-lost').innerText()).toMatch(/Connection to the studio lost/);
    });
    expect(host().origin).not.toBe(previousOrigin);
    await page.goto(host().url);
    await page.getByTestId('start-screen').waitFor();
    const row = page.getByTestId('recent-list').getByTestId('project-row').filter({ hasText: PROJECT });
    await row.waitFor();
    await row.getByRole('button', { name: new RegExp(PROJECT) }).click();
    await page.getByTestId('studio').waitFor();
    await expectMediaCount(page, 3);
    await expectThumbnail(page, 'portrait.png');
    expect(await durationOf(page, 'speech.wav')).toBe('0:01.5');
    expect(await durationOf(page, 'line-2.wav')).toBe('0:02.0');
  });

  it('undoes the last import, keeps it undone across a reload, and redoes it', async () => {
    const undo = page.getByTestId('undo');
    expect(await undo.isEnabled()).toBe(true);
    expect(await undo.getAttribute('title')).toMatch(/^Undo/);
    await undo.click();
    await expectMediaCount(page, 2);
    expect(await mediaNames(page)).toEqual(['portrait.png', 'speech.wav']);

    await page.reload();
    await page.getByTestId('studio').waitFor();
    await expectMediaCount(page, 2);
    expect(await page.getByTestId('redo').isEnabled()).toBe(true);

    // Redo from the keyboard, focus on the page body (not in a text field).
    await page.locator('body').click({ position: { x: 720, y: 400 } });
    await page.keyboard.press('Control+Shift+Z');
    await expectMediaCount(page, 3);
    expect(await mediaNames(page)).toEqual(['portrait.png', 'speech.wav', 'line-2.wav']);
  });

  it('renames in place, deletes with the Delete key, and undoes each edit with Ctrl+Z', async () => {
    const projectName = page.getByTestId('project-name');
    await projectName.click();
    await page.getByTestId('project-name-input').fill('E2E Renamed');
    await page.keyboard.press('Enter');
    await expect.poll(() => projectName.innerText(), POLL).toBe('E2E Renamed');

    await page.locator('[data-testid="media-card"][data-name="line-2.wav"]').dblclick();
    await page.getByTestId('media-rename-input').fill('Line two.wav');
    await page.keyboard.press('Enter');
    await expect.poll(() => mediaNames(page), POLL).toEqual(['portrait.png', 'speech.wav', 'Line two.wav']);

    await page.locator('[data-testid="media-card"][data-name="Line two.wav"]').click();
    await page.keyboard.press('Delete');
    await expectMediaCount(page, 2);

    await page.keyboard.press('Control+z');
    await expectMediaCount(page, 3);
    await page.keyboard.press('Control+z');
    await expect.poll(() => mediaNames(page), POLL).toEqual(['portrait.png', 'speech.wav', 'line-2.wav']);
    await page.keyboard.press('Control+z');
    await expect.poll(() => projectName.innerText(), POLL).toBe(PROJECT);
  });

  it('explains why a text file cannot be imported and leaves the project intact', async () => {
    await page.getByTestId('import-input').setInputFiles([files.notes]);
    const message = await toastText(page, 'error', 'notes.txt');
    expect(message).toMatch(/notes\.txt/);
    expect(message).not.toMatch(/INTERNAL|Unexpected error|undefined/);
    expect(message.replace('notes.txt', '').trim().length).toBeGreaterThan(10);
    await expectMediaCount(page, 3);
    await page.getByTestId('studio').waitFor();
    expect(await page.getByTestId('project-name').innerText()).toBe(PROJECT);
  });

  it('leaves a screenshot of the studio', async () => {
    await page.locator('[data-testid="media-card"][data-name="portrait.png"]').click();
    await page.getByTestId('preview-image').waitFor();
    await expectThumbnail(page, 'portrait.png');
    const shot = join(ARTIFACTS, 'e2e-studio.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await readFile(shot)).byteLength).toBeGreaterThan(10_000);
  });
});

describe('start screen', () => {
  /** Creates a project from the start screen, closes it, and returns its file. */
  async function createAndClose(name: string): Promise<string> {
    await createProject(page, name);
    await page.getByTestId('close-project').click();
    await page.getByTestId('start-screen').waitFor();
    const file = (await readdir(dirs.projectsDir)).find((f) => f.startsWith(name) && f.endsWith('.splatproj'));
    if (!file) throw new Error(`no project file for ${name} in ${dirs.projectsDir}`);
    return join(dirs.projectsDir, file);
  }

  const recentRow = (name: string) => page.getByTestId('recent-list').getByTestId('project-row').filter({ hasText: name });

  it('closes the project back to the start screen, where it is listed', async () => {
    await page.getByTestId('close-project').click();
    await page.getByTestId('start-screen').waitFor();
    await recentRow(PROJECT).waitFor();
  });

  it('refuses a project from a newer version with a readable message, leaving the file alone', async () => {
    const path = await createAndClose('Future');
    const db = new Database(path);
    db.pragma('user_version = 9999');
    db.close();
    await page.reload();
    await recentRow('Future').getByRole('button', { name: /Future/ }).click();
    const error = page.getByTestId('start-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/newer version/i);
    await page.getByTestId('start-screen').waitFor();
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(9999);
    after.close();
  });

  it('greys out a project whose file is gone and removes it from the list on request', async () => {
    const path = await createAndClose('Gone');
    await rm(path);
    await page.reload();
    const row = recentRow('Gone');
    await row.waitFor();
    expect(await row.getAttribute('data-exists')).toBe('false');
    expect(await row.getByRole('button', { name: /Gone/ }).isDisabled()).toBe(true);
    await row.getByTestId('forget-recent').click();
    await expect.poll(() => recentRow('Gone').count(), POLL).toBe(0);
    await recentRow(PROJECT).waitFor();
  });

  it('opens from the project library, explaining files that are not projects', async () => {
    await writeFile(join(dirs.projectsDir, 'Broken.splatproj'), 'this is not a database');
    await page.getByTestId('open-project').click();
    const library = page.getByTestId('library-dialog');
    await library.waitFor();
    await library.getByTestId('project-row').filter({ hasText: 'Broken' }).getByRole('button').click();
    const error = library.getByTestId('inline-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/not a Splat-Portrait project/i);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-library.png') });

    await library.getByTestId('project-row').filter({ hasText: PROJECT }).getByRole('button').click();
    await page.getByTestId('studio').waitFor();
    await expectMediaCount(page, 3);
  });

  it('leaves a screenshot of the start screen', async () => {
    await page.getByTestId('close-project').click();
    await page.getByTestId('start-screen').waitFor();
    await recentRow('Future').getByRole('button', { name: /Future/ }).click();
    await page.getByTestId('start-error').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-start.png'), fullPage: true });
  });

  it('saves a copy under a new name with Save As and continues in it', async () => {
    await createProject(page, 'Original Cut');
    await page.getByTestId('save-as').click();
    await page.getByTestId('new-project-name').fill('Director Cut');
    await page.getByTestId('new-project-create').click();
    await expect.poll(() => page.getByTestId('project-name').innerText(), POLL).toBe('Director Cut');
    expect((await readdir(dirs.projectsDir)).filter((f) => /^(Original|Director) Cut\.splatproj$/.test(f)).sort()).toEqual([
      'Director Cut.splatproj',
      'Original Cut.splatproj',
    ]);
    await page.getByTestId('close-project').click();
    await recentRow('Director Cut').waitFor();
    await recentRow('Original Cut').waitFor();
  });

  it('ran without script errors or CSP violations', () => {
    // Expected noise: the socket dropping while the host restarts.
    const unexpected = problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(p));
    expect(unexpected).toEqual([]);
  });
});
