/** probeMedia on images: kind by content, pixel size after EXIF orientation, a WebP thumbnail. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { probeMedia, THUMBNAIL_SIZE, type ProbedMedia } from '../../../src/main/media/media-probe.ts';
import { pngBytes, rawImage } from '../../helpers/media-fixtures.ts';

type ProbedImage = Extract<ProbedMedia, { kind: 'image' }>;

async function probeImage(name: string, bytes: Uint8Array): Promise<ProbedImage> {
  const probed = await probeMedia(name, bytes);
  expect(probed.kind).toBe('image');
  return probed as ProbedImage;
}

/** Decodes the thumbnail with sharp and checks it fits the THUMBNAIL_SIZE box. */
async function expectThumbnail(probed: ProbedImage, width: number, height: number): Promise<void> {
  expect(probed.thumbnail.mime).toBe('image/webp');
  const meta = await sharp(probed.thumbnail.bytes).metadata();
  expect(meta.format).toBe('webp');
  expect([meta.width, meta.height]).toEqual([width, height]);
  expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(THUMBNAIL_SIZE);
}

describe('probeMedia, images', () => {
  it('reads a PNG: size, mime and a thumbnail at its own size (never enlarged)', async () => {
    const probed = await probeImage('portrait.png', await pngBytes(300, 200));
    expect(probed).toMatchObject({ kind: 'image', mime: 'image/png', width: 300, height: 200 });
    await expectThumbnail(probed, 300, 200);
  });

  it('shrinks the thumbnail of a large image to 768 on its longest side, keeping the aspect', async () => {
    expect(THUMBNAIL_SIZE).toBe(768);
    const probed = await probeImage('wide.png', await pngBytes(2000, 1000));
    expect([probed.width, probed.height]).toEqual([2000, 1000]);
    await expectThumbnail(probed, 768, 384);
    const tall = await probeImage('tall.png', await pngBytes(400, 1536));
    await expectThumbnail(tall, 200, 768);
  });

  it('reports a JPEG with EXIF orientation 6 (rotate 90°) as the upright 200x300, thumbnail too', async () => {
    const jpeg = new Uint8Array(await rawImage(300, 200, 3).jpeg().withMetadata({ orientation: 6 }).toBuffer());
    // The stored pixels really are 300x200; only the EXIF tag turns them.
    const stored = await sharp(jpeg).metadata();
    expect([stored.width, stored.height, stored.orientation]).toEqual([300, 200, 6]);
    const probed = await probeImage('rotated.jpg', jpeg);
    expect(probed).toMatchObject({ mime: 'image/jpeg', width: 200, height: 300 });
    await expectThumbnail(probed, 200, 300);
  });

  it('reads a WebP with alpha', async () => {
    const probed = await probeImage('a.webp', new Uint8Array(await rawImage(64, 48, 4).webp().toBuffer()));
    expect(probed).toMatchObject({ mime: 'image/webp', width: 64, height: 48 });
    await expectThumbnail(probed, 64, 48);
  });

  it('reads grayscale, 16-bit and RGBA PNGs', async () => {
    const gray = new Uint8Array(await rawImage(40, 30, 1).png().toBuffer());
    const deep = new Uint8Array(await rawImage(40, 30, 3).toColourspace('rgb16').png().toBuffer());
    const rgba = await pngBytes(40, 30, 4);
    // Make sure the fixtures are what their names say.
    expect((await sharp(gray).metadata()).channels).toBe(1);
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    expect((await sharp(rgba).metadata()).hasAlpha).toBe(true);
    for (const [name, bytes] of [['gray.png', gray], ['deep.png', deep], ['rgba.png', rgba]] as const) {
      const probed = await probeImage(name, bytes);
      expect(probed, name).toMatchObject({ mime: 'image/png', width: 40, height: 30 });
      await expectThumbnail(probed, 40, 30);
    }
  });

  it('decides by content, not by name: a PNG called voice.wav is an image', async () => {
    const probed = await probeImage('voice.wav', await pngBytes(20, 10));
    expect(probed).toMatchObject({ mime: 'image/png', width: 20, height: 10 });
  });
});
