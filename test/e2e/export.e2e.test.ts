/**
 * The export dialog end to end: the real web host (out/main/host.js) serving the built renderer
 * to Debian's Chromium. On an avatar of the demo portrait with the demo speech on the timeline,
 * the dialog is opened from the toolbar, refuses an odd size for H.264 with the schema's reason,
 * moves the safe frame with the chosen size, and exports 320x180 at 25 fps (H.264) into the
 * library's Exports folder: progress with frames shows, then done and a toast with the path;
 * ffprobe finds the size and an audio stream; the history lists it. A second export, opened with
 * Ctrl+E, is cancelled while it renders: nothing is left under its name. Screenshots go to
 * /tmp/export-shots/ and test-artifacts/.
 *
 * Run after `electron-vite build`: `npx vitest run --project e2e test/e2e/export.e2e.test.ts`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEMO_PORTRAIT as PORTRAIT, DEMO_SPEECH } from './helpers/host.ts';
import { useStudioSession } from './helpers/studio-session.ts';
import { expectMediaCount, expectThumbnail, openNewProject, POLL_LONG, toastText } from './helpers/page.ts';

const PROJECT = 'Export E2E';
const SHOTS = '/tmp/export-shots';
/** Baking and a CPU render of 149 small frames on two shared cores. */
const EXPORT_WAIT = { timeout: 240_000, interval: 250 };

let page: Page;
let problems: string[];
// The live 3D preview renders in software GL here, which slows every step on a loaded machine.
const session = useStudioSession(
  { name: 'export', modelPack: 'tiny', folders: [SHOTS], actionTimeoutMs: 60_000, shots: { prefix: 'e2e-export', folder: SHOTS } },
  (s) => void ({ page, problems } = s),
);
const shot = (name: string) => session.current.shot(name);

const dialog = () => page.getByTestId('export-dialog');
const progress = () => page.getByTestId('export-progress');
const historyRows = () => page.getByTestId('export-history-row');
const exportsDir = () => join(session.current.dirs.projectsDir, 'Exports');

interface Probe {
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; r_frame_rate?: string; pix_fmt?: string }>;
  format: { duration: string };
}

async function ffprobe(path: string): Promise<Probe> {
  const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path]);
  return JSON.parse(stdout) as Probe;
}

async function setCustomSize(width: string, height: string): Promise<void> {
  await page.getByTestId('export-size-custom').click();
  await page.getByTestId('export-width').fill(width);
  await page.getByTestId('export-height').fill(height);
}

