/**
 * The timeline editor end to end: the real web host (out/main/host.js) serving the built renderer
 * to Debian's Chromium. On the demo portrait's avatar, a real speech clip (../shared/data) is
 * dropped from the file manager onto the audio lane and the demo speech dragged from the media
 * bin; both bake; playback advances the timecode; J/K/L shuttle back and forth; the ruler scrubs;
 * three camera keys and a freeze are added at the playhead; a clip is split and moved; a reload
 * finds everything (the view too); every step undoes and redoes; a clip's audio is replaced from
 * the inspector; two selected clips are deleted as one edit. Screenshots go to test-artifacts/ and
 * /tmp/timeline-shots/.
 *
 * Run after `electron-vite build`: `npx vitest run --project e2e test/e2e/timeline.e2e.test.ts`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEMO_PORTRAIT as PORTRAIT, DEMO_SPEECH, REPO_ROOT } from './helpers/host.ts';
import { ARTIFACTS, useStudioSession } from './helpers/studio-session.ts';
import { expectMediaCount, expectThumbnail, openNewProject, POLL_LONG } from './helpers/page.ts';

const PROJECT = 'Timeline E2E';
const SHOTS = '/tmp/timeline-shots';
/** Real English speech, 5.2 s, 24 kHz mono (../shared/data/MANIFEST.tsv: EchoMimic examples). */
const REAL_SPEECH = resolve(REPO_ROOT, '../shared/data/speech/echomimic_echomimic_en.wav');
const SLOW = { timeout: 90_000, interval: 200 };

let page: Page;
let problems: string[];
// The live 3D preview renders in software GL here, which slows every step on a loaded machine.
const session = useStudioSession(
  { name: 'timeline', modelPack: 'tiny', folders: [SHOTS], actionTimeoutMs: 60_000, shots: { prefix: 'e2e-timeline', folder: SHOTS } },
  (s) => void ({ page, problems } = s),
);
const shot = (name: string) => session.current.shot(name);

const clips = () => page.getByTestId('timeline-clip');
const keys = () => page.getByTestId('camera-key');
const segments = () => page.getByTestId('warp-segment');
const audioLane = () => page.locator('[data-testid="track-lane"][data-lane-kind="audio"]').first();

/** "MM:SS:FF" (or "H:MM:SS:FF") at 25 fps to seconds. */
function parseTimecode(text: string): number {
  const parts = text.trim().split(':').map(Number);
  const frames = parts.pop()!;
  const seconds = parts.reduce((acc, n) => acc * 60 + n, 0);
  return seconds + frames / 25;
}

async function timecode(): Promise<number> {
  return parseTimecode(await page.getByTestId('timecode').innerText());
}

/** Client x of output time `s` on the ruler (and every lane below it). */
async function xOf(s: number): Promise<number> {
  const ruler = page.getByTestId('ruler');
  const box = (await ruler.boundingBox())!;
  const pxPerS = Number(await ruler.getAttribute('data-px-per-s'));
  const scrollS = Number(await ruler.getAttribute('data-scroll-s'));
  return box.x + (s - scrollS) * pxPerS;
}

/** Click on the ruler: the playhead goes there. */
async function seek(s: number): Promise<void> {
  const ruler = (await page.getByTestId('ruler').boundingBox())!;
  await page.mouse.click(await xOf(s), ruler.y + ruler.height / 2);
  await expect.poll(timecode, POLL_LONG).toBeCloseTo(s, 1);
}

/** A file from the file manager dropped on the audio lane at output time `s`. */
async function dropFileOnLane(path: string, name: string, s: number): Promise<void> {
  const bytes = await readFile(path);
  const lane = (await audioLane().boundingBox())!;
  const x = await xOf(s);
  await page.evaluate(
    ({ base64, name: fileName, x: clientX, y: clientY }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], fileName, { type: 'audio/wav' }));
      const target = document.querySelector('[data-testid="track-lane"][data-lane-kind="audio"]')!;
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer, clientX, clientY }));
      }
    },
    { base64: bytes.toString('base64'), name, x, y: lane.y + lane.height / 2 },
  );
}

