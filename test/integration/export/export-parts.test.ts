/**
 * The export's parts against slow, obviously-correct references: pixel packing against the png
 * writer, the audio mix against per-sample stepping through the time warp, the float WAV header
 * against ffprobe, error classification, stale temporaries, the CLI's option parsing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { AudioClip, TimeWarpSegment, Track } from '../../../src/shared/project/types.ts';
import { animationTimeAt } from '../../../src/shared/timeline/time-warp.ts';
import { removeStalePartials } from '../../../src/main/export/atomic-output.ts';
import { floatWavHeader, mixBlock, MIX_RATE, writeMixWav } from '../../../src/main/export/audio-mix.ts';
import { ffmpegFailure } from '../../../src/main/export/ffmpeg-encoder.ts';
import { packFrame } from '../../../src/main/export/frame-pixels.ts';
import { contentEndS, planFrames } from '../../../src/main/export/frame-plan.ts';
import { to8, toRgba8 } from '../../../src/main/raster/png-writer.ts';
import { exportSettingsFrom, parseBitrate, UsageError } from '../../../src/main/cli/cli-options.ts';
import { parseCommandLine } from '../../../src/main/cli/studio-cli.ts';
import { DEMO_PORTRAIT, DEMO_SPEECH } from './export-helpers.ts';
import { seededPrng } from '../../helpers/prng.ts';
import { useTmpDirs } from '../../helpers/tmp-dir.ts';

const run = promisify(execFile);

describe('frame pixels', () => {
  it('pack the same bytes as the png writer, rgb24 and straight rgba', () => {
    const prng = seededPrng(7);
    const random = (): number => prng.next();
    const pixels = 997;
    const rgb = Float32Array.from({ length: pixels * 3 }, () => random() * 1.4 - 0.2);
    const alpha = Float32Array.from({ length: pixels }, (_, p) => (p % 50 === 0 ? 0 : p % 31 === 0 ? 1 / 600 : random()));
    rgb[5] = Number.NaN;
    const image = { width: pixels, height: 1, rgb, alpha };
    const rgba = new Uint8Array(pixels * 4);
    packFrame(rgb, alpha, 'rgba', rgba);
    expect(rgba).toEqual(toRgba8(image, 'straight'));
    const opaque = toRgba8(image, 'opaque');
    const rgb24 = new Uint8Array(pixels * 3);
    packFrame(rgb, alpha, 'rgb24', rgb24);
    expect(rgb24).toEqual(Uint8Array.from({ length: pixels * 3 }, (_, k) => opaque[4 * Math.floor(k / 3) + (k % 3)]!));
  });
});

describe('to8', () => {
  it('is Math.round(255 * clamp(v, 0, 1)) on float32 values, ties and edges included, NaN as 0', () => {
    const reference = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, Number.isNaN(v) ? 0 : v)));
    const values = [Number.NaN, -1, -0, 0, 1, 2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (let k = 0; k <= 255; k++) {
      for (const t of [k - 0.5, k, k + 0.5]) {
        const v = Math.fround(t / 255);
        // The float32 at the tie and its neighbours on both sides.
        values.push(v, Math.fround(v * (1 + 2 ** -23)), Math.fround(v * (1 - 2 ** -23)));
      }
    }
    for (let i = 0; i < 100_000; i++) values.push(Math.fround(i / 99_999));
    for (const v of values) expect(to8(v), String(v)).toBe(reference(v));
  });
});

describe('audio mix', () => {
  const tracks: Track[] = [
    { id: 'a', kind: 'audio', name: 'A', position: 0, muted: false, solo: false, gain: 0.5 },
    { id: 'b', kind: 'audio', name: 'B', position: 1, muted: false, solo: false, gain: 2 },
    { id: 'm', kind: 'audio', name: 'M', position: 2, muted: true, solo: false, gain: 1 },
  ];
  const clips: AudioClip[] = [
    { id: 'c1', trackId: 'a', mediaId: 'x', startS: 0.1, trimInS: 0.2, trimOutS: 0.3, gain: 1.5 },
    { id: 'c2', trackId: 'b', mediaId: 'y', startS: 0.5, trimInS: 0, trimOutS: 0, gain: 1 },
    { id: 'c3', trackId: 'm', mediaId: 'y', startS: 0, trimInS: 0, trimOutS: 0, gain: 1 },
  ];
  const media = new Map([
    ['x', 1.5],
    ['y', 0.8],
  ]);
  const segments: TimeWarpSegment[] = [
    { id: 's1', startS: 0.6, endS: 0.8, rate: 0, audioMode: 'pause', clipId: null },
    { id: 's2', startS: 1.2, endS: 1.3, rate: 0.5, audioMode: 'silence', clipId: null },
  ];
  /** Each media is a ramp whose value names its time: value = (id code) + mediaTime. */
  const signal = (mediaId: string, t: number): number => (mediaId === 'x' ? 10 : 20) + t;
  const decode = async (mediaId: string, startS: number, durationS: number): Promise<Float32Array> => {
    const first = Math.round(startS * MIX_RATE);
    const length = Math.min(Math.round(durationS * MIX_RATE), Math.round(media.get(mediaId)! * MIX_RATE) - first);
    return Float32Array.from({ length: Math.max(0, length) }, (_, k) => signal(mediaId, (first + k) / MIX_RATE));
  };

  it('equals stepping sample by sample through the warp, gains, mute and trims', async () => {
    const schedule = { clips, tracks, mediaDurations: media, segments };
    const startS = 0.05;
    const total = Math.round(1.5 * MIX_RATE);
    const block = new Float32Array(total);
    await mixBlock({ schedule, startS, decode, signal: new AbortController().signal }, 0, block);
    let worst = 0;
    let checked = 0;
    for (let s = 0; s < total; s += 7) {
      const t = startS + s / MIX_RATE;
      const inside = segments.some((g) => t >= g.startS && t < g.endS);
      const a = animationTimeAt(segments, t);
      let expected = 0;
      if (!inside) {
        for (const c of clips) {
          const track = tracks.find((k) => k.id === c.trackId)!;
          const length = media.get(c.mediaId)! - c.trimInS - c.trimOutS;
          if (track.muted || a < c.startS || a >= c.startS + length) continue;
          expected += track.gain * c.gain * signal(c.mediaId, c.trimInS + a - c.startS);
        }
      }
      // Span edges fall on the nearest sample: skip samples within two samples of an edge.
      const nearEdge = [0.6, 0.8, 1.2, 1.3, 0.15, 0.5 + 0.2 + 0.2, 0.5].some((e) => Math.abs(t - e) < 2 / MIX_RATE);
      if (nearEdge) continue;
      worst = Math.max(worst, Math.abs(block[s]! - expected));
      checked++;
    }
    expect(checked).toBeGreaterThan(9000);
    // One sample of timing (1/48000 s) on a ramp of slope <= 0.5*1.5 + 2 is < 1e-4; float32 sums add ~1e-5.
    expect(worst).toBeLessThan(2e-4);
  });

  const tmp = useTmpDirs('sps-mix');
  it('writes a float WAV that ffmpeg reads at 48 kHz with exactly the asked length', async () => {
    const dir = await tmp();
    const path = join(dir, 'mix.wav');
    await writeMixWav(path, { schedule: { clips, tracks, mediaDurations: media, segments: [] }, startS: 0, durationS: 1.24, decode, signal: new AbortController().signal });
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate,channels,duration_ts', '-of', 'json', path]);
    const stream = (JSON.parse(stdout) as { streams: Array<Record<string, unknown>> }).streams[0]!;
    expect(stream).toMatchObject({ codec_name: 'pcm_f32le', sample_rate: '48000', channels: 1, duration_ts: Math.round(1.24 * MIX_RATE) });
    expect(floatWavHeader(10).length).toBe(58);
  });
});