describe('the export dialog in the browser', () => {
  it('opens a project with an avatar of the demo portrait and its speech on the timeline', async () => {
    await openNewProject(page, session.current.host.url, PROJECT);
    await page.getByTestId('import-input').setInputFiles([PORTRAIT, DEMO_SPEECH]);
    await expectMediaCount(page, 2);
    await expectThumbnail(page, 'portrait.png');
    await page.locator('[data-testid="media-card"][data-name="portrait.png"]').click();
    await page.getByTestId('avatar-create').click();
    await page.getByTestId('avatar-facts').waitFor({ timeout: 90_000 });
    await page.locator('[data-testid="media-card"][data-name="speech.wav"]').click();
    await page.getByTestId('add-to-timeline').click();
    await expect.poll(() => page.getByTestId('timeline-clip').count(), POLL_LONG).toBe(1);
  });

  it('opens from the toolbar with an estimate, an empty history, and the library\'s Exports folder', async () => {
    await page.getByTestId('export-button').click();
    await dialog().waitFor();
    // The demo speech is 5.95 s: 149 frames at 25 fps, 5.96 s of video.
    expect(await page.getByTestId('export-estimate').innerText()).toBe('6.0 s · 149 frames at 25 fps');
    expect(await page.getByTestId('export-path').innerText()).toBe(`Saves to ${join(exportsDir(), `${PROJECT}.mp4`)}`);
    await page.getByTestId('export-history-empty').waitFor();
    // Transparent needs a format with alpha: disabled for H.264, with the reason.
    const transparent = page.getByTestId('export-background-transparent');
    expect(await transparent.isDisabled()).toBe(true);
    expect(await transparent.getAttribute('title')).toMatch(/no alpha channel/);
    await shot('01-dialog');
  });

  it('moves the safe frame with the chosen size', async () => {
    const aspect = page.getByTestId('safe-frame-aspect');
    await page.getByTestId('export-size-vertical').click();
    await expect.poll(() => aspect.inputValue(), POLL_LONG).toBe('9:16');
    await page.getByTestId('export-size-square').click();
    await expect.poll(() => aspect.inputValue(), POLL_LONG).toBe('1:1');
    await setCustomSize('320', '180');
    await expect.poll(() => aspect.inputValue(), POLL_LONG).toBe('16:9');
  });

  it('refuses an odd size for H.264 before sending, with the reason next to the size', async () => {
    await setCustomSize('321', '180');
    await page.getByTestId('export-start').click();
    const error = page.getByTestId('export-error-size');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/width and height must be even; got 321x180/);
    expect(await progress().count()).toBe(0);
    await shot('02-odd-size');
    await page.getByTestId('export-width').fill('320');
    await error.waitFor({ state: 'detached' });
  });

  it('exports 320x180 at 25 fps: progress, then done with a toast, and ffprobe agrees', async () => {
    expect(await page.getByTestId('export-fps').inputValue()).toBe('25');
    expect(await page.getByTestId('export-format').inputValue()).toBe('mp4-h264');
    await page.getByTestId('export-start').click();
    await progress().waitFor();
    // Frames counting up while it renders (or at least the bake wait before).
    await expect.poll(async () => (await progress().getAttribute('data-state')) ?? '', EXPORT_WAIT).toMatch(/^(rendering|finishing|done)$/);
    await shot('03-progress');
    await expect.poll(async () => (await progress().getAttribute('data-state')) ?? '', EXPORT_WAIT).toBe('done');
    expect(await progress().getAttribute('data-frames-done')).toBe('149');
    const out = join(exportsDir(), `${PROJECT}.mp4`);
    expect(await page.getByTestId('export-done').innerText()).toBe(`Saved to ${out}`);
    expect(await toastText(page, 'success', 'Export finished')).toContain(out);
    await shot('04-done');

    const probe = await ffprobe(out);
    const video = probe.streams.find((s) => s.codec_type === 'video');
    const audio = probe.streams.find((s) => s.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: 320, height: 180, r_frame_rate: '25/1', pix_fmt: 'yuv420p' });
    expect(audio?.codec_name).toBe('aac');
    expect(Number(probe.format.duration)).toBeCloseTo(149 / 25, 1);

    await expect.poll(() => historyRows().count(), POLL_LONG).toBe(1);
    expect(await historyRows().first().getAttribute('data-status')).toBe('done');
    expect(await historyRows().first().getAttribute('data-path')).toBe(out);
    expect(await historyRows().first().innerText()).toMatch(/320×180 · 25 fps · MP4 · H\.264 · 149 frames/);
  });

  it('cancels a second export while it renders: nothing is left under its name', async () => {
    await page.getByTestId('export-close').click();
    await dialog().waitFor({ state: 'detached' });
    await page.locator('body').click({ position: { x: 5, y: 5 } }).catch(() => undefined);
    await page.keyboard.press('Control+e');
    await dialog().waitFor();
    // The dialog remembers the last choices; the earlier export's name is taken, so a warning shows.
    expect(await page.getByTestId('export-width').inputValue()).toBe('320');
    await page.getByTestId('export-name').fill('Cancelled take');
    await setCustomSize('1280', '720');
    await page.getByTestId('export-start').click();
    await expect.poll(async () => Number((await progress().getAttribute('data-frames-done')) ?? 0) > 0 && (await progress().getAttribute('data-state')) === 'rendering', EXPORT_WAIT).toBe(true);
    await shot('05-rendering');
    await page.getByTestId('export-cancel').click();
    await expect.poll(async () => progress().getAttribute('data-state'), POLL_LONG).toBe('cancelled');
    await page.getByTestId('export-start').waitFor({ state: 'visible' });
    expect(await page.getByTestId('export-error').count()).toBe(0);

    const out = join(exportsDir(), 'Cancelled take.mp4');
    // The temporary output is removed as the job unwinds; the final name never existed.
    await expect.poll(async () => (await readdir(exportsDir())).sort(), POLL_LONG).toEqual([`${PROJECT}.mp4`]);
    expect(existsSync(out)).toBe(false);
    await expect.poll(() => historyRows().count(), POLL_LONG).toBe(2);
    expect(await historyRows().first().getAttribute('data-status')).toBe('cancelled');
    expect(await historyRows().first().getAttribute('data-path')).toBe(out);
    expect(await page.getByTestId('export-progress-text').innerText()).toMatch(/^Cancelled/);
    await page.getByTestId('export-history').scrollIntoViewIfNeeded();
    await shot('06-cancelled');
  });

  it('exports over an image from the media bin, and refuses transparency until the format has alpha', async () => {
    await page.getByTestId('export-name').fill('Portrait backdrop');
    await setCustomSize('64', '36');
    await page.getByTestId('export-background-image').click();
    await page.getByTestId('export-start').click();
    expect(await page.getByTestId('export-error-background').innerText()).toBe('Choose an image from the media bin for the background.');
    await page.getByTestId('export-image').selectOption({ label: 'portrait.png' });
    await page.getByTestId('export-start').click();
    await expect.poll(async () => (await progress().getAttribute('data-state')) ?? '', EXPORT_WAIT).toBe('done');
    const backdrop = join(exportsDir(), 'Portrait backdrop.mp4');
    const probe = await ffprobe(backdrop);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 64, height: 36 });
    // The frame's corners (no head there) are the portrait scaled to cover 64x36 (export-background.ts);
    // the predicted background is a crop around the face, so its corners hold other parts of the gradient.
    const { stdout: frame } = await promisify(execFile)('ffmpeg', ['-v', 'error', '-i', backdrop, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer' });
    const expected = await sharp(PORTRAIT).removeAlpha().resize(64, 36, { fit: 'cover', position: 'centre' }).raw().toBuffer();
    // H.264 at CRF 18 with 4:2:0 chroma on a 64x36 frame: a smooth gradient corner stays within a few levels; 24 leaves room.
    for (const [x, y] of [[1, 1], [62, 1], [1, 34], [62, 34]] as const) {
      for (const c of [0, 1, 2]) expect(Math.abs(frame[(y * 64 + x) * 3 + c]! - expected[(y * 64 + x) * 3 + c]!), `pixel ${x},${y} channel ${c}`).toBeLessThan(24);
    }

    await page.getByTestId('export-format').selectOption('mov-prores4444');
    const transparent = page.getByTestId('export-background-transparent');
    expect(await transparent.isDisabled()).toBe(false);
    await transparent.click();
    await page.getByTestId('export-format').selectOption('mp4-h264');
    await page.getByTestId('export-start').click();
    expect(await page.getByTestId('export-error-background').innerText()).toMatch(/mp4-h264 has no alpha channel/);
    await shot('07-alpha-refused');
  });

  it('exports only the range typed, after refusing an end past the project', async () => {
    await page.getByTestId('export-background-predicted').click();
    await page.getByTestId('export-name').fill('Range take');
    await page.getByTestId('export-range-custom').click();
    // Custom starts from the whole project when no I/O marks are set.
    expect(await page.getByTestId('export-from').inputValue()).toBe('0');
    await page.getByTestId('export-from').fill('1');
    await page.getByTestId('export-to').fill('1:39');
    await page.getByTestId('export-start').click();
    expect(await page.getByTestId('export-error-range').innerText()).toMatch(/^The range ends at 99 s, but the project ends at 5\.9\d* s/);
    await page.getByTestId('export-to').fill('2.5');
    await page.getByTestId('export-error-range').waitFor({ state: 'detached' });
    // 1.5 s at 25 fps: 37.5 frames, so 38 whole frames.
    expect(await page.getByTestId('export-estimate').innerText()).toBe('1.5 s · 38 frames at 25 fps');
    await shot('08-range');
    await page.getByTestId('export-start').click();
    await expect.poll(async () => (await progress().getAttribute('data-state')) ?? '', EXPORT_WAIT).toBe('done');
    expect(await progress().getAttribute('data-frames-done')).toBe('38');
    const probe = await ffprobe(join(exportsDir(), 'Range take.mp4'));
    expect(Number(probe.format.duration)).toBeCloseTo(38 / 25, 1);
    expect(await historyRows().first().innerText()).toMatch(/38 frames/);
  });

  it('left no page errors', () => {
    expect(problems).toEqual([]);
  });
});
