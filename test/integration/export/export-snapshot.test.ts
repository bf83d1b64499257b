/**
 * What an export reads is fixed when it starts (issue 7): edits made while it renders (a clip
 * moved and trimmed, a camera key deleted, an undo, the clip removed) leave its output identical
 * to an export of the unedited project; and an export range [startS, endS) gives the frames and
 * sound of that stretch of the whole-timeline export. Everything real, as export-studio.test.ts:
 * the demo avatar (tiny pack), baking in the engine, the CPU rasterizer, Debian's ffmpeg.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress, ExportSettings } from '../../../src/shared/api/contract.ts';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { pngFrameName } from '../../../src/main/export/ffmpeg-args.ts';
import { decodeAudio, decodeFrameRgb, openSweptDemo, probe, waitForBakes, type TestStudio } from './export-helpers.ts';

const W = 320;
const H = 180;
// Three seconds: the face reads its bake in one-second chunks (face-offsets.ts), so the chunks
// after the first are read after the edits.
const base: ExportSettings = { width: W, height: H, fps: 25, format: 'png-sequence', background: { kind: 'transparent' }, range: { startS: 0, endS: 3 } };

describe('export snapshot and range', { timeout: 240_000 }, () => {
  let t: TestStudio;
  let clipId: string;
  let out: string;

  beforeAll(async () => {
    ({ t, clipId, out } = await openSweptDemo('sps-export-snap-', 3));
  }, 120_000);
  afterAll(() => t?.studio.dispose());

  const exportTo = (name: string, settings: Partial<ExportSettings>) => t.call('export.start', { outputPath: join(out, name), settings: { ...base, ...settings } });
  const files = (dir: string): Map<string, Buffer> => new Map(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n))]));

  it('edits made while an export renders do not change its output', async () => {
    const reference = await exportTo('reference', {});
    expect(reference.frames).toBe(75);

    const before = (await t.call('project.current', {}))!;
    let editsDone = false;
    let framesAtEdit = -1;
    let editError: unknown = null;
    let editing: Promise<void> | null = null;
    const off = t.studio.events.on('export.progress', (p: ExportProgress) => {
      if (p.state !== 'rendering' || editing) return;
      editing = (async () => {
        // Moved and trimmed (a new bake key: the scheduler drops the clip's bake and re-bakes)...
        await t.call('timeline.updateClip', { clipId, startS: 0.4, trimInS: 0.5 });
        // ...a camera key deleted and the deletion undone, then the clip removed.
        await t.call('camera.removeKeys', { ids: [before.cameraKeys[1]!.id] });
        await t.call('history.undo', {});
        await t.call('timeline.removeClip', { clipId });
        editsDone = true;
      })().catch((e: unknown) => {
        editError = e;
      });
    });
    const events: ExportProgress[] = [];
    const offEvents = t.studio.events.on('export.progress', (p: ExportProgress) => {
      events.push(p);
      if (editsDone && framesAtEdit < 0) framesAtEdit = p.framesDone;
    });
    let edited;
    try {
      edited = await exportTo('edited', {});
    } finally {
      off();
      offEvents();
    }
    await editing;
    expect(editError).toBeNull();
    expect(editsDone).toBe(true);
    // The edits landed while frames were still to render, not after the export.
    expect(framesAtEdit).toBeGreaterThanOrEqual(0);
    expect(framesAtEdit).toBeLessThan(75);
    const now = (await t.call('project.current', {}))!;
    expect(now.clips).toEqual([]);

    expect(edited.frames).toBe(75);
    const a = files(reference.outputPath);
    const b = files(edited.outputPath);
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect(a.has(pngFrameName(74))).toBe(true);
    for (const [name, bytes] of a) expect(Buffer.compare(b.get(name)!, bytes), name).toBe(0);

    // Undo the removal and the trim: the rest of the file works on the demo timeline again.
    await t.call('history.undo', {});
    await t.call('history.undo', {});
    expect((await t.call('project.current', {}))!.clips[0]!.startS).toBe(0);
    await waitForBakes(t);
  });

  it('a 1.0-2.0 s range is one second long and starts at frame 25 of the whole timeline', async () => {
    const whole = await exportTo('whole.mp4', { format: 'mp4-h264', background: { kind: 'color', color: '#336699' }, range: undefined, width: 160, height: 90 });
    const part = await exportTo('part.mp4', { format: 'mp4-h264', background: { kind: 'color', color: '#336699' }, range: { startS: 1, endS: 2 }, width: 160, height: 90 });
    expect(part.frames).toBe(25);
    const info = await probe(part.outputPath);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    const audio = info.streams.find((s) => s.codec_type === 'audio')!;
    expect(Number(video.nb_read_frames)).toBe(25);
    expect(Math.abs(Number(info.format.duration) - 1)).toBeLessThan(0.05);
    expect(Math.abs(Number(audio.duration) - 1)).toBeLessThan(0.05);

    // Frame 0 of the range is frame 25 of the whole export: same picture (up to the encoder's
    // choices for a first, intra frame), much closer than to its neighbours.
    const first = await decodeFrameRgb(part.outputPath, 0, 160, 90);
    const diff = async (n: number): Promise<number> => {
      const other = await decodeFrameRgb(whole.outputPath, n, 160, 90);
      let sum = 0;
      for (let k = 0; k < other.length; k++) sum += Math.abs(other[k]! - first[k]!);
      return sum / other.length;
    };
    const at25 = await diff(25);
    expect(at25).toBeLessThan(2);
    expect(at25).toBeLessThan(await diff(24));
    expect(at25).toBeLessThan(await diff(26));

    // The range's sound: the whole export's samples from 1.0 s on (AAC: compare loudness envelopes).
    const wholeAudio = await decodeAudio(whole.outputPath);
    const partAudio = await decodeAudio(part.outputPath);
    const rms = (s: Float32Array, from: number, n: number): number => {
      let sum = 0;
      for (let k = from; k < from + n; k++) sum += (s[k] ?? 0) ** 2;
      return Math.sqrt(sum / n);
    };
    const win = 4800;
    for (let w = 1; w < 9; w++) {
      const expected = rms(wholeAudio, 48_000 + w * win, win);
      expect(Math.abs(rms(partAudio, w * win, win) - expected), `window ${w}`).toBeLessThan(0.1 * expected + 1e-3);
    }
  });

  it('a PNG range frame is bit-exact with the same frame of the whole timeline', async () => {
    const whole = await exportTo('whole-png', { range: undefined, width: 64, height: 36 });
    const part = await exportTo('part-png', { range: { startS: 1, endS: 2 }, width: 64, height: 36 });
    expect(part.frames).toBe(25);
    expect(Buffer.compare(readFileSync(join(part.outputPath, pngFrameName(0))), readFileSync(join(whole.outputPath, pngFrameName(25))))).toBe(0);
    // The range's sound is the whole mix's samples from 1.0 s on (float WAV, 58-byte header).
    const samples = (dir: string): Float32Array => new Float32Array(new Uint8Array(readFileSync(join(dir, 'audio.wav'))).slice(58).buffer);
    const partSound = samples(part.outputPath);
    const wholeSound = samples(whole.outputPath);
    expect(partSound.length).toBe(48_000);
    let worst = 0;
    for (let k = 0; k < partSound.length; k++) worst = Math.max(worst, Math.abs(partSound[k]! - wholeSound[48_000 + k]!));
    expect(worst).toBeLessThan(1e-4);
  });

  it('refuses a range outside the project with a clear error', async () => {
    const snapshot = (await t.call('project.current', {}))!;
    const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ApiError);
    const past = await failure(exportTo('past.mp4', { format: 'mp4-h264', background: { kind: 'predicted' }, range: { startS: 1, endS: 60 } }));
    expect(past).toBeInstanceOf(ApiError);
    expect(past?.code).toBe('INVALID_INPUT');
    expect(past?.message).toMatch(/range.*60.*project.*(ends|long)/i);
    const backwards = await failure(exportTo('back.mp4', { format: 'mp4-h264', background: { kind: 'predicted' }, range: { startS: 2, endS: 1 } }));
    expect(backwards?.code).toBe('INVALID_INPUT');
    expect(snapshot.clips.length).toBe(1);
  });
});