describe('export plan and errors', () => {
  it('lasts until the last clip ends through a pausing warp, in whole frames', () => {
    const snapshot = {
      media: [{ id: 'x', durationS: 2 }] as never,
      clips: [{ id: 'c', trackId: 'a', mediaId: 'x', startS: 1, trimInS: 0.5, trimOutS: 0, gain: 1 }],
      timeWarp: [{ id: 's', startS: 0.5, endS: 1, rate: 0, audioMode: 'pause' as const, clipId: null }],
      cameraKeys: [],
    };
    // Animation end 2.5 s, pushed 0.5 s later by the freeze.
    expect(contentEndS(snapshot)).toBeCloseTo(3, 12);
    expect(planFrames(snapshot, { fps: 24 })).toEqual({ startS: 0, fps: 24, frames: 72, durationS: 3 });
    expect(planFrames(snapshot, { fps: 30, range: { startS: 1, endS: 1.01 } }).frames).toBe(1);
  });

  it('classify ffmpeg failures a creator can act on', () => {
    expect(ffmpegFailure('av_interleaved_write_frame(): No space left on device\n', 'exit code 1', '/x/a.mp4').code).toBe('DISK_FULL');
    expect(ffmpegFailure('/x/a.mp4: Permission denied', 'exit code 1', '/x/a.mp4').code).toBe('READ_ONLY');
    const other = ffmpegFailure('\nUnknown encoder foo\nmore', 'exit code 1', '/x/a.mp4');
    expect([other.code, other.message]).toEqual(['INTERNAL', 'ffmpeg failed (exit code 1): Unknown encoder foo']);
  });

  const tmp = useTmpDirs('sps-partials');
  it('remove temporaries of dead runs only', async () => {
    const dir = await tmp();
    const final = join(dir, 'a.mp4');
    // pid 2^22 + 1 is above Linux's pid_max limit, so never alive.
    await writeFile(`${final}.partial-4194305-abcd`, 'x');
    await mkdir(`${final}.partial-4194305-beef`);
    await writeFile(`${final}.partial-${process.pid}-cafe`, 'x');
    await writeFile(join(dir, 'b.mp4.partial-4194305-abcd'), 'x');
    await removeStalePartials(final);
    expect(existsSync(`${final}.partial-4194305-abcd`)).toBe(false);
    expect(existsSync(`${final}.partial-4194305-beef`)).toBe(false);
    expect(existsSync(`${final}.partial-${process.pid}-cafe`)).toBe(true);
    expect(existsSync(join(dir, 'b.mp4.partial-4194305-abcd'))).toBe(true);
  });
});