/** A media card dragged from the bin onto the audio lane at output time `s` (the card is the drag source). */
async function dragCardToLane(name: string, s: number): Promise<void> {
  const lane = (await audioLane().boundingBox())!;
  const x = await xOf(s);
  await page.evaluate(
    ({ name: cardName, x: clientX, y: clientY }) => {
      const card = document.querySelector(`[data-testid="media-card"][data-name="${cardName}"]`)!;
      const transfer = new DataTransfer();
      card.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      const target = document.querySelector('[data-testid="track-lane"][data-lane-kind="audio"]')!;
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer, clientX, clientY }));
      }
      card.dispatchEvent(new DragEvent('dragend', { bubbles: true, dataTransfer: transfer }));
    },
    { name, x, y: lane.y + lane.height / 2 },
  );
}

/** Start times (output seconds, from the clips' pixel positions) of the clips, sorted. */
async function clipStarts(): Promise<number[]> {
  const ruler = page.getByTestId('ruler');
  const box = (await ruler.boundingBox())!;
  const pxPerS = Number(await ruler.getAttribute('data-px-per-s'));
  const scrollS = Number(await ruler.getAttribute('data-scroll-s'));
  const lefts = await clips().evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
  return lefts.map((l) => Math.round((scrollS + (l - box.x) / pxPerS) * 25) / 25).sort((a, b) => a - b);
}

/** Clip starts within two frames of `expected` (drops land at whole pixels, then on frames). */
async function expectStarts(expected: number[]): Promise<void> {
  const near = (starts: number[]): boolean => starts.length === expected.length && starts.every((s, i) => Math.abs(s - expected[i]!) <= 0.081);
  await expect.poll(async () => near(await clipStarts()) || (await clipStarts()), POLL_LONG).toBe(true);
}

async function undo(): Promise<void> {
  await page.getByTestId('undo').click();
}
async function redo(): Promise<void> {
  await page.getByTestId('redo').click();
}

