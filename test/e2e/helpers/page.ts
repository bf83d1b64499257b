/** Steps on the studio's page that several tests share. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const POLL = { timeout: 20_000, interval: 100 };
/** For steps that bake or render on two shared cores. */
export const POLL_LONG = { timeout: 45_000, interval: 200 };

/** From the start screen: names a new project, creates it and waits for the studio. */
export async function createProject(page: Page, name: string): Promise<void> {
  await page.getByTestId('new-project').click();
  await page.getByTestId('new-project-name').fill(name);
  await page.getByTestId('new-project-create').click();
  await page.getByTestId('studio').waitFor();
}

/** Opens the studio at `url` and creates a project there. */
export async function openNewProject(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('start-screen').waitFor();
  await createProject(page, name);
}

export async function mediaCount(page: Page): Promise<number> {
  return page.getByTestId('media-card').count();
}

export async function expectMediaCount(page: Page, count: number): Promise<void> {
  await expect.poll(() => mediaCount(page), POLL).toBe(count);
}

/** Names of the media cards, in bin order. */
export async function mediaNames(page: Page): Promise<string[]> {
  return page.getByTestId('media-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-name') ?? ''));
}

/** Waits until the image card's thumbnail is a decoded blob: image, and returns its pixel size. */
export async function expectThumbnail(page: Page, name: string): Promise<void> {
  const img = page.locator(`[data-testid="media-card"][data-name="${name}"] img[data-testid="media-thumb"]`);
  await expect
    .poll(
      () =>
        img.evaluate((el: HTMLImageElement) => ({ blob: el.src.startsWith('blob:'), decoded: el.complete && el.naturalWidth > 0 })).catch(() => null),
      POLL,
    )
    .toEqual({ blob: true, decoded: true });
}

/** Waits until an audio card draws its waveform from the decoded peaks; returns the bar heights. */
export async function waveformBarsOf(page: Page, name: string): Promise<number[]> {
  const svg = page.locator(`[data-testid="media-card"][data-name="${name}"] [data-testid="media-waveform"]`);
  await expect.poll(() => svg.getAttribute('data-loaded'), POLL).toBe('true');
  return svg.locator('rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
}

export async function durationOf(page: Page, name: string): Promise<string> {
  return page.locator(`[data-testid="media-card"][data-name="${name}"] [data-testid="media-duration"]`).innerText();
}

/**
 * Drags a file onto the studio with synthetic drag events carrying a real DataTransfer, as the
 * desktop would. Returns whether the drop overlay showed while the file hovered.
 */
export async function dropFile(page: Page, file: { name: string; bytes: Uint8Array; type: string }): Promise<boolean> {
  await page.evaluate(
    ({ name, base64, type }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type }));
      (window as unknown as { __e2eDrop: DataTransfer }).__e2eDrop = transfer;
      const target = document.querySelector('[data-testid="preview"]') ?? document.body;
      for (const kind of ['dragenter', 'dragover']) {
        target.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    },
    { name: file.name, base64: Buffer.from(file.bytes).toString('base64'), type: file.type },
  );
  const overlay = await page
    .getByTestId('drop-overlay')
    .waitFor({ state: 'attached', timeout: 5_000 })
    .then(() => true, () => false);
  await page.evaluate(() => {
    const transfer = (window as unknown as { __e2eDrop: DataTransfer }).__e2eDrop;
    const target = document.querySelector('[data-testid="preview"]') ?? document.body;
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
  });
  await page.getByTestId('drop-overlay').waitFor({ state: 'detached', timeout: 5_000 });
  return overlay;
}

/** The text of the newest toast of a kind, once one shows. */
export async function toastText(page: Page, kind: 'success' | 'info' | 'error', containing: string): Promise<string> {
  const toast = page.locator(`[data-testid="toast"][data-kind="${kind}"]`, { hasText: containing }).last();
  await toast.waitFor({ state: 'visible', timeout: POLL.timeout });
  return toast.innerText();
}
