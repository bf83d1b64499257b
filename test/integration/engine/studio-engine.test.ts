/**
 * The engine through the studio's API, as the UI drives it, with a real engine child process:
 * portrait -> avatar (stored, undoable, PLY export), speech on the timeline -> baked offsets
 * (binary), a trim change re-bakes, a killed engine is reported and recovered by a retry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStudio, type Studio } from '../../../src/main/api/studio.ts';
import { defaultPackDir } from '../../../src/main/engine/models/pack-registry.ts';
import type { BakeStatus } from '../../../src/shared/api/engine-types.ts';
import { readSplatPly } from '../../../src/shared/splats/ply.ts';
import { splatsFromBytes } from '../../../src/shared/splats/splat-bytes.ts';
import { REPO_ROOT, tempDir } from '../project/store-helpers.ts';

const ctx = { signal: new AbortController().signal };
const PORTRAIT = join(REPO_ROOT, 'resources/demo/portrait.png');
const SPEECH = join(REPO_ROOT, 'resources/demo/speech.wav');

function waitForBake(studio: Studio, clipId: string, until: (s: BakeStatus) => boolean, timeoutMs = 60_000): Promise<BakeStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`bake of ${clipId} did not reach the state in ${timeoutMs} ms`));
    }, timeoutMs);
    const off = studio.events.on('bake.progress', (s) => {
      if (s.clipId === clipId && until(s)) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    });
    void Promise.resolve(studio.handlers['bake.status']({}, ctx)).then((all) => {
      const s = all.find((x) => x.clipId === clipId);
      if (s && until(s)) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    });
  });
}

describe('engine through the studio API', { timeout: 120_000 }, () => {
  const dir = tempDir('sps-engine-');
  const studio = createStudio({ transport: 'web', projectsDir: join(dir, 'library'), configDir: join(dir, 'config'), appVersion: 'test', resourcesDir: REPO_ROOT });
  afterAll(() => studio.dispose());

  it('portrait -> avatar -> timeline clip -> baked offsets; trim re-bakes; a killed engine is recovered', async () => {
    await studio.handlers['project.create']({ name: 'Engine' }, ctx);
    const portrait = await studio.handlers['media.import']({ name: 'portrait.png', bytes: new Uint8Array(readFileSync(PORTRAIT)) }, ctx);
    const made = await studio.handlers['avatar.create']({ portraitMediaId: portrait.item.id }, ctx);
    const pack = JSON.parse(readFileSync(join(defaultPackDir(REPO_ROOT), 'model.json'), 'utf8')) as { num_splats: number; name: string };
    expect(made.avatar.splatCount).toBe(pack.num_splats);
    expect(made.avatar.modelName).toBe(pack.name);
    expect(made.snapshot.activeAvatarId).toBe(made.avatar.id);
    expect(made.cropPng.subarray(1, 4)).toEqual(new Uint8Array([0x50, 0x4e, 0x47])); // "PNG"

    const buffers = await studio.handlers['avatar.buffers']({ avatarId: made.avatar.id }, ctx);
    const splats = splatsFromBytes(buffers.splats);
    expect(splats.opacities.length).toBe(pack.num_splats);
    expect(buffers.background.byteLength).toBe(buffers.resolution * buffers.resolution * 3 * 4);
    const ply = await studio.handlers['avatar.exportPly']({ avatarId: made.avatar.id }, ctx);
    expect(ply.fileName).toBe('portrait.ply');
    const back = readSplatPly(ply.bytes);
    expect(back.opacities.length).toBe(pack.num_splats);
    for (let i = 0; i < 30; i++) expect(back.means[i]).toBeCloseTo(splats.means[i] as number, 5);

    // Undo removes the avatar; redo brings it back with the same buffers.
    expect((await studio.handlers['history.undo']({}, ctx)).avatars).toHaveLength(0);
    expect((await studio.handlers['history.redo']({}, ctx)).avatars.map((a) => a.id)).toEqual([made.avatar.id]);

    const speech = await studio.handlers['media.import']({ name: 'speech.wav', bytes: new Uint8Array(readFileSync(SPEECH)) }, ctx);
    const placed = await studio.handlers['timeline.addClip']({ mediaId: speech.item.id }, ctx);
    const clip = placed.clips[0]!;
    const done = await waitForBake(studio, clip.id, (s) => s.state === 'done' || s.state === 'failed');
    expect(done.error).toBeNull();
    expect(done.state).toBe('done');
    const expectedFrames = Math.ceil((speech.item.durationS ?? 0) * 25 - 1e-9);
    expect(Math.abs(done.total - expectedFrames)).toBeLessThanOrEqual(1);

    const offsets = await studio.handlers['bake.offsets']({ clipId: clip.id, firstFrame: 0, count: 10 }, ctx);
    expect(offsets.bytes.byteLength).toBe(10 * pack.num_splats * 3 * 4);
    const values = new Float32Array(new Uint8Array(offsets.bytes).buffer);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values.some((v) => v !== 0)).toBe(true);
    const rest = await studio.handlers['bake.restOffsets']({ avatarId: made.avatar.id }, ctx);
    expect(rest.numSplats).toBe(pack.num_splats);

    // A trim changes the key: the clip bakes again, to a shorter length.
    await studio.handlers['timeline.updateClip']({ clipId: clip.id, trimInS: 0.5 }, ctx);
    const trimmed = await waitForBake(studio, clip.id, (s) => s.state === 'done' && s.total < done.total);
    expect(Math.abs(trimmed.total - (done.total - 12.5))).toBeLessThanOrEqual(1);

    // Kill the engine in the middle of a bake: reported, then recovered by a retry.
    const crashed = new Promise<string | null>((resolve) => {
      const off = studio.events.on('engine.status', (s) => {
        if (s.state === 'crashed') {
          off();
          resolve(s.message);
        }
      });
    });
    await studio.handlers['timeline.updateClip']({ clipId: clip.id, trimInS: 0.25 }, ctx);
    await waitForBake(studio, clip.id, (s) => s.state === 'baking');
    process.kill(studio.enginePid()!, 'SIGKILL');
    expect(await crashed).toMatch(/stopped unexpectedly.*try again/i);
    const failed = await waitForBake(studio, clip.id, (s) => s.state === 'failed');
    expect(failed.error).toMatch(/stopped unexpectedly/);
    await studio.handlers['bake.retry']({}, ctx);
    const recovered = await waitForBake(studio, clip.id, (s) => s.state === 'done');
    expect(recovered.error).toBeNull();
    expect((await studio.handlers['engine.status']({}, ctx)).restarts).toBe(1);
  });

  it('a picture without a face gives a clear NO_FACE error and leaves the project as it was', async () => {
    const sharp = (await import('sharp')).default;
    const flat = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 90, g: 140, b: 200 } } }).png().toBuffer();
    const sky = await studio.handlers['media.import']({ name: 'sky.png', bytes: new Uint8Array(flat) }, ctx);
    const before = await studio.handlers['project.current']({}, ctx);
    await expect(studio.handlers['avatar.create']({ portraitMediaId: sky.item.id }, ctx)).rejects.toMatchObject({ code: 'NO_FACE', message: expect.stringMatching(/No face/) });
    const after = await studio.handlers['project.current']({}, ctx);
    expect(after?.avatars).toEqual(before?.avatars);
    expect(after?.revision).toBe(before?.revision);
  });
});
