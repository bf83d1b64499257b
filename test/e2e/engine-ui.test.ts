/**
 * The engine from the studio's UI, end to end: the real web host (out/main/host.js) serving the
 * built renderer to Debian's Chromium. Builds an avatar from the demo portrait, exports it as PLY,
 * puts the demo speech on the timeline and waits for its bake, refuses a picture without a face,
 * and recovers from an engine killed mid-bake. The steps share one project and run in order.
 *
 * Run after `electron-vite build`: `npx vitest run --project e2e test/e2e/engine-ui.test.ts`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { writeToneWav } from './helpers/assets.ts';
import { DEMO_PORTRAIT as PORTRAIT, DEMO_SPEECH as SPEECH } from './helpers/host.ts';
import { ARTIFACTS, useStudioSession } from './helpers/studio-session.ts';
import { POLL, expectMediaCount, expectThumbnail, openNewProject } from './helpers/page.ts';

const PROJECT = 'Engine UI';
/** The bake runs in the engine process beside the host; generous for a loaded 2-core machine. */
const BAKE_TIMEOUT_MS = 60_000;

let blankWall: string;
let longSpeech: string;
let page: Page;
let problems: string[];

const session = useStudioSession({ name: 'engine', modelPack: 'tiny', acceptDownloads: true }, async (s) => {
  ({ page, problems } = s);
  // A flat colour: a valid picture in which no detector finds a face.
  blankWall = join(s.root, 'blank-wall.png');
  await sharp({ create: { width: 512, height: 512, channels: 3, background: '#7a8b9c' } }).png().toFile(blankWall);
  // Long enough that its bake is still running when the test stops the engine (seconds here).
  longSpeech = join(s.root, 'long-speech.wav');
  await writeToneWav(longSpeech, { seconds: 180 });
});

const card = (name: string) => page.locator(`[data-testid="media-card"][data-name="${name}"]`);
const clip = (name: string) => page.locator(`[data-testid="timeline-clip"][data-name="${name}"]`);

/** Rows of the project's avatars table, read from the project file the host writes. */
async function avatarRows(): Promise<number> {
  const file = (await readdir(session.current.dirs.projectsDir)).find((f) => f.startsWith(PROJECT) && f.endsWith('.splatproj'));
  if (!file) throw new Error(`no project file for ${PROJECT} in ${session.current.dirs.projectsDir}`);
  const db = new Database(join(session.current.dirs.projectsDir, file), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM avatars').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The engine process of this test's host: the host's child running the engine bundle. */
async function enginePid(): Promise<number> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const args = async (pid: string) => (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  // /proc/PID/stat is "pid (comm) state ppid ...", and comm may hold spaces.
  const parent = async (pid: string) => (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).replace(/^.*\) /s, '').split(' ')[1];
  let hostPid: string | undefined;
  for (const pid of pids) {
    const a = await args(pid);
    if (a.some((x) => x.endsWith('out/main/host.js')) && a.includes(session.current.dirs.projectsDir)) hostPid = pid;
  }
  for (const pid of pids) {
    if ((await parent(pid)) === hostPid && (await args(pid)).some((x) => x.endsWith('engine.js'))) return Number(pid);
  }
  throw new Error(`no engine process under host ${hostPid ?? '(not found)'}`);
}

/** Waits until an <img> shows a decoded blob: picture; returns its natural width. */
async function expectBlobImage(selector: string): Promise<number> {
  const img = page.locator(selector);
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => el.src.startsWith('blob:') && el.complete && el.naturalWidth > 0).catch(() => false), POLL)
    .toBe(true);
  return img.evaluate((el: HTMLImageElement) => el.naturalWidth);
}