describe('the timeline editor in the browser', () => {
  it('opens a project with an avatar of the demo portrait', async () => {
    await openNewProject(page, session.current.host.url, PROJECT);
    await page.getByTestId('import-input').setInputFiles([PORTRAIT, DEMO_SPEECH]);
    await expectMediaCount(page, 2);
    await expectThumbnail(page, 'portrait.png');
    await page.locator('[data-testid="media-card"][data-name="portrait.png"]').click();
    await page.getByTestId('avatar-create').click();
    await page.getByTestId('avatar-facts').waitFor({ timeout: 90_000 });
    await shot('01-avatar');
  });

  it('puts real speech on the timeline by a drop from the file manager, and demo speech from the bin', async () => {
    await dropFileOnLane(REAL_SPEECH, 'real-speech.wav', 0.5);
    await expectMediaCount(page, 3);
    await expect.poll(() => clips().count(), POLL_LONG).toBe(1);
    await expectStarts([0.5]);

    await dragCardToLane('speech.wav', 7);
    await expect.poll(() => clips().count(), POLL_LONG).toBe(2);
    await expectStarts([0.5, 7]);

    // Waveforms drawn by wavesurfer from the engine's peaks.
    await expect.poll(() => page.locator('[data-testid="clip-waveform"][data-loaded="true"]').count(), POLL_LONG).toBe(2);
    for (const name of ['real-speech.wav', 'speech.wav']) {
      const clip = page.locator(`[data-testid="timeline-clip"][data-name="${name}"]`);
      await expect.poll(() => clip.getByTestId('clip-bake-state').innerText(), SLOW).toBe('Baked');
    }
    await shot('02-two-clips-baked');
  });

  it('plays: the timecode advances on the audio clock, and pauses', async () => {
    await seek(0);
    await page.getByTestId('play').click();
    await expect.poll(() => page.getByTestId('play').getAttribute('data-playing'), POLL_LONG).toBe('true');
    await page.waitForTimeout(1200);
    await page.keyboard.press('k');
    await expect.poll(() => page.getByTestId('play').getAttribute('data-playing'), POLL_LONG).toBe('false');
    const t = await timecode();
    expect(t).toBeGreaterThan(0.6);
    expect(t).toBeLessThan(3);
  });

  it('shuttles with J/K/L: J plays in reverse until K, L twice plays at 2x (silent)', async () => {
    const play = page.getByTestId('play');
    await seek(3);
    await page.keyboard.press('j');
    await expect.poll(() => play.getAttribute('data-rate'), POLL_LONG).toBe('-1');
    await page.waitForTimeout(800);
    await page.keyboard.press('k');
    await expect.poll(() => play.getAttribute('data-playing'), POLL_LONG).toBe('false');
    const back = await timecode();
    expect(back).toBeLessThan(2.9);
    expect(back).toBeGreaterThan(0);

    await page.keyboard.press('l');
    await page.keyboard.press('l');
    await expect.poll(() => play.getAttribute('data-rate'), POLL_LONG).toBe('2');
    expect(await page.getByTestId('shuttle-rate').innerText()).toBe('2×');
    await page.keyboard.press('k');
    await expect.poll(() => play.getAttribute('data-playing'), POLL_LONG).toBe('false');
    expect(await timecode()).toBeGreaterThan(back);
    expect(await page.getByTestId('shuttle-rate').count()).toBe(0);
  });

  it('scrubs by dragging on the ruler, and steps frames with the arrows', async () => {
    const ruler = (await page.getByTestId('ruler').boundingBox())!;
    const y = ruler.y + ruler.height / 2;
    await page.mouse.move(await xOf(1), y);
    await page.mouse.down();
    await page.mouse.move(await xOf(2), y, { steps: 8 });
    await page.mouse.move(await xOf(3), y, { steps: 8 });
    await page.mouse.up();
    await expect.poll(timecode, POLL_LONG).toBeCloseTo(3, 1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(timecode, POLL_LONG).toBeCloseTo(3.04, 2);
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(timecode, POLL_LONG).toBeCloseTo(2.04, 2);
  });

  it('adds three camera keys at different playhead times', async () => {
    for (const [i, s] of [0.5, 2.5, 4.5].entries()) {
      await seek(s);
      if (i === 1) await page.keyboard.press('c');
      else await page.getByTestId('add-key').click();
      await expect.poll(() => keys().count(), POLL_LONG).toBe(i + 1);
    }
    const times = await keys().evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-time'))));
    // Keys land on whole frames at the playhead (a click lands within a pixel of the aim).
    [0.5, 2.5, 4.5].forEach((want, i) => expect(Math.abs(times[i]! - want)).toBeLessThanOrEqual(0.041));
    for (const t of times) expect(Math.abs(t * 25 - Math.round(t * 25))).toBeLessThan(1e-6);
    await keys().nth(1).click();
    await page.getByTestId('key-inspector').waitFor();
    expect(await page.getByTestId('key-interpolation').inputValue()).toBe('smooth');
    await shot('03a-key-inspector');
  });

  it('adds a one-second freeze at the playhead', async () => {
    await seek(1.5);
    await page.getByTestId('add-freeze').click();
    await expect.poll(() => segments().count(), POLL_LONG).toBe(1);
    const start = Number(await segments().first().getAttribute('data-start'));
    expect(Math.abs(start - 1.5)).toBeLessThanOrEqual(0.041);
    expect(Number(await segments().first().getAttribute('data-end')) - start).toBeCloseTo(1, 6);
    // The freeze pauses the clip under it (from 0.5 s): its waveform breaks for 1 s of ruler where
    // the audio is held silent, instead of stretching over it.
    const held = page.locator('[data-testid="timeline-clip"]:has([data-testid="clip-warp-gap"])');
    await expect.poll(() => held.count(), POLL_LONG).toBe(1);
    const pxPerS = Number(await page.getByTestId('ruler').getAttribute('data-px-per-s'));
    const clipBox = (await held.boundingBox())!;
    const gapBox = (await held.getByTestId('clip-warp-gap').boundingBox())!;
    expect(Math.abs(gapBox.x - clipBox.x - (start - 0.5) * pxPerS)).toBeLessThan(3);
    expect(Math.abs(gapBox.width - pxPerS)).toBeLessThan(3);
    await expect.poll(() => held.locator('[data-testid="clip-waveform"][data-loaded="true"]').count(), POLL_LONG).toBe(2);
    await segments().first().click();
    await page.getByTestId('segment-inspector').waitFor();
    await shot('03-keys-and-freeze');
  });

  it('splits the demo clip at the playhead and moves its right half', async () => {
    // The freeze (pause mode) before it pushes the demo clip 1 s later on the ruler.
    await expectStarts([0.5, 8]);
    await seek(9);
    await page.locator('[data-testid="timeline-clip"][data-name="speech.wav"]').first().click({ position: { x: 30, y: 40 } });
    await page.keyboard.press('s');
    await expect.poll(() => clips().count(), POLL_LONG).toBe(3);
    await expectStarts([0.5, 8, 9]);

    // Drag the right half (starting at 9 s) 1.5 s later, snapping off (Alt).
    const right = clips().nth(2);
    const box = (await right.boundingBox())!;
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const pxPerS = Number(await page.getByTestId('ruler').getAttribute('data-px-per-s'));
    await page.keyboard.down('Alt');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 0.75 * pxPerS, from.y, { steps: 5 });
    await page.mouse.move(from.x + 1.5 * pxPerS, from.y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Alt');
    await expectStarts([0.5, 8, 10.5]);
    await shot('04-split-and-moved');
  });

  it('lists every shortcut in the "?" dialog', async () => {
    await page.locator('body').click({ position: { x: 700, y: 300 } });
    await page.keyboard.press('Shift+?');
    const dialog = page.getByTestId('shortcuts-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('shortcut-row').count()).toBeGreaterThanOrEqual(20);
    expect(await dialog.innerText()).toMatch(/Play \/ pause[\s\S]*Split/);
    await shot('05-shortcuts');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('finds everything after a reload, the view included', async () => {
    // Zoom in and leave the playhead somewhere; the view is saved after it settles.
    await page.getByTestId('zoom-in').click();
    await seek(3.2);
    const pxPerS = Number(await page.getByTestId('ruler').getAttribute('data-px-per-s'));
    await page.waitForTimeout(900);
    await page.reload();
    await page.getByTestId('studio').waitFor();
    await expect.poll(async () => Number(await page.getByTestId('ruler').getAttribute('data-px-per-s')), POLL_LONG).toBeCloseTo(pxPerS, 3);
    await expect.poll(timecode, POLL_LONG).toBeCloseTo(3.2, 1);
    // Zoom to fit (0) to see all of it: the timeline draws only what is in view.
    await page.locator('body').click({ position: { x: 700, y: 300 } });
    await page.keyboard.press('0');
    await expect.poll(() => clips().count(), POLL_LONG).toBe(3);
    await expect.poll(() => keys().count(), POLL_LONG).toBe(3);
    await expect.poll(() => segments().count(), POLL_LONG).toBe(1);
    await expectStarts([0.5, 8, 10.5]);
    await shot('06-reloaded');
  });

  it('undoes each step and redoes it', async () => {
    // Newest first: move, split, freeze, three keys, the bin clip, the dropped clip.
    await undo();
    await expectStarts([0.5, 8, 9]);
    await undo();
    await expect.poll(() => clips().count(), POLL_LONG).toBe(2);
    await undo();
    await expect.poll(() => segments().count(), POLL_LONG).toBe(0);
    await expectStarts([0.5, 7]);
    for (const left of [2, 1, 0]) {
      await undo();
      await expect.poll(() => keys().count(), POLL_LONG).toBe(left);
    }
    await undo();
    await expect.poll(() => clips().count(), POLL_LONG).toBe(1);

    await redo();
    await expect.poll(() => clips().count(), POLL_LONG).toBe(2);
    for (const count of [1, 2, 3]) {
      await redo();
      await expect.poll(() => keys().count(), POLL_LONG).toBe(count);
    }
    await redo();
    await expect.poll(() => segments().count(), POLL_LONG).toBe(1);
    await redo();
    await expect.poll(() => clips().count(), POLL_LONG).toBe(3);
    await redo();
    await expectStarts([0.5, 8, 10.5]);
    await shot('07-redone');
  });

  it('looks through a bullet-effect sweep: the preview differs where the camera and lips moved', async () => {
    await seek(0.5);
    await page.getByTestId('camera-preset').selectOption('bullet');
    await page.getByTestId('apply-preset').click();
    await expect.poll(() => keys().count(), POLL_LONG).toBeGreaterThanOrEqual(3);
    await page.getByTestId('view-mode-path').click();
    const preview = page.getByTestId('splat-preview');
    await expect.poll(() => preview.getAttribute('data-mode'), POLL_LONG).toBe('path');
    const frames: Buffer[] = [];
    for (const [i, s] of [0.8, 2.0, 3.2].entries()) {
      await seek(s);
      // Animation time follows the playhead; then let the software-GL frame and Spark's sort settle.
      await expect.poll(async () => Number(await preview.getAttribute('data-anim-time')), POLL_LONG).not.toBeNaN();
      const drawn = Number(await preview.getAttribute('data-frames'));
      await expect.poll(async () => Number(await preview.getAttribute('data-frames')), POLL_LONG).toBeGreaterThan(drawn);
      await page.waitForTimeout(2500);
      const png = await preview.screenshot();
      await writeFile(join(ARTIFACTS, `e2e-preview-playhead-${i + 1}.png`), png);
      frames.push(png);
    }
    const pixels = await Promise.all(frames.map((png) => sharp(png).removeAlpha().raw().toBuffer()));
    const meanAbsDiff = (a: Buffer, b: Buffer): number => {
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
      return sum / a.length;
    };
    // Each pair of views is tens of degrees of yaw apart: the head moves across most of the frame.
    for (const [a, b] of [[0, 1], [1, 2], [0, 2]] as const) expect(meanAbsDiff(pixels[a]!, pixels[b]!)).toBeGreaterThan(3);

    // The whole studio mid-edit, the path drawn in 3D around the head from the orbit camera.
    await page.getByTestId('view-mode-orbit').click();
    await expect.poll(() => preview.getAttribute('data-mode'), POLL_LONG).toBe('orbit');
    const box = (await preview.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 400);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 160, box.y + box.height / 2 - 60, { steps: 8 });
    await page.mouse.up();
    await page.waitForTimeout(3000);
    await shot('08-studio-mid-edit');
  });

  it("replaces a clip's audio from the inspector, keeping its place; undo puts it back", async () => {
    await page.locator('[data-testid="timeline-clip"][data-name="real-speech.wav"]').click({ position: { x: 30, y: 40 } });
    await page.getByTestId('clip-replace').waitFor();
    // The bin's other audio: speech.wav (5.9 s), long enough for the 5.2 s clip.
    await page.getByTestId('clip-replace-media').selectOption({ index: 1 });
    await shot('09-replace-audio');
    await page.getByTestId('clip-replace-apply').click();
    await expect.poll(() => page.locator('[data-testid="timeline-clip"][data-name="speech.wav"]').count(), POLL_LONG).toBe(3);
    await expectStarts([0.5, 8, 10.5]);
    await undo();
    await expect.poll(() => page.locator('[data-testid="timeline-clip"][data-name="real-speech.wav"]').count(), POLL_LONG).toBe(1);
  });

  it('deletes two selected clips as one edit: one undo brings both back', async () => {
    await clips().nth(0).click({ position: { x: 30, y: 40 } });
    await clips().nth(1).click({ position: { x: 30, y: 40 }, modifiers: ['Shift'] });
    await page.keyboard.press('Delete');
    await expect.poll(() => clips().count(), POLL_LONG).toBe(1);
    await undo();
    await expect.poll(() => clips().count(), POLL_LONG).toBe(3);
    await expectStarts([0.5, 8, 10.5]);
    await redo();
    await expect.poll(() => clips().count(), POLL_LONG).toBe(1);
    await undo();
    await expect.poll(() => clips().count(), POLL_LONG).toBe(3);
  });

  it('ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
