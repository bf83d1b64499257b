/**
 * Shared by the export tests: a studio with the demo portrait's avatar and speech on the
 * timeline (the committed tiny pack), ffprobe and ffmpeg decoding of what an export wrote, and
 * the picture measures.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ApiError } from '../../../src/shared/api/errors.ts';
import type { ApiInput, ApiOutput, MethodName } from '../../../src/shared/api/contract.ts';
import { dispatch } from '../../../src/main/api/dispatch.ts';
import { createStudio, type Studio } from '../../../src/main/api/studio.ts';
import type { BakeStatus } from '../../../src/shared/api/engine-types.ts';
import { defaultCameraState } from '../../../src/shared/camera/camera-path.ts';
import { presetKeys } from '../../../src/shared/camera/camera-presets.ts';

const run = promisify(execFile);
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const DEMO_PORTRAIT = join(REPO_ROOT, 'resources/demo/portrait.png');
export const DEMO_SPEECH = join(REPO_ROOT, 'resources/demo/speech.wav');
const ctx = { signal: new AbortController().signal };

export interface TestStudio {
  studio: Studio;
  dir: string;
  call<M extends MethodName>(method: M, input: ApiInput<M>, signal?: AbortSignal): Promise<ApiOutput<M>>;
}

export function makeStudio(prefix: string): TestStudio {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const studio = createStudio({ transport: 'web', projectsDir: join(dir, 'library'), configDir: join(dir, 'config'), appVersion: 'test', resourcesDir: REPO_ROOT });
  return {
    studio,
    dir,
    async call(method, input, signal = ctx.signal) {
      const reply = await dispatch(studio.handlers, method, input, { signal });
      if (!reply.ok) throw ApiError.fromData(reply.error);
      return reply.result as ApiOutput<typeof method>;
    },
  };
}

/** Demo avatar + demo speech at 0 on the timeline; returns the clip id and the avatar id. */
export async function demoProject(t: TestStudio): Promise<{ clipId: string; avatarId: string; speechS: number }> {
  await t.call('project.create', { name: 'Export test' });
  const portrait = await t.call('media.import', { name: 'portrait.png', bytes: new Uint8Array(readFileSync(DEMO_PORTRAIT)) });
  const made = await t.call('avatar.create', { portraitMediaId: portrait.item.id });
  const speech = await t.call('media.import', { name: 'speech.wav', bytes: new Uint8Array(readFileSync(DEMO_SPEECH)) });
  const placed = await t.call('timeline.addClip', { mediaId: speech.item.id, startS: 0 });
  return { clipId: placed.clips[0]!.id, avatarId: made.avatar.id, speechS: speech.item.durationS! };
}

/**
 * A studio on the demo project with the bullet sweep over its first `sweepS` seconds (every frame
 * has its own camera), baked, and `out`: a folder inside the project library, where the studio may
 * write without a dialog (path-access.ts).
 */
export async function openSweptDemo(prefix: string, sweepS: number): Promise<{ t: TestStudio; clipId: string; avatarId: string; out: string }> {
  const t = makeStudio(prefix);
  const { clipId, avatarId } = await demoProject(t);
  const snapshot = (await t.call('project.current', {}))!;
  const keys = presetKeys('bullet', { startS: 0, durationS: sweepS, base: defaultCameraState(snapshot.avatars[0]!.camera) });
  await t.call('camera.setPath', { label: 'Bullet', keys, replace: true });
  await waitForBakes(t);
  const out = join(t.dir, 'library', 'out');
  await mkdir(out, { recursive: true });
  return { t, clipId, avatarId, out };
}

export function waitForBakes(t: TestStudio, timeoutMs = 60_000): Promise<BakeStatus[]> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const look = async (): Promise<void> => {
      const all = await t.call('bake.status', {});
      if (all.length > 0 && all.every((s) => s.state === 'done')) return resolve(all);
      if (all.some((s) => s.state === 'failed')) return reject(new Error(`bake failed: ${JSON.stringify(all)}`));
      if (Date.now() - started > timeoutMs) return reject(new Error('bakes did not finish'));
      setTimeout(() => void look(), 200);
    };
    void look();
  });
}

export interface Probe {
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number; pix_fmt?: string; profile?: string; r_frame_rate?: string; nb_frames?: string; nb_read_frames?: string; duration?: string; sample_rate?: string; channels?: number }>;
  format: { format_name: string; duration?: string };
}

/** ffprobe with frames counted by decoding (nb_read_frames), which every container reports. */
export async function probe(file: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-print_format', 'json', '-show_format', '-show_streams', file], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as Probe;
}

/** Frame n of a video as rgb24 bytes (BT.709 limited range, as the export encodes). */
export async function decodeFrameRgb(file: string, n: number, width: number, height: number): Promise<Uint8Array> {
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${n}),scale=in_color_matrix=bt709:in_range=tv:flags=accurate_rnd+full_chroma_int,format=rgb24`, '-frames:v', '1', '-f', 'rawvideo', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 64 << 20 },
  );
  const bytes = new Uint8Array(stdout);
  if (bytes.length !== width * height * 3) throw new Error(`decoded ${bytes.length} bytes, expected ${width * height * 3}`);
  return bytes;
}

/** The audio of a file as mono float32 at 48 kHz. */
export async function decodeAudio(file: string): Promise<Float32Array> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-vn', '-ac', '1', '-ar', '48000', '-f', 'f32le', 'pipe:1'], { encoding: 'buffer', maxBuffer: 256 << 20 });
  return new Float32Array(new Uint8Array(stdout).slice().buffer);
}

/** PSNR of two 8-bit images of equal size, dB. */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += (a[k]! - b[k]!) ** 2;
  return sum === 0 ? Infinity : 10 * Math.log10((255 * 255) / (sum / a.length));
}

/** A WAV (16-bit mono) of silence with a one-millisecond full-scale click at each time. */
export function clickTrackWav(durationS: number, clicksS: readonly number[], rate = 48_000): Uint8Array<ArrayBuffer> {
  const frames = Math.round(durationS * rate);
  const out = new Uint8Array(44 + frames * 2);
  const view = new DataView(out.buffer);
  const ascii = (o: number, s: string): void => [...s].forEach((c, i) => (out[o + i] = c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + frames * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, frames * 2, true);
  for (const t of clicksS) {
    const first = Math.round(t * rate);
    for (let k = 0; k < rate / 1000; k++) view.setInt16(44 + (first + k) * 2, k % 2 === 0 ? 30000 : -30000, true);
  }
  return out;
}
