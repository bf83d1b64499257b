/**
 * Export speed and memory of issue 7 ("What to show"; DESIGN.md "Targets": at least real time for
 * 1080p25 on two CPU cores): seconds of video exported per second of wall time, for a 10 s clip at
 * 720p, 1080p and 4K, 25 fps, MP4 H.264 (the default format, CRF 18, preset veryfast) over the
 * predicted background, with the bullet-effect camera sweep.
 *
 * The project (demo portrait's avatar from pack-registry.ts's default pack, the demo speech twice on the
 * timeline, exported over 0..10 s) is made and baked once; each measurement is then a fresh child
 * process that opens it and runs 'export.start' as the studio does, so its peak RSS is its own.
 * Wall time is the whole 'export.start' call with the bakes already cached: sound mixing,
 * background, rendering, encoding and the rename. Memory: the exporting process's peak RSS
 * (VmHWM) and ffmpeg's, sampled from /proc. Prints figures and a Markdown row; not a test.
 *
 *   npm run bench:export                 (3 runs per size, median; several minutes on two cores)
 *   node bench/export.ts --runs 1 --sizes 720p,1080p
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_PRESETS, type ExportPreset, type ExportResult } from '../src/shared/api/contract.ts';
import { defaultCameraState } from '../src/shared/camera/camera-path.ts';
import { presetKeys } from '../src/shared/camera/camera-presets.ts';
import { openHeadlessStudio } from '../src/main/cli/headless-studio.ts';
import { availableBackends } from '../src/main/raster/native-raster.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLIP_S = 10;
const FPS = 25;

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '720p,1080p,4k' },
    child: { type: 'string' },
    project: { type: 'string' },
    out: { type: 'string' },
  },
});

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Peak resident set (VmHWM) of a process in MB, or 0 when it is gone. */
function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Child mode: one export of the project at one size; prints one JSON line. */
async function child(preset: ExportPreset, project: string, out: string): Promise<void> {
  const headless = await openHeadlessStudio(log);
  let ffmpegPeak = 0;
  const sampler = setInterval(() => {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        if (stat.includes('(ffmpeg)') && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) ffmpegPeak = Math.max(ffmpegPeak, peakRssMb(Number(name)));
      } catch {
        // gone already
      }
    }
  }, 250);
  try {
    headless.studio.grantPath(project);
    headless.studio.grantPath(out);
    await headless.call('project.open', { path: project });
    const started = performance.now();
    const result: ExportResult = await headless.call('export.start', {
      outputPath: out,
      settings: { ...EXPORT_PRESETS[preset], fps: FPS, format: 'mp4-h264', background: { kind: 'predicted' }, range: { startS: 0, endS: CLIP_S } },
    });
    const wallS = (performance.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify({ wallS, loopS: result.wallS, frames: result.frames, durationS: result.durationS, backend: result.backend, rssMb: peakRssMb(process.pid), ffmpegMb: ffmpegPeak })}\n`);
  } finally {
    clearInterval(sampler);
    await headless.close();
  }
}

interface Measure {
  wallS: number;
  loopS: number;
  frames: number;
  durationS: number;
  backend: string;
  rssMb: number;
  ffmpegMb: number;
}

function measure(preset: ExportPreset, project: string, out: string): Promise<Measure> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, [import.meta.filename, '--child', preset, '--project', project, '--out', out], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    proc.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    proc.once('close', (code) => (code === 0 ? resolvePromise(JSON.parse(stdout.trim().split('\n').at(-1)!) as Measure) : reject(new Error(`export child failed (${code})`))));
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function makeProject(dir: string): Promise<string> {
  const headless = await openHeadlessStudio(log);
  try {
    const path = join(dir, 'bench.splatproj');
    headless.studio.grantPath(path);
    await headless.call('project.create', { name: 'bench', path });
    const portrait = join(ROOT, 'resources/demo/portrait.png');
    const speech = join(ROOT, 'resources/demo/speech.wav');
    headless.studio.grantPath(portrait);
    headless.studio.grantPath(speech);
    const image = await headless.call('media.importFile', { path: portrait });
    const made = await headless.call('avatar.create', { portraitMediaId: image.item.id });
    const audio = await headless.call('media.importFile', { path: speech });
    const lengthS = audio.item.durationS!;
    for (let startS = 0; startS < CLIP_S; startS += lengthS) await headless.call('timeline.addClip', { mediaId: audio.item.id, startS });
    const keys = presetKeys('bullet', { startS: 0, durationS: CLIP_S, base: defaultCameraState(made.avatar.camera) });
    await headless.call('camera.setPath', { label: 'Bullet', keys, replace: true });
    headless.studio.grantPath(join(dir, 'warm.mp4'));
    // Bake now, so the measured exports read a warm cache: a 1-frame export waits for every bake.
    await headless.call('export.start', { outputPath: join(dir, 'warm.mp4'), settings: { width: 64, height: 64, fps: FPS, format: 'mp4-h264', background: { kind: 'predicted' }, range: { startS: 0, endS: 0.04 } } });
    return path;
  } finally {
    await headless.close();
  }
}

async function main(): Promise<void> {
  if (flags.child) return child(flags.child as ExportPreset, flags.project!, flags.out!);
  const runs = Math.max(1, Number(flags.runs));
  const sizes = flags.sizes.split(',') as ExportPreset[];
  for (const s of sizes) if (!(s in EXPORT_PRESETS)) throw new Error(`--sizes: unknown preset ${s}`);
  const ffmpegVersion = execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0];
  const backends = availableBackends();
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} hardware threads, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`Node ${process.version}; ${ffmpegVersion}; rasterizer backend: ${backends.cuda ? 'cuda' : `cpu (cuda: ${backends.cudaReason})`}`);
  const dir = mkdtempSync(join(tmpdir(), 'splat-bench-export-'));
  try {
    const project = await makeProject(dir);
    const rows: string[] = [];
    for (const preset of sizes) {
      const results: Measure[] = [];
      for (let r = 0; r < runs; r++) {
        const m = await measure(preset, project, join(dir, `${preset}.mp4`));
        results.push(m);
        console.log(`  ${preset} run ${r + 1}: ${m.frames} frames in ${m.wallS.toFixed(2)} s (render+encode loop ${m.loopS.toFixed(2)} s) = ${(m.durationS / m.wallS).toFixed(2)} s of video per s; peak RSS ${m.rssMb.toFixed(0)} MB, ffmpeg ${m.ffmpegMb.toFixed(0)} MB; ${m.backend}`);
      }
      const wall = median(results.map((m) => m.wallS));
      const speed = CLIP_S / wall;
      const { width, height } = EXPORT_PRESETS[preset];
      const line = `${preset} (${width}x${height}): ${speed.toFixed(2)} s of video per wall second (${(speed * FPS).toFixed(1)} fps), median of ${runs}; peak RSS ${Math.max(...results.map((m) => m.rssMb)).toFixed(0)} MB + ffmpeg ${Math.max(...results.map((m) => m.ffmpegMb)).toFixed(0)} MB`;
      console.log(line);
      rows.push(`${speed.toFixed(2)}x (${(speed * FPS).toFixed(1)} fps, ${Math.max(...results.map((m) => m.rssMb)).toFixed(0)} + ${Math.max(...results.map((m) => m.ffmpegMb)).toFixed(0)} MB)`);
    }
    console.log(`\n| ${sizes.join(' | ')} |\n| ${sizes.map(() => '---').join(' | ')} |\n| ${rows.join(' | ')} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