describe('CLI options', () => {
  it('turn presets, formats by extension, quality and backgrounds into settings', () => {
    expect(parseBitrate('8M')).toBe(8000);
    expect(parseBitrate('800k')).toBe(800);
    expect(parseBitrate('2500000')).toBe(2500);
    const vertical = exportSettingsFrom({ out: 'a.webm', preset: 'vertical', fps: '30', crf: '33', background: '#102030' });
    expect(vertical.settings).toEqual({ width: 1080, height: 1920, fps: 30, format: 'webm-vp9', quality: { mode: 'crf', crf: 33 }, background: { kind: 'color', color: '#102030' } });
    expect(exportSettingsFrom({ out: '/x/frames' }).settings.format).toBe('png-sequence');
    expect(exportSettingsFrom({ out: 'a.mov', background: 'transparent' }).settings).toMatchObject({ format: 'mov-prores4444', width: 1920 });
    const refusals: Array<[Record<string, string>, RegExp]> = [
      [{ out: 'a.mp4', fps: '29.97' }, /--fps must be one of 24, 25, 30, 50, 60/],
      [{ out: 'a.mp4', background: 'transparent' }, /no alpha channel/],
      [{ out: 'a.mp4', size: '1001x1000' }, /even/],
      [{ out: 'a.mp4', preset: '8k' }, /--preset must be one of/],
      [{ out: 'a.mp4', crf: '60' }, /CRF for mp4-h264 is 0..51/],
      [{ out: 'a.mp4', crf: '20', bitrate: '8M' }, /either --crf or --bitrate/],
      [{}, /--out FILE is required/],
      [{ out: 'a.mp4', from: '1' }, /--from needs --to/],
      [{ out: 'a.mp4', from: '2', to: '1' }, /--to must be after --from/],
      [{ out: 'a.mp4', from: '-1', to: '1' }, /--from must be a time in seconds/],
      [{ out: 'a.mp4', to: 'abc' }, /--to must be a time in seconds/],
    ];
    expect(exportSettingsFrom({ out: 'a.mp4', from: '1', to: '2.5' }).settings.range).toEqual({ startS: 1, endS: 2.5 });
    expect(exportSettingsFrom({ out: 'a.mp4', to: '3' }).settings.range).toEqual({ startS: 0, endS: 3 });
    expect(exportSettingsFrom({ out: 'a.mp4' }).settings.range).toBeUndefined();
    for (const [values, message] of refusals) {
      expect(() => exportSettingsFrom(values)).toThrow(UsageError);
      expect(() => exportSettingsFrom(values)).toThrow(message);
    }
  });

  it('render takes a camera preset (bullet by default); an unknown one is a usage error', () => {
    const args = ['render', '--portrait', DEMO_PORTRAIT, '--audio', DEMO_SPEECH, '--out', 'a.mp4'];
    expect(parseCommandLine(args)).toMatchObject({ command: 'render', camera: 'bullet' });
    expect(parseCommandLine([...args, '--camera', 'static'])).toMatchObject({ camera: 'static' });
    expect(() => parseCommandLine([...args, '--camera', 'spin'])).toThrow(/--camera: "spin" is not one of bullet, orbit, dolly-in, static/);
    expect(() => parseCommandLine(['export', 'p.splatproj', '--out', 'a.mp4', '--camera', 'static'])).toThrow(UsageError);
  });
});
