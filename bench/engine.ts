/**
 * The engine's figures of issue 5 ("What to show"; DESIGN.md "Targets"), through the engine
 * process as the studio drives it (EngineHost + a forked Node engine, src/main/engine):
 *  - engine cold start: spawn to the engine's `ready`, per fresh engine;
 *  - avatar generation: 'avatar.generate' end to end (bytes in the parent -> splats back), median
 *    of RUNS after one warm-up (which also loads the model pack), per portrait, with the timings
 *    the engine returns (face detection + crop, static generator);
 *  - baking: frames / wall seconds of 'bake.clip' into an empty cache, for a 10 s and a 60 s clip
 *    at 25 fps (audio decode, features, decoder and cache writes included), the real-time ratio
 *    (baking fps / 25), and the batch size effect on the 10 s clip;
 *  - peak memory: every measurement runs in a fresh engine, warmed by one call first, so the peak
 *    RSS is its own; 'engine.memory' peakRss, cross-checked with VmHWM of /proc/<pid>/status.
 * The clips are the shared speech looped (Debian ffmpeg) to exactly 10 s and 60 s, 16 kHz mono
 * 16-bit WAV, in a temporary folder. Prints figures and Markdown rows; it is not a test.
 *
 *   npm run bench:engine                 (about half a minute on two busy cores)
 *   npm run bench:engine -- --quick      (smoke run: 1 run each, no 60 s clip, no batch sweep)
 *   node bench/engine.ts --portrait a.png --portrait b.jpg --speech s.wav --threads 2
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { EngineMethods, GenerateAvatarResult } from '../src/main/engine/engine-api.ts';
import { defaultPackDir } from '../src/main/engine/models/pack-registry.ts';
import { resolveEngineEntry } from '../src/main/engine/process/engine-entry-path.ts';
import { EngineHost } from '../src/main/engine/process/engine-host.ts';
import { spawnNodeEngine } from '../src/main/engine/process/engine-transport.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SHARED = '/work/shared/data';
const FPS = 25;
const SAMPLE_RATE = 16_000;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    portrait: { type: 'string', multiple: true },
    speech: { type: 'string' },
    /** onnxruntime intra-op threads of the engine (SPLAT_STUDIO_ENGINE_THREADS); 0 = one per core. */
    threads: { type: 'string', default: '0' },
  },
});
const QUICK = flags.quick;
const AVATAR_RUNS = QUICK ? 1 : 5;
/** [clip seconds, runs]; the 60 s clip runs twice: each run is a minute or more of a busy machine. */
const CLIPS: Array<[number, number]> = QUICK ? [[10, 1]] : [[10, 3], [60, 2]];
const BATCHES = QUICK ? [] : [8, 16, 32];
/** A 10 s bake takes about a second, so the sweep affords five runs per batch size against the noise of a shared machine. */
const BATCH_RUNS = 5;
const THREADS = Number(flags.threads);

const portraits = flags.portrait ?? [join(ROOT, 'resources/demo/portrait.png'), join(SHARED, 'portraits/real3d_macron.png')].filter((p) => existsSync(p));
const speech = flags.speech ?? [join(SHARED, 'speech/echomimic_jane.wav'), join(ROOT, 'resources/demo/speech.wav')].find((p) => existsSync(p))!;
const packDir = defaultPackDir(ROOT);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const ms = (value: number): string => `${value.toFixed(0)} ms`;
const load = (): string => loadavg().map((v) => v.toFixed(2)).join(' ');