describe('the engine from the studio UI', () => {
  it('creates a fresh project', async () => {
    await openNewProject(page, session.current.host.url, PROJECT);
    expect(await page.getByTestId('project-name').innerText()).toBe(PROJECT);
  });

  it('creates an avatar from the demo portrait and shows what the engine made', async () => {
    await page.getByTestId('import-input').setInputFiles([PORTRAIT]);
    await expectMediaCount(page, 1);
    await expectThumbnail(page, 'portrait.png');
    await card('portrait.png').click();

    const create = page.getByTestId('avatar-create');
    expect(await create.innerText()).toBe('Create avatar');
    await create.click();
    const facts = page.getByTestId('avatar-facts');
    await facts.waitFor({ timeout: BAKE_TIMEOUT_MS });

    expect(await page.getByTestId('avatar-model').innerText()).toMatch(/^\S+ version \S+$/);
    const splats = await page.getByTestId('avatar-splats').innerText();
    expect(splats).toMatch(/^\d{1,3}(,\d{3})*$/);
    for (const angle of ['avatar-yaw', 'avatar-pitch', 'avatar-roll']) {
      expect(await page.getByTestId(angle).innerText()).toMatch(/^−?\d+\.\d°$/);
    }
    expect(await page.getByTestId('avatar-crop-square').innerText()).toMatch(/^\d+ px square at -?\d+, -?\d+$/);
    expect(await page.getByTestId('avatar-warnings').innerText()).toBeTruthy();

    // The crop the engine used, in the inspector and on the stage, from the engine's own PNG.
    expect(await expectBlobImage('[data-testid="inspector"] img[data-testid="avatar-crop-image"]')).toBeGreaterThanOrEqual(64);
    expect(await page.locator('[data-testid="inspector"] [data-testid="avatar-crop-image"]').getAttribute('data-source')).toBe('engine');
    await expectBlobImage('[data-testid="preview"] img[data-testid="avatar-crop-image"]');
    const caption = await page.getByTestId('preview-avatar-caption').innerText();
    expect(caption).toMatch(new RegExp(`^Avatar: portrait\\.png · ${splats} splats · \\S+$`));
    expect(await page.getByTestId('preview').innerText()).not.toMatch(/3D preview arrives/);

    expect(await create.innerText()).toBe('Regenerate avatar');
    expect(await avatarRows()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-engine-avatar.png'), fullPage: true });
  });

  it('exports the avatar as a PLY file', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('avatar-export-ply').click()]);
    expect(download.suggestedFilename()).toBe('portrait.ply');
    const bytes = await readFile(await download.path());
    const header = bytes.subarray(0, 512).toString('latin1');
    expect(header.startsWith('ply\n')).toBe(true);
    const splats = Number((await page.getByTestId('avatar-splats').innerText()).replaceAll(',', ''));
    expect(header).toContain(`element vertex ${splats}\n`);
  });

  it('puts the demo speech on the timeline and shows it baked', async () => {
    await page.getByTestId('import-input').setInputFiles([SPEECH]);
    await expectMediaCount(page, 2);
    await card('speech.wav').click();
    expect(await page.getByTestId('inspector-clip-count').innerText()).toBe('Not on the timeline yet.');
    await page.getByTestId('add-to-timeline').click();
    await clip('speech.wav').waitFor();
    expect(await page.getByTestId('inspector-clip-count').innerText()).toBe('On the timeline once.');

    const state = clip('speech.wav').getByTestId('clip-bake-state');
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const label = await state.innerText();
          seen.add(label);
          return label;
        },
        { timeout: BAKE_TIMEOUT_MS, interval: 100 },
      )
      .toBe('Baked');
    for (const label of seen) expect(label).toMatch(/^(Waiting|Baking \d{1,3}%|Baked)$/);
    expect(await clip('speech.wav').getByTestId('clip-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(await clip('speech.wav').getAttribute('data-bake-state')).toBe('done');
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-engine-baked.png'), fullPage: true });
  });

  it('removes the clip from the timeline, and undo brings it back baked', async () => {
    await clip('speech.wav').getByTestId('clip-remove').click();
    await expect.poll(() => clip('speech.wav').count(), POLL).toBe(0);
    await page.getByTestId('undo').click();
    await clip('speech.wav').waitFor();
    await expect.poll(() => clip('speech.wav').getByTestId('clip-bake-state').innerText(), { timeout: BAKE_TIMEOUT_MS, interval: 100 }).toBe('Baked');
  });

  it('after a reload, shows the avatar cut from its portrait and the clip still baked', async () => {
    await page.reload();
    await page.getByTestId('studio').waitFor();
    // The engine's crop PNG is not kept in the project: the thumbnail, cut to the crop square, stands in.
    const stage = page.locator('[data-testid="preview"] [data-testid="avatar-crop-image"]');
    await stage.waitFor();
    expect(await stage.getAttribute('data-source')).toBe('portrait');
    await expectBlobImage('[data-testid="preview"] [data-testid="avatar-crop-image"] img');
    expect(await page.getByTestId('preview-avatar-caption').innerText()).toMatch(/^Avatar: portrait\.png · /);
    await expect.poll(() => clip('speech.wav').getByTestId('clip-bake-state').innerText(), POLL).toBe('Baked');
    await card('portrait.png').click();
    await page.getByTestId('avatar-facts').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-engine-reloaded.png'), fullPage: true });
  });

  it('regenerates the avatar in place, and the timeline bakes for it again', async () => {
    const regenerate = page.getByTestId('avatar-create');
    expect(await regenerate.innerText()).toBe('Regenerate avatar');
    await regenerate.click();
    // The crop shown before regenerating is the engine's already, so wait for the button to come
    // back from "Regenerating…" first.
    await expect.poll(() => regenerate.innerText(), { timeout: BAKE_TIMEOUT_MS, interval: 100 }).toBe('Regenerate avatar');
    await expect
      .poll(() => page.locator('[data-testid="inspector"] [data-testid="avatar-crop-image"]').getAttribute('data-source'), { timeout: BAKE_TIMEOUT_MS, interval: 100 })
      .toBe('engine');
    expect(await avatarRows()).toBe(1);
    await expect.poll(() => clip('speech.wav').getByTestId('clip-bake-state').innerText(), { timeout: BAKE_TIMEOUT_MS, interval: 100 }).toBe('Baked');
  });

  it('says why a picture without a face makes no avatar', async () => {
    await page.getByTestId('import-input').setInputFiles([blankWall]);
    await expectMediaCount(page, 3);
    await card('blank-wall.png').click();
    const create = page.getByTestId('avatar-create');
    expect(await create.innerText()).toBe('Create avatar');
    await create.click();
    const error = page.getByTestId('avatar-error');
    await error.waitFor({ timeout: BAKE_TIMEOUT_MS });
    // The back end's words (avatar-handlers.ts, NO_FACE), not a code or a stack.
    expect(await error.innerText()).toMatch(/^No face was found in the picture\./);
    expect(await create.isEnabled()).toBe(true);
    expect(await page.getByTestId('avatar-facts').count()).toBe(0);
    expect(await avatarRows()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-engine-no-face.png'), fullPage: true });

    // The avatar made before is still the active one.
    await card('portrait.png').click();
    await page.getByTestId('avatar-facts').waitFor();
    expect(await page.getByTestId('preview-avatar-caption').innerText()).toMatch(/^Avatar: portrait\.png · /);
  });

  it('shows an engine crash on the clip it stopped and in a banner, and bakes again on Retry', async () => {
    await page.getByTestId('import-input').setInputFiles([longSpeech]);
    await expectMediaCount(page, 4);
    await card('long-speech.wav').click();
    await page.getByTestId('add-to-timeline').click();
    const state = clip('long-speech.wav').getByTestId('clip-bake-state');
    await expect.poll(() => state.innerText(), { timeout: BAKE_TIMEOUT_MS, interval: 50 }).toMatch(/^Baking \d{1,2}%$/);

    process.kill(await enginePid(), 'SIGKILL');
    const crashed = /^The engine stopped unexpectedly \(.+\)\. Your project is safe; try again\.$/;
    await expect.poll(() => state.innerText(), POLL).toMatch(crashed);
    expect(await clip('speech.wav').getByTestId('clip-bake-state').innerText()).toBe('Baked');

    // The 'engine.status' event brings the banner; a fresh page asks and shows it too.
    const banner = page.getByTestId('engine-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(crashed);
    await page.reload();
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(crashed);
    await expect.poll(() => state.innerText(), POLL).toMatch(crashed);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-engine-crashed.png'), fullPage: true });

    await clip('long-speech.wav').getByTestId('clip-retry').click();
    await expect.poll(() => state.innerText(), { timeout: BAKE_TIMEOUT_MS, interval: 100 }).toBe('Baked');
    await expect.poll(() => banner.count(), POLL).toBe(0);
  });

  it('in a project without an avatar, says the clip needs one', async () => {
    await page.getByTestId('close-project').click();
    await page.getByTestId('new-project').click();
    await page.getByTestId('new-project-name').fill('No avatar yet');
    await page.getByTestId('new-project-create').click();
    await expect.poll(() => page.getByTestId('project-name').innerText(), POLL).toBe('No avatar yet');
    await page.getByTestId('import-input').setInputFiles([SPEECH]);
    await expectMediaCount(page, 1);
    await card('speech.wav').click();
    await page.getByTestId('add-to-timeline').click();
    await expect.poll(() => clip('speech.wav').getByTestId('clip-bake-state').innerText(), POLL).toBe('Needs an avatar');
    expect(await clip('speech.wav').getByTestId('clip-progress').getAttribute('aria-valuenow')).toBe('0');
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-engine-no-avatar.png'), fullPage: true });
  });

  it('ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
