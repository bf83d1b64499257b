/** The head crop rule, the clip-stable crop, edge-replicating extraction and resizing. */
import { describe, expect, it } from 'vitest';
import { matrixFromEuler } from '../../../src/main/engine/face/camera-estimate.ts';
import {
  CROP_CENTRE_DOWN,
  CROP_SIZE_PER_WIDTH,
  cropAndResize,
  cropFromMesh,
  cropOverflow,
  extractCrop,
  snapCrop,
  stableCrop,
  toCropPixels,
} from '../../../src/main/engine/face/crop.ts';
import type { Mat3 } from '../../../src/main/engine/face/types.ts';
import { imageFace, syntheticHeadPoints } from './synthetic-face.ts';

const I3: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

describe('cropFromMesh', () => {
  it('size = 2.4 face widths, centre 0.1 face width below the head origin', () => {
    expect(CROP_SIZE_PER_WIDTH).toBe(2.4);
    expect(CROP_CENTRE_DOWN).toBe(0.1);
    const mesh = imageFace(syntheticHeadPoints(), I3, 1000, [400, 300, 0]); // face width 150 px
    const c = cropFromMesh(mesh);
    expect(c.size).toBeCloseTo(360, 9);
    expect(c.x + c.size / 2).toBeCloseTo(400, 9);
    expect(c.y + c.size / 2).toBeCloseTo(315, 9);
  });

  it('does not change size when the head turns (3D face width)', () => {
    const a = cropFromMesh(imageFace(syntheticHeadPoints(), I3, 1000, [400, 300, 0]));
    const b = cropFromMesh(imageFace(syntheticHeadPoints(), matrixFromEuler(0.6, -0.3, 0.2), 1000, [400, 300, 0]));
    expect(b.size).toBeCloseTo(a.size, 9);
  });
});

describe('stableCrop', () => {
  it('takes the median centre and size, so one bad frame does not move it', () => {
    const frames = [
      { x: 100, y: 50, size: 200 },
      { x: 102, y: 52, size: 202 },
      { x: 98, y: 48, size: 198 },
      { x: 400, y: 400, size: 20 }, // a wrong detection
      { x: 101, y: 49, size: 201 },
    ];
    const s = stableCrop(frames);
    expect(s.size).toBe(200);
    expect(s.x + s.size / 2).toBe(201.5); // centres 200, 203, 197, 410, 201.5
    expect(s.y + s.size / 2).toBe(150);
  });

  it('refuses an empty clip with a clear message', () => {
    expect(() => stableCrop([])).toThrow(/no face in any frame/);
  });
});

describe('snapCrop and cropOverflow', () => {
  it('rounds to whole pixels around the same centre', () => {
    expect(snapCrop({ x: 10.4, y: -3.6, size: 99.6 })).toEqual({ x: 10, y: -4, size: 100 });
  });

  it('reports how far the crop leaves the image per side', () => {
    expect(cropOverflow({ x: -5, y: 10, size: 100 }, 90, 200)).toEqual({ left: 5, top: 0, right: 5, bottom: 0 });
    expect(cropOverflow({ x: 0, y: 0, size: 10 }, 10, 10)).toEqual({ left: 0, top: 0, right: 0, bottom: 0 });
  });
});

describe('extractCrop', () => {
  // 3x2 RGB image, pixel (x, y) has colour (10x + y, 100 + y, 7).
  const w = 3;
  const h = 2;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([10 * x + y, 100 + y, 7], (y * w + x) * 3);
  const img = { data, width: w, height: h, channels: 3 as const };
  const px = (im: { data: Uint8Array; width: number }, x: number, y: number) => Array.from(im.data.slice((y * im.width + x) * 3, (y * im.width + x) * 3 + 3));

  it('copies the inside and replicates the edge pixels outside', () => {
    const c = extractCrop(img, { x: -1, y: -1, size: 4 });
    expect(c.width).toBe(4);
    expect(px(c, 0, 0)).toEqual(px(img, 0, 0)); // corner outside: nearest edge pixel
    expect(px(c, 1, 1)).toEqual(px(img, 0, 0));
    expect(px(c, 3, 2)).toEqual(px(img, 2, 1));
    expect(px(c, 3, 3)).toEqual(px(img, 2, 1)); // below and right: replicated
    expect(px(c, 2, 3)).toEqual(px(img, 1, 1));
  });

  it('drops the alpha channel of RGBA input', () => {
    const rgba = new Uint8Array(4 * 4).map((_, i) => (i % 4 === 3 ? 255 : i));
    const c = extractCrop({ data: rgba, width: 2, height: 2, channels: 4 }, { x: 0, y: 0, size: 2 });
    expect(Array.from(c.data)).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14]);
  });
});

describe('cropAndResize and toCropPixels', () => {
  it('gives a size x size RGB image; a flat colour stays flat', async () => {
    const img = { data: new Uint8Array(50 * 40 * 3).fill(90), width: 50, height: 40, channels: 3 as const };
    const r = await cropAndResize(img, { x: -10, y: -10, size: 70 }, 32);
    expect([r.width, r.height, r.data.length]).toEqual([32, 32, 32 * 32 * 3]);
    expect(r.data.every((v) => v === 90)).toBe(true);
  });

  it('maps source points into the output crop', () => {
    const pts = toCropPixels(
      [
        [100, 50, 0],
        [150, 100, 0],
      ],
      { x: 100, y: 50, size: 100 },
      256,
    );
    expect(pts).toEqual([
      [0, 0],
      [128, 128],
    ]);
  });
});