/** Peak resident set of a live process (VmHWM), bytes; NaN where /proc is not there. */
function vmHwm(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface Engine {
  host: EngineHost<EngineMethods>;
  coldStartMs: number;
}

const coldStarts: number[] = [];

async function startEngine(): Promise<Engine> {
  const env = { ...process.env, SPLAT_STUDIO_ENGINE_THREADS: String(THREADS) };
  const t0 = performance.now();
  const host = new EngineHost<EngineMethods>({ spawn: () => spawnNodeEngine(resolveEngineEntry(), { env }) });
  await host.start();
  const coldStartMs = performance.now() - t0;
  coldStarts.push(coldStartMs);
  return { host, coldStartMs };
}

interface Peak {
  /** 'engine.memory' peakRss. */
  peakRss: number;
  /** /proc/<pid>/status VmHWM read by this process. */
  vmHwm: number;
}

/** The engine's peak memory, then the engine disposed. */
async function peakAndDispose(engine: Engine): Promise<Peak> {
  const { peakRss } = await engine.host.call('engine.memory', {});
  const peak = { peakRss, vmHwm: vmHwm(engine.host.pid) };
  await engine.host.dispose();
  return peak;
}

// ---- clips ----------------------------------------------------------------------------------

/** The speech looped and cut to exactly `seconds` at 16 kHz mono, 16-bit; checked by ffprobe. */
function makeClip(dir: string, seconds: number): string {
  const out = join(dir, `speech-${seconds}s.wav`);
  const samples = seconds * SAMPLE_RATE;
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', speech, '-af', `aresample=${SAMPLE_RATE},atrim=end_sample=${samples}`, '-ac', '1', '-c:a', 'pcm_s16le', out]);
  const probe = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=duration_ts,sample_rate,channels', '-of', 'csv=p=0', out], { encoding: 'utf8' }).trim();
  if (probe !== `${SAMPLE_RATE},1,${samples}`) throw new Error(`${out}: expected ${SAMPLE_RATE} Hz, 1 channel, ${samples} samples; ffprobe says ${probe}`);
  return out;
}

// ---- avatar generation ----------------------------------------------------------------------

interface AvatarFigures {
  portrait: string;
  coldStartMs: number;
  firstCallMs: number;
  endToEndMs: number;
  faceMs: number;
  generatorMs: number;
  numSplats: number;
  peak: Peak;
}

type Generated = Extract<GenerateAvatarResult, { status: 'ok' }>;

async function generate(engine: Engine, path: string): Promise<{ ms: number; result: Generated }> {
  const bytes = new Uint8Array(readFileSync(path));
  const t0 = performance.now();
  const result = await engine.host.call('avatar.generate', { bytes, name: basename(path), packDir });
  const elapsed = performance.now() - t0;
  if (result.status !== 'ok') throw new Error(`${path}: ${result.status}: ${result.message}`);
  return { ms: elapsed, result };
}

async function benchAvatar(path: string): Promise<AvatarFigures> {
  const engine = await startEngine();
  const first = await generate(engine, path);
  const runs = [];
  for (let k = 0; k < AVATAR_RUNS; k++) runs.push(await generate(engine, path));
  const peak = await peakAndDispose(engine);
  return {
    portrait: basename(path),
    coldStartMs: engine.coldStartMs,
    firstCallMs: first.ms,
    endToEndMs: median(runs.map((r) => r.ms)),
    faceMs: median(runs.map((r) => r.result.timings.faceMs)),
    generatorMs: median(runs.map((r) => r.result.timings.generatorMs)),
    numSplats: first.result.numSplats,
    peak,
  };
}

// ---- baking ---------------------------------------------------------------------------------

interface BakeFigures {
  clipS: number;
  batch: number;
  frames: number;
  runs: number;
  /** Median wall ms of 'bake.clip' seen from this process, and the engine's own ms. */
  wallMs: number;
  engineMs: number;
  /** Every run's wall ms, in order, to show the spread on a shared machine. */
  walls: number[];
  fps: number;
  peak: Peak;
}

async function benchBake(avatar: Generated, clip: string, clipS: number, batch: number, runs: number): Promise<BakeFigures> {
  const engine = await startEngine();
  const avatarArgs = { packDir, features: avatar.features, camToWorld: avatar.camToWorld };
  // Loads the pack and runs the decoder once, so the timed bakes see a warm engine.
  await engine.host.call('bake.rest', avatarArgs);
  const walls: number[] = [];
  const engineMs: number[] = [];
  let frames = 0;
  for (let k = 0; k < runs; k++) {
    const cacheDir = mkdtempSync(join(tmpdir(), 'sps-bench-bake-'));
    try {
      const args = { ...avatarArgs, cacheDir, key: randomBytes(32).toString('hex'), audioPath: clip, audioName: basename(clip), startS: 0, durationS: clipS, fps: FPS, batch };
      const t0 = performance.now();
      const result = await engine.host.call('bake.clip', args);
      walls.push(performance.now() - t0);
      engineMs.push(result.ms);
      if (result.computed !== result.frames) throw new Error(`the cache was not empty: ${result.frames - result.computed} frames came from it`);
      frames = result.frames;
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  const peak = await peakAndDispose(engine);
  const wallMs = median(walls);
  return { clipS, batch, frames, runs, wallMs, engineMs: median(engineMs), walls, fps: (1000 * frames) / wallMs, peak };
}

// ---- report ---------------------------------------------------------------------------------

function spread(b: BakeFigures): string {
  return `runs ${b.walls.map((v) => v.toFixed(0)).join(', ')} ms`;
}

function peakText(peak: Peak): string {
  return `${mib(peak.peakRss)} (VmHWM ${Number.isNaN(peak.vmHwm) ? 'n/a' : mib(peak.vmHwm)})`;
}

const tmp = mkdtempSync(join(tmpdir(), 'sps-bench-engine-'));
try {
  const started = performance.now();
  console.log(`engine bench${QUICK ? ' (--quick)' : ''}: pack ${basename(packDir)}, ${FPS} fps, engine threads ${THREADS || 'one per core'}`);
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} hardware threads, Node ${process.version}; load average at start ${load()}`);
  console.log(`portraits: ${portraits.map((p) => basename(p)).join(', ')}; speech: ${basename(speech)}`);
  console.log('');

  const avatars: AvatarFigures[] = [];
  for (const path of portraits) {
    const a = await benchAvatar(path);
    avatars.push(a);
    console.log(
      `avatar ${a.portrait}: ${ms(a.endToEndMs)} end to end (face + crop ${ms(a.faceMs)}, generator ${ms(a.generatorMs)}), median of ${AVATAR_RUNS}; ` +
        `first call ${ms(a.firstCallMs)} (pack load included); ${a.numSplats} splats; peak RSS ${peakText(a.peak)}; load ${load()}`,
    );
  }

  const bakeAvatar = await (async () => {
    const engine = await startEngine();
    const { result } = await generate(engine, portraits[0]!);
    await engine.host.dispose();
    return result;
  })();
  const bakes: BakeFigures[] = [];
  const clips = new Map<number, string>();
  for (const [clipS, runs] of CLIPS) {
    clips.set(clipS, makeClip(tmp, clipS));
    const b = await benchBake(bakeAvatar, clips.get(clipS)!, clipS, 16, runs);
    bakes.push(b);
    console.log(
      `bake ${clipS} s (${b.frames} frames, batch ${b.batch}): ${b.fps.toFixed(1)} fps = ${(b.fps / FPS).toFixed(2)}x real time; ` +
        `${ms(b.wallMs)} wall (engine ${ms(b.engineMs)}), median of ${runs} (${spread(b)}); peak RSS ${peakText(b.peak)}; load ${load()}`,
    );
  }
  const sweep: BakeFigures[] = [];
  for (const batch of BATCHES) {
    const b = await benchBake(bakeAvatar, clips.get(10)!, 10, batch, BATCH_RUNS);
    sweep.push(b);
    console.log(`bake 10 s, batch ${batch}: ${b.fps.toFixed(1)} fps (${ms(b.wallMs)} wall, median of ${BATCH_RUNS}: ${spread(b)}); peak RSS ${peakText(b.peak)}; load ${load()}`);
  }

  console.log('');
  console.log(`engine cold start (spawn to ready): median ${ms(median(coldStarts))} of ${coldStarts.length} engines (${coldStarts.map((v) => v.toFixed(0)).join(', ')})`);
  console.log('');
  console.log('| measurement | median | peak RSS (engine.memory / VmHWM) |');
  console.log('| --- | --- | --- |');
  for (const a of avatars) {
    console.log(`| avatar.generate ${a.portrait} | ${ms(a.endToEndMs)} (face ${ms(a.faceMs)}, generator ${ms(a.generatorMs)}) | ${mib(a.peak.peakRss)} / ${mib(a.peak.vmHwm)} |`);
  }
  for (const b of [...bakes, ...sweep]) {
    console.log(`| bake.clip ${b.clipS} s, batch ${b.batch} | ${b.fps.toFixed(1)} fps, ${(b.fps / FPS).toFixed(2)}x real time | ${mib(b.peak.peakRss)} / ${mib(b.peak.vmHwm)} |`);
  }
  console.log(`| engine cold start | ${ms(median(coldStarts))} | - |`);
  console.log('');
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; load average at the end ${load()}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
