/**
 * The studio CLI as a render farm runs it: a child Node process from source, real engine, real
 * ffmpeg. `render` end to end on the demo portrait with a real speech clip, the exit status and
 * silence of stdout on bad arguments, and a SIGKILL in the middle of an export that leaves no file
 * under the chosen name (and whose leftover is cleaned by the rerun).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmpDirs } from '../../helpers/tmp-dir.ts';
import { DEMO_PORTRAIT, DEMO_SPEECH, demoProject, makeStudio, probe, REPO_ROOT, waitForBakes } from './export-helpers.ts';

const CLI = join(REPO_ROOT, 'src/main/cli/studio-cli.ts');
/** A 3.4 s real speech clip from the shared data (../shared/data/README.md); absent on machines without it. */
const REAL_SPEECH = join(REPO_ROOT, '../shared/data/speech/sadtalker_bus_chinese.wav');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { env?: NodeJS.ProcessEnv; onStderr?: (text: string, kill: () => void) => void } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      options.onStderr?.(stderr, () => child.kill('SIGKILL'));
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('studio CLI', { timeout: 180_000 }, () => {
  const tmp = useTmpDirs('sps-cli');

  it.skipIf(!existsSync(REAL_SPEECH))('render: portrait + real speech -> a valid MP4, nothing on stdout, exit 0', async () => {
    const dir = await tmp();
    const out = join(dir, 'talk.mp4');
    const run = await cli(['render', '--portrait', DEMO_PORTRAIT, '--audio', REAL_SPEECH, '--out', out, '--size', '160x90', '--fps', '25']);
    expect(run.stderr).toMatch(/wrote .*talk\.mp4/);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['talk.mp4']);
    const report = await probe(out);
    const video = report.streams.find((s) => s.codec_type === 'video')!;
    const audio = report.streams.find((s) => s.codec_type === 'audio')!;
    expect([video.codec_name, video.width, video.height, video.pix_fmt]).toEqual(['h264', 160, 90, 'yuv420p']);
    // The clip is 3.376 s: 85 frames at 25 fps, the audio padded to the same 3.4 s.
    expect(Number(video.nb_read_frames)).toBe(85);
    expect(Math.abs(Number(audio.duration) - 85 / 25)).toBeLessThanOrEqual(1 / 25);
  });

  it('bad arguments: exit 2, one line on stderr, nothing on stdout', async () => {
    const dir = await tmp();
    const odd = await cli(['render', '--portrait', DEMO_PORTRAIT, '--audio', DEMO_SPEECH, '--out', join(dir, 'x.mp4'), '--size', '161x90']);
    expect(odd.code).toBe(2);
    expect(odd.stdout).toBe('');
    expect(odd.stderr.split('\n')[0]).toMatch(/^studio-cli: .*even.*161x90/);
    const flag = await cli(['export', '--nope']);
    expect(flag.code).toBe(2);
    expect(flag.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
    const help = await cli(['--help']);
    expect([help.code, help.stdout.includes('render --portrait IMAGE --audio AUDIO --out FILE')]).toEqual([0, true]);
  });

  it('a missing ffmpeg fails with exit 1 naming the configured path', async () => {
    const dir = await tmp();
    const run = await cli(['render', '--portrait', DEMO_PORTRAIT, '--audio', DEMO_SPEECH, '--out', join(dir, 'x.mp4'), '--size', '64x64', '-q'], { env: { SPLAT_STUDIO_FFMPEG: '/nonexistent/ffmpeg' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^studio-cli: ffmpeg was not found \(the configured path SPLAT_STUDIO_FFMPEG=\/nonexistent\/ffmpeg\)/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('SIGKILL mid-export leaves no file under the chosen name; the rerun succeeds and removes the leftover', async () => {
    const dir = await tmp();
    const out = join(dir, 'killed.mp4');
    const args = ['render', '--portrait', DEMO_PORTRAIT, '--audio', DEMO_SPEECH, '--out', out, '--size', '320x180'];
    let killed = false;
    const run = await cli(args, {
      onStderr: (text, kill) => {
        if (!killed && /rendering \d+\/\d+ frames/.test(text)) {
          killed = true;
          kill();
        }
      },
    });
    expect(run.signal).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false);
    const leftovers = readdirSync(dir);
    expect(leftovers.every((n) => /^killed\.mp4\.partial-\d+-[0-9a-f]+$/.test(n))).toBe(true);

    const again = await cli([...args.slice(0, -1), '96x54', '-q']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['killed.mp4']);
    const video = (await probe(out)).streams.find((s) => s.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([96, 54]);
  });

  it('export PROJECT writes the video and nothing else: the project file and its folder are left as they were', async () => {
    const t = makeStudio('sps-cli-project-');
    await demoProject(t);
    await waitForBakes(t);
    const project = (await t.call('project.current', {}))!.path;
    t.studio.dispose();
    const folder = join(project, '..');
    const sha = (): string => createHash('sha256').update(readFileSync(project)).digest('hex');
    const before = { sha: sha(), files: readdirSync(folder).sort() };
    const out = join(await tmp(), 'from-project.mp4');
    const run = await cli(['export', project, '--out', out, '--size', '96x54', '--to', '1', '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(Number((await probe(out)).streams.find((s) => s.codec_type === 'video')!.nb_read_frames)).toBe(25);
    expect({ sha: sha(), files: readdirSync(folder).sort() }).toEqual(before);
  });
});
