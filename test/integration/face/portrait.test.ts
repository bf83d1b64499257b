/**
 * The portrait path of the studio (analysePortrait) on real pictures from ../shared/data/portraits:
 * a frontal photo, two faces in one picture (two portraits side by side, made in memory: the
 * shared portraits have one face each), no face (a dog), a face too small, a head cut by the border.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isRotation } from '../../../src/main/engine/face/camera-estimate.ts';
import { MIN_FACE_WIDTH_PX, analysePortrait, portraitCropPng } from '../../../src/main/engine/face/portrait.ts';
import type { RgbImage } from '../../../src/main/engine/face/types.ts';
import { HAS_SHARED_DATA, SHARED_DATA, SKIP_REASON } from './shared-data.ts';

const deg = 180 / Math.PI;

async function load(pipeline: ReturnType<typeof sharp>): Promise<RgbImage> {
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: 3 };
}
const portrait = (name: string) => sharp(join(SHARED_DATA, 'portraits', name)).rotate();

describe.skipIf(!HAS_SHARED_DATA)(`portrait analysis on real pictures (${HAS_SHARED_DATA ? 'shared portraits' : SKIP_REASON})`, () => {
  it('a frontal portrait: one face, a crop around the head, a near-identity camera in front', { timeout: 60_000 }, async () => {
    const img = await load(portrait('real3d_macron.png')); // 512x512, frontal
    const r = await analysePortrait(img, 256);
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    // One face; the crop reaches 11 px past the bottom of this tightly framed picture (padded).
    expect(r.warnings.map((w) => w.kind)).toEqual(['face-cut-by-border']);
    expect(r.face.score).toBeGreaterThan(0.8);
    expect(r.face.mesh).toHaveLength(478);
    // Frontal within 10 degrees on each axis (measured yaw -0.6, pitch -2.1, roll -0.1 degrees).
    for (const a of [r.camera.rotation.yaw, r.camera.rotation.pitch, r.camera.rotation.roll]) expect(Math.abs(a * deg)).toBeLessThan(10);
    expect(isRotation(r.camera.rotation.matrix, 1e-9)).toBe(true);
    const t = r.camera.translation;
    expect(t[2]).toBeGreaterThan(0.5); // 0.15 m face in 1/2.4 of a 28-degree view: about 0.72 m
    expect(t[2]).toBeLessThan(1);
    expect(Math.hypot(t[0], t[1])).toBeLessThan(0.1 * t[2]); // head origin near the crop centre
    // The crop holds the face: every landmark inside, the face 1/2.4 of the side.
    for (const [u, v] of r.landmarks) {
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThan(256);
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(256);
    }
    expect((r.face.faceWidth * 256) / r.crop.size).toBeCloseTo(256 / 2.4, 0);
    const png = await portraitCropPng(img, r);
    const m = await sharp(png).metadata();
    expect([m.format, m.width, m.height]).toEqual(['png', 256, 256]);
  });

  it('two faces: the largest is chosen and the other listed', { timeout: 60_000 }, async () => {
    const big = await portrait('real3d_macron.png').resize(512, 512).png().toBuffer();
    const small = await portrait('sadtalker_art_1.png').resize(320, 320).png().toBuffer();
    const img = await load(
      sharp({ create: { width: 900, height: 512, channels: 3, background: { r: 128, g: 128, b: 128 } } }).composite([
        { input: big, left: 0, top: 0 },
        { input: small, left: 560, top: 96 },
      ]),
    );
    const r = await analysePortrait(img);
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    const several = r.warnings.find((w) => w.kind === 'several-faces');
    expect(several?.kind).toBe('several-faces');
    if (several?.kind !== 'several-faces') return;
    expect(several.others).toHaveLength(1);
    const other = several.others[0]!;
    expect(r.face.mesh[1]![0]).toBeLessThan(512); // the big face, on the left (mesh 1: nose tip)
    expect(other.mesh[1]![0]).toBeGreaterThan(560);
    expect(other.faceWidth).toBeLessThan(r.face.faceWidth);
  });

  it('no face: a clear result, not an exception', { timeout: 60_000 }, async () => {
    const r = await analysePortrait(await load(portrait('liveportrait_s32.jpg'))); // a dog
    expect(r.status).toBe('no-face');
    if (r.status === 'no-face') expect(r.message).toMatch(/No face/);
  });

  it(`a face under ${MIN_FACE_WIDTH_PX} px wide is reported too small`, { timeout: 60_000 }, async () => {
    // hallo_1 (1432 px, face 510 px wide) at 1/9: a face of about 57 px in a larger grey canvas.
    const face = await portrait('hallo_1.jpg').resize(160, 160).png().toBuffer();
    const img = await load(
      sharp({ create: { width: 400, height: 400, channels: 3, background: { r: 128, g: 128, b: 128 } } }).composite([{ input: face, left: 120, top: 120 }]),
    );
    const r = await analysePortrait(img);
    expect(r.status).toBe('face-too-small');
    if (r.status === 'face-too-small') {
      expect(r.face.faceWidth).toBeLessThan(MIN_FACE_WIDTH_PX);
      expect(r.message).toMatch(/at least 64 px/);
    }
  });

  it('a head cut by the picture border is padded, with a warning', { timeout: 60_000 }, async () => {
    // The left 40 % of a frontal portrait: the crop reaches past the left border.
    const img = await load(portrait('real3d_macron.png').extract({ left: 180, top: 0, width: 332, height: 512 }));
    const r = await analysePortrait(img);
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    const cut = r.warnings.find((w) => w.kind === 'face-cut-by-border');
    expect(cut?.kind).toBe('face-cut-by-border');
    if (cut?.kind === 'face-cut-by-border') expect(cut.overflow.left).toBeGreaterThan(0);
    const m = await sharp(await portraitCropPng(img, r)).metadata();
    expect([m.width, m.height]).toEqual([256, 256]);
  });
});
