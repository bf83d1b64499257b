/**
 * Baking in the engine process: cancelled halfway, a second run computes exactly the frames the
 * first one did not (counted by the engine), a third computes none; the offsets equal a bake done
 * in one go (batching and resuming change nothing).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BakeProgress, EngineMethods, GenerateAvatarResult } from '../../../src/main/engine/engine-api.ts';
import { BakeCache } from '../../../src/main/engine/bake/bake-cache.ts';
import { resolveEngineEntry } from '../../../src/main/engine/process/engine-entry-path.ts';
import { EngineHost } from '../../../src/main/engine/process/engine-host.ts';
import { spawnNodeEngine } from '../../../src/main/engine/process/engine-transport.ts';
import { REPO_ROOT, tempDir } from '../project/store-helpers.ts';

const PACK = join(REPO_ROOT, 'resources/models/tiny');
const SPEECH = join(REPO_ROOT, 'resources/demo/speech.wav');
const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

describe('baking in the engine process', { timeout: 120_000 }, () => {
  const engine = new EngineHost<EngineMethods>({ spawn: () => spawnNodeEngine(resolveEngineEntry()) });
  afterAll(() => engine.dispose());

  it('cancel part way, then resume: only the missing frames are computed, and the result equals a bake in one go', async () => {
    const avatar = (await engine.call('avatar.generate', {
      bytes: new Uint8Array(readFileSync(join(REPO_ROOT, 'resources/demo/portrait.png'))),
      name: 'portrait.png',
      packDir: PACK,
    })) as Extract<GenerateAvatarResult, { status: 'ok' }>;
    expect(avatar.status).toBe('ok');
    const cacheDir = tempDir('sps-bake-');
    // 20 s of speech (the demo line looped): long enough that the cancel lands mid-bake.
    const audioPath = join(cacheDir, 'speech-20s.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-stream_loop', '-1', '-i', SPEECH, '-t', '20', '-ac', '1', '-ar', '16000', audioPath]);
    const args = (key: string, batch: number) => ({
      packDir: PACK, cacheDir, key, audioPath, audioName: 'speech-20s.wav', startS: 0, durationS: 20, fps: 25,
      features: avatar.features, camToWorld: avatar.camToWorld, batch,
    });

    const abort = new AbortController();
    let doneAtCancel = 0;
    const first = engine.call('bake.clip', args(KEY_A, 1), {
      signal: abort.signal,
      onProgress: (p) => {
        const { done, total } = p as BakeProgress;
        if (done >= total / 10 && !abort.signal.aborted) {
          doneAtCancel = done;
          abort.abort();
        }
      },
    });
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(doneAtCancel).toBeGreaterThan(0);
    // Let the engine finish the batch it was on; it stops before the next one.
    await new Promise((r) => setTimeout(r, 300));

    const frames = 500; // 20 s at 25 fps
    const partial = await BakeCache.open(cacheDir, KEY_A, { frames, numSplats: avatar.numSplats, fps: 25 }, { durable: false });
    const doneBefore = partial.doneCount;
    await partial.close();
    expect(doneBefore).toBeGreaterThanOrEqual(doneAtCancel);
    expect(doneBefore).toBeLessThan(frames);

    const resumed = await engine.call('bake.clip', args(KEY_A, 4));
    expect(resumed.frames).toBe(frames);
    expect(resumed.computed).toBe(frames - doneBefore);
    const again = await engine.call('bake.clip', args(KEY_A, 4));
    expect(again.computed).toBe(0);

    const straight = await engine.call('bake.clip', args(KEY_B, 32));
    expect(straight.computed).toBe(frames);
    const read = async (key: string) => {
      const cache = await BakeCache.open(cacheDir, key, { frames, numSplats: avatar.numSplats, fps: 25 }, { durable: false });
      try {
        return await cache.readFrames(0, frames);
      } finally {
        await cache.close();
      }
    };
    const [a, b] = [await read(KEY_A), await read(KEY_B)];
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
    // Batch size changes onnxruntime's kernel choice slightly: float32 rounding, not content.
    expect(worst).toBeLessThan(1e-6);
  });

  it('a line recorded 20 dB quieter moves the lips alike: the pack\'s speech-level rule is applied before the features', async () => {
    expect((JSON.parse(readFileSync(join(PACK, 'model.json'), 'utf8')) as { audio_frontend: { level_normalise: unknown } }).audio_frontend.level_normalise).not.toBeNull();
    const avatar = (await engine.call('avatar.generate', {
      bytes: new Uint8Array(readFileSync(join(REPO_ROOT, 'resources/demo/portrait.png'))), name: 'portrait.png', packDir: PACK,
    })) as Extract<GenerateAvatarResult, { status: 'ok' }>;
    const dir = tempDir('sps-level-');
    const bake = async (name: string, volume: string) => {
      const audioPath = join(dir, name);
      execFileSync('ffmpeg', ['-v', 'error', '-i', SPEECH, '-t', '4', '-af', `volume=${volume}`, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_f32le', audioPath]);
      const key = (name === 'loud.wav' ? 'c' : 'd').repeat(64);
      const done = await engine.call('bake.clip', {
        packDir: PACK, cacheDir: dir, key, audioPath, audioName: name, startS: 0, durationS: 4, fps: 25,
        features: avatar.features, camToWorld: avatar.camToWorld,
      });
      const cache = await BakeCache.open(dir, key, { frames: done.frames, numSplats: avatar.numSplats, fps: 25 }, { durable: false });
      try {
        return await cache.readFrames(0, done.frames);
      } finally {
        await cache.close();
      }
    };
    const loud = await bake('loud.wav', '1.0');
    const quiet = await bake('quiet.wav', '0.1');
    let worst = 0;
    let moving = 0;
    for (let i = 0; i < loud.length; i++) {
      worst = Math.max(worst, Math.abs((loud[i] as number) - (quiet[i] as number)));
      moving = Math.max(moving, Math.abs(loud[i] as number));
    }
    expect(moving).toBeGreaterThan(1e-4); // the lips do move with this line
    expect(worst).toBeLessThan(1e-3 * moving); // float32 rounding of the scaled samples, nothing more
  });

  it('corrupt audio fails the bake with a clear error and leaves the engine usable', async () => {
    const bad = join(tempDir('sps-bad-'), 'broken.wav');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, new Uint8Array(4000).map((_, i) => (i * 7919) % 251));
    const avatar = (await engine.call('avatar.generate', {
      bytes: new Uint8Array(readFileSync(join(REPO_ROOT, 'resources/demo/portrait.png'))), name: 'portrait.png', packDir: PACK,
    })) as Extract<GenerateAvatarResult, { status: 'ok' }>;
    await expect(
      engine.call('bake.clip', {
        packDir: PACK, cacheDir: tempDir('sps-bake-'), key: KEY_A, audioPath: bad, audioName: 'broken.wav', startS: 0, durationS: 2, fps: 25,
        features: avatar.features, camToWorld: avatar.camToWorld,
      }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA', message: expect.stringMatching(/broken\.wav/) });
    expect((await engine.call('engine.memory', {})).rss).toBeGreaterThan(0);
  });
});
