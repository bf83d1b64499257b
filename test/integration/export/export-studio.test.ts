/**
 * Export through the studio's API with everything real: the demo avatar (tiny pack), baking in the
 * engine process, the native rasterizer (CPU here) and Debian's ffmpeg. Videos are tiny (at most
 * 160x90, 1-2 s) so the file runs in well under a minute on two cores.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress, ExportSettings } from '../../../src/shared/api/contract.ts';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { blendToRest, offsetsAt, restWeightAt } from '../../../src/shared/bake/offset-interpolation.ts';
import { cameraAt } from '../../../src/shared/camera/camera-path.ts';
import { intrinsicsFromFovY } from '../../../src/shared/camera/pinhole.ts';
import type { ProjectSnapshot } from '../../../src/shared/project/types.ts';
import { splatsFromBytes } from '../../../src/shared/splats/splat-bytes.ts';
import { animationTimeAt } from '../../../src/shared/timeline/time-warp.ts';
import { exportBackdrop, type FrameBackdrop } from '../../../src/main/export/export-background.ts';
import { EXPORT_FAR, EXPORT_NEAR } from '../../../src/main/export/frame-plan.ts';
import { pngFrameName } from '../../../src/main/export/ffmpeg-args.ts';
import { render, type RasterBackground } from '../../../src/main/raster/native-raster.ts';
import { toRgba8 } from '../../../src/main/raster/png-writer.ts';
import { clickTrackWav, decodeAudio, decodeFrameRgb, openSweptDemo, probe, psnr, waitForBakes, type TestStudio } from './export-helpers.ts';

const W = 160;
const H = 90;
const base: ExportSettings = { width: W, height: H, fps: 25, format: 'mp4-h264', background: { kind: 'predicted' }, range: { startS: 0, endS: 1 } };

describe('export through the studio API', { timeout: 180_000 }, () => {
  let t: TestStudio;
  let clipId: string;
  let avatarId: string;
  let out: string;

  beforeAll(async () => {
    ({ t, clipId, avatarId, out } = await openSweptDemo('sps-export-', 2));
  }, 120_000);
  afterAll(() => t?.studio.dispose());

  const exportTo = (name: string, settings: Partial<ExportSettings>, signal?: AbortSignal) =>
    t.call('export.start', { outputPath: join(out, name), settings: { ...base, ...settings } }, signal);

  it('writes each format with the asked size, rate, frame count, pixel format and matching audio length', async () => {
    const cases: Array<{ name: string; settings: Partial<ExportSettings>; codec: string; pixFmt: RegExp; audio: string | null }> = [
      { name: 'h264.mp4', settings: {}, codec: 'h264', pixFmt: /^yuv420p$/, audio: 'aac' },
      { name: 'h265.mp4', settings: { format: 'mp4-h265' }, codec: 'hevc', pixFmt: /^yuv420p$/, audio: 'aac' },
      { name: 'vp9.webm', settings: { format: 'webm-vp9', fps: 30 }, codec: 'vp9', pixFmt: /^yuv420p$/, audio: 'opus' },
      { name: 'prores.mov', settings: { format: 'mov-prores4444', background: { kind: 'transparent' }, fps: 24 }, codec: 'prores', pixFmt: /^yuva444p1[02]le$/, audio: 'pcm_s16le' },
      { name: 'prores-opaque.mov', settings: { format: 'mov-prores4444', width: 96, height: 54, background: { kind: 'color', color: '#336699' } }, codec: 'prores', pixFmt: /^yuv444p1[02]le$/, audio: 'pcm_s16le' },
    ];
    for (const c of cases) {
      const result = await exportTo(c.name, c.settings);
      const settings = { ...base, ...c.settings };
      const frames = Math.round(settings.fps * 1);
      expect(result.frames).toBe(frames);
      const report = await probe(result.outputPath);
      const video = report.streams.find((s) => s.codec_type === 'video')!;
      const audio = report.streams.find((s) => s.codec_type === 'audio');
      expect([c.name, video.codec_name, video.width, video.height, video.r_frame_rate, Number(video.nb_read_frames)]).toEqual([
        c.name, c.codec, settings.width, settings.height, `${settings.fps}/1`, frames,
      ]);
      // ffprobe names the decoder's format: ProRes 4444 (stored 10-bit) decodes to 12 bits; 'a' = alpha.
      expect(video.pix_fmt, c.name).toMatch(c.pixFmt);
      if (c.codec === 'prores') expect(video.profile).toBe('4444');
      expect(audio?.codec_name).toBe(c.audio);
      expect(audio?.sample_rate).toBe('48000');
      // Audio as long as the video, within one frame (containers report durations their own way).
      const videoS = frames / settings.fps;
      const audioS = Number(audio?.duration ?? report.format.duration);
      expect(Math.abs(audioS - videoS), c.name).toBeLessThanOrEqual(1 / settings.fps);
    }
    const history = await t.call('export.history', {});
    expect(history.slice(0, cases.length).every((r) => r.status === 'done' && r.frames !== null && r.error === null)).toBe(true);
    expect(history[0]!.outputPath).toBe(join(out, cases.at(-1)!.name));
    // Nothing but the outputs in the folder: no temporary left behind.
    expect(readdirSync(out).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  /** The frame the rasterizer makes for output time tS, straight from the API's own data. */
  async function referenceFrame(snapshot: ProjectSnapshot, tS: number, background: RasterBackground | FrameBackdrop, alpha: 'straight' | 'opaque'): Promise<Uint8Array> {
    const buffers = await t.call('avatar.buffers', { avatarId });
    const splats = splatsFromBytes(buffers.splats);
    const rest = new Float32Array((await t.call('bake.restOffsets', { avatarId })).bytes.slice().buffer);
    const status = (await t.call('bake.status', {})).find((s) => s.clipId === clipId)!;
    const clip = snapshot.clips.find((c) => c.id === clipId)!;
    const local = animationTimeAt(snapshot.timeWarp, tS) - clip.startS;
    const baked = await t.call('bake.offsets', { clipId, firstFrame: 0, count: status.total });
    const all = new Float32Array(baked.bytes.slice().buffer);
    const n = splats.means.length;
    const offsets = new Float32Array(n);
    expect(offsetsAt(local, { fps: status.fps, frames: status.total }, (f) => all.subarray(f * n, (f + 1) * n), offsets)).toBe(true);
    const media = snapshot.media.find((m) => m.id === clip.mediaId)!;
    const weight = restWeightAt(local, media.durationS! - clip.trimInS - clip.trimOutS);
    if (weight > 0) blendToRest(offsets, rest, weight, offsets);
    for (let k = 0; k < n; k++) splats.means[k]! += offsets[k]!;
    const state = cameraAt(snapshot.cameraKeys, tS)!;
    const camera = { width: W, height: H, ...intrinsicsFromFovY(state.fovDeg, W, H), view: state.view, near: EXPORT_NEAR, far: EXPORT_FAR };
    const frame = render(splats, camera, { background: 'at' in background ? background.at(camera) : background, backend: 'cpu' });
    return toRgba8({ width: W, height: H, rgb: frame.rgb, alpha: frame.alpha }, alpha);
  }

  it('a PNG-sequence frame is bit-exact with the rasterizer at the same time and camera; H.264 stays above 30 dB PSNR', async () => {
    const snapshot = (await t.call('project.current', {}))!;
    const png = await exportTo('frames', { format: 'png-sequence', background: { kind: 'transparent' }, range: { startS: 0.2, endS: 0.6 } });
    expect(png.frames).toBe(10);
    const names = readdirSync(png.outputPath).sort();
    expect(names).toEqual([...Array.from({ length: 10 }, (_, i) => pngFrameName(i)), 'audio.wav'].sort());
    for (const i of [0, 5, 9]) {
      const expected = await referenceFrame(snapshot, 0.2 + i / 25, { color: [0, 0, 0] }, 'straight');
      const { data, info } = await sharp(join(png.outputPath, pngFrameName(i))).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([W, H, 4]);
      expect(Buffer.compare(data, Buffer.from(expected)), `frame ${i}`).toBe(0);
    }

    // Lossy: BT.709 4:2:0 at CRF 18 of a 160x90 frame; measured 37.3-37.7 dB here, so 30 dB
    // leaves room for encoder versions while catching any misplaced frame, camera or colour matrix.
    const mp4 = await exportTo('psnr.mp4', {});
    // The predicted background is the avatar's card seen through each frame's camera (issue 7).
    const buffers = await t.call('avatar.buffers', { avatarId });
    const avatar = (await t.call('project.current', {}))!.avatars.find((a) => a.id === avatarId)!;
    const background = await exportBackdrop({ kind: 'predicted' }, W, H, { avatarBackground: buffers.background, avatarCamera: avatar.camera, means: splatsFromBytes(buffers.splats).means });
    for (const i of [0, 12, 24]) {
      const rgba = await referenceFrame(snapshot, i / 25, background, 'opaque');
      const rgb = Uint8Array.from({ length: W * H * 3 }, (_, k) => rgba[4 * Math.floor(k / 3) + (k % 3)]!);
      const decoded = await decodeFrameRgb(mp4.outputPath, i, W, H);
      const db = psnr(decoded, rgb);
      expect(db, `frame ${i}: ${db.toFixed(1)} dB`).toBeGreaterThan(30);
      // The neighbour frames are further away: the frame is the right one, not just a similar one.
      if (i > 0) expect(psnr(await decodeFrameRgb(mp4.outputPath, i - 1, W, H), rgb)).toBeLessThan(db);
    }
  });

  it('cancel mid-export kills ffmpeg, leaves nothing under the chosen name, is recorded, and a rerun succeeds', async () => {
    const events: ExportProgress[] = [];
    const off = t.studio.events.on('export.progress', (p) => {
      events.push(p);
      if (p.state === 'rendering' && p.framesDone >= 5) void t.call('export.cancel', { id: p.id });
    });
    const target = join(out, 'cancelled.mp4');
    // Frames rendered one by one; progress comes every 250 ms, so a longer export is needed to see it.
    const failed = await exportTo('cancelled.mp4', { range: undefined, width: 320, height: 180 }).catch((e: unknown) => e);
    off();
    expect(failed).toBeInstanceOf(ApiError);
    expect((failed as ApiError).code).toBe('CANCELLED');
    expect(events.some((e) => e.state === 'rendering')).toBe(true);
    expect(events.at(-1)!.state).toBe('cancelled');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(out).filter((n) => n.startsWith('cancelled.mp4'))).toEqual([]);
    const [latest] = await t.call('export.history', {});
    expect(latest!.status).toBe('cancelled');
    expect(latest!.frames).toBeGreaterThanOrEqual(5);

    const again = await exportTo('cancelled.mp4', {});
    expect(again.frames).toBe(25);
    expect(existsSync(target)).toBe(true);
  });

  it('refuses bad settings and environments with their specific errors, before rendering', async () => {
    const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ApiError);
    const odd = await failure(exportTo('odd.mp4', { width: 161 }));
    expect(odd?.code).toBe('INVALID_INPUT');
    expect(odd?.message).toMatch(/even.*161x90|161x90.*even/);
    const alpha = await failure(exportTo('alpha.mp4', { background: { kind: 'transparent' } }));
    expect(alpha?.message).toMatch(/mp4-h264 has no alpha channel/);

    const saved = process.env.SPLAT_STUDIO_FFMPEG;
    process.env.SPLAT_STUDIO_FFMPEG = '/nonexistent/bin/ffmpeg';
    try {
      const missing = await failure(exportTo('missing.mp4', {}));
      expect(missing?.code).toBe('MISSING_TOOL');
      expect(missing?.message).toContain('/nonexistent/bin/ffmpeg');
    } finally {
      if (saved === undefined) delete process.env.SPLAT_STUDIO_FFMPEG;
      else process.env.SPLAT_STUDIO_FFMPEG = saved;
    }

    // Root writes through permission bits, so as root a kernel file system stands in (EACCES).
    let locked: string;
    if (process.getuid?.() === 0) {
      locked = '/sys';
    } else {
      locked = join(t.dir, 'locked');
      await mkdir(locked);
      await chmod(locked, 0o555);
    }
    t.studio.grantPath(join(locked, 'x.mp4'));
    const started = performance.now();
    const readOnly = await failure(t.call('export.start', { outputPath: join(locked, 'x.mp4'), settings: base }));
    expect(readOnly?.code).toBe('READ_ONLY');
    expect(readOnly?.message).toContain(locked);
    expect(performance.now() - started).toBeLessThan(2000);
    const records = await t.call('export.history', {});
    expect(records.slice(0, 2).map((r) => r.status)).toEqual(['failed', 'failed']);
  });

  it('puts a click track on the expected frames (A/V sync)', async () => {
    // Clicks at 0.3, 0.9 and 1.5 s of the file; the clip starts at 0.2 s, so they sound at 0.5, 1.1, 1.7 s.
    const clicks = [0.3, 0.9, 1.5];
    const wav = await t.call('media.import', { name: 'clicks.wav', bytes: clickTrackWav(2, clicks) });
    await t.call('timeline.updateClips', { label: 'Clicks', changes: [{ clipId, mediaId: wav.item.id, startS: 0.2 }] });
    await waitForBakes(t);
    const result = await exportTo('clicks.mp4', { range: { startS: 0, endS: 2.2 } });
    const samples = await decodeAudio(result.outputPath);
    const onsets: number[] = [];
    for (let k = 0; k < samples.length; k++) {
      if (Math.abs(samples[k]!) > 0.3 && (onsets.length === 0 || k / 48_000 - onsets.at(-1)! > 0.2)) onsets.push(k / 48_000);
    }
    expect(onsets).toHaveLength(3);
    clicks.forEach((c, i) => expect(Math.abs(onsets[i]! - (c + 0.2)), `click ${i} at ${onsets[i]}`).toBeLessThan(1 / 25));
    expect(readFileSync(result.outputPath).subarray(4, 8).toString('latin1')).toBe('ftyp');
  });
});
