/**
 * The studio's command line (issue 7, item 5): the whole job without any UI, for batch users and
 * render farms. Plain Node; from source: `node src/main/cli/studio-cli.ts <command> ...`.
 *
 *   export PROJECT.splatproj --out FILE [options]
 *       renders the project's timeline (its camera path, time warp, clips) to FILE
 *   render --portrait IMAGE --audio AUDIO --out FILE [--camera PRESET] [options]
 *       one shot: a temporary project with an avatar from IMAGE and AUDIO on the timeline, and a
 *       camera preset over the audio's length: by default the paper's bullet-effect sweep (yaw
 *       -45..45, pitch -12.5..12.5 degrees); `static` holds the portrait's own view. The project
 *       is removed afterwards
 *
 * Options (both commands):
 *   --preset 720p|1080p|4k|vertical|square   or --size WxH    (default 1080p)
 *   --fps 24|25|30|50|60                                     (default 25)
 *   --format mp4-h264|mp4-h265|webm-vp9|mov-prores4444|png-sequence
 *                       (default from FILE's extension: .mp4 h264, .webm vp9, .mov ProRes,
 *                        none: a folder of PNGs; else mp4-h264)
 *   --crf N | --bitrate 8M   quality (default: the codec's constant quality)
 *   --background predicted|transparent|#rrggbb|IMAGE        (default predicted)
 *   --from S --to S    export only output seconds FROM..TO (default: the whole timeline)
 *   -q, --quiet        no progress
 *
 * Writes nothing but FILE (progress and errors go to stderr; stdout stays empty). Exit status:
 * 0 done, 1 failed (one line on stderr says why), 2 bad arguments, 130 interrupted (Ctrl+C; the
 * partial output is removed).
 */
import { existsSync, statSync } from 'node:fs';
import { copyFile, cp, mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/api/errors.ts';
import type { ExportResult, ExportSettings } from '../../shared/api/contract.ts';
import { defaultCameraState } from '../../shared/camera/camera-path.ts';
import { CAMERA_PRESETS, presetKeys, presetPathLabel, type CameraPreset } from '../../shared/camera/camera-presets.ts';
import { bakeCacheDir } from '../engine/bake/cache-dir.ts';
import { checkFfmpeg } from '../export/ffmpeg-encoder.ts';
import { EXPORT_OPTIONS, exportSettingsFrom, UsageError } from './cli-options.ts';
import { openHeadlessStudio, type HeadlessStudio } from './headless-studio.ts';
import { ProgressReporter } from './progress-reporter.ts';

export const HELP = `Splat-Portrait Studio command line

  studio-cli export PROJECT.splatproj --out FILE [options]
  studio-cli render --portrait IMAGE --audio AUDIO --out FILE [--camera PRESET] [options]

  --camera bullet|orbit|dolly-in|static   render's camera move over the audio
                                      (default bullet; static: the portrait's own view)

options:
  --preset 720p|1080p|4k|vertical|square | --size WxH   (default 1080p)
  --fps 24|25|30|50|60                                   (default 25)
  --format mp4-h264|mp4-h265|webm-vp9|mov-prores4444|png-sequence
                                      (default from FILE's extension; none: PNG folder)
  --crf N | --bitrate 8M              quality (default: the codec's)
  --background predicted|transparent|#rrggbb|IMAGE     (default predicted)
  --from S --to S                     export only that time range, seconds
                                      (--to alone: from 0; default: whole timeline)
  -q, --quiet                         no progress on stderr
  -h, --help

Progress and errors go to stderr; stdout stays empty. Exit status: 0 done, 1 failed,
2 bad arguments, 130 interrupted.`;

export interface CliIo {
  err: { write(text: string): void; isTTY: boolean };
  out: (text: string) => void;
  /** Aborted on Ctrl+C / SIGTERM. */
  signal: AbortSignal;
}

interface Job {
  command: 'export' | 'render';
  outputPath: string;
  settings: ExportSettings;
  quiet: boolean;
  project?: string;
  portrait?: string;
  audio?: string;
  camera?: CameraPreset;
}

function existingFile(flag: string, path: string | undefined): string {
  if (!path) throw new UsageError(`${flag} FILE is required`);
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) throw new UsageError(`${flag}: ${path} is not a file`);
  return absolute;
}

/** Parses the command line; 'help' for --help or no command. */
export function parseCommandLine(argv: string[]): Job | 'help' {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return 'help';
  if (command !== 'export' && command !== 'render') throw new UsageError(`unknown command "${command}"; use export or render`);
  const options = command === 'render'
    ? { ...EXPORT_OPTIONS, portrait: { type: 'string' }, audio: { type: 'string' }, camera: { type: 'string' } } as const
    : EXPORT_OPTIONS;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: command === 'export' });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return 'help';
  const { outputPath, settings } = exportSettingsFrom(values as Record<string, string | undefined>);
  const job: Job = { command, outputPath, settings, quiet: values.quiet === true };
  if (command === 'export') {
    if (parsed.positionals.length !== 1) throw new UsageError('export takes one PROJECT.splatproj');
    job.project = existingFile('PROJECT', parsed.positionals[0]);
  } else {
    job.portrait = existingFile('--portrait', values.portrait as string | undefined);
    job.audio = existingFile('--audio', values.audio as string | undefined);
    job.camera = cameraPreset(values.camera as string | undefined);
  }
  return job;
}

function cameraPreset(value: string | undefined): CameraPreset {
  if (value === undefined) return 'bullet';
  if (!(CAMERA_PRESETS as readonly string[]).includes(value)) throw new UsageError(`--camera: "${value}" is not one of ${CAMERA_PRESETS.join(', ')}`);
  return value as CameraPreset;
}

/** The one-shot project of `render`: avatar from the portrait, the audio as a clip, the camera preset (bullet sweep by default). */
async function buildRenderProject(headless: HeadlessStudio, job: Job, signal: AbortSignal): Promise<void> {
  const { studio, call } = headless;
  studio.grantPath(job.portrait!);
  studio.grantPath(job.audio!);
  await call('project.create', { name: 'render' }, signal);
  const portrait = await call('media.importFile', { path: job.portrait! }, signal);
  if (portrait.item.kind !== 'image') throw new ApiError('UNSUPPORTED_MEDIA', `${basename(job.portrait!)} is not an image.`);
  const made = await call('avatar.create', { portraitMediaId: portrait.item.id }, signal);
  const audio = await call('media.importFile', { path: job.audio! }, signal);
  if (audio.item.kind !== 'audio') throw new ApiError('UNSUPPORTED_MEDIA', `${basename(job.audio!)} is not audio.`);
  await call('timeline.addClip', { mediaId: audio.item.id, startS: 0 }, signal);
  const preset = job.camera ?? 'bullet';
  const keys = presetKeys(preset, { startS: 0, durationS: audio.item.durationS ?? 1, base: defaultCameraState(made.avatar.camera) });
  await call('camera.setPath', { label: presetPathLabel(preset), keys, replace: true }, signal);
}

/**
 * The CLI writes nothing but its output file (issue 7): `export` works on a copy of the project
 * in its scratch folder, with the project's SQLite write-ahead log if one is pending, and its
 * bake cache when there is one, so finished bakes are reused rather than recomputed.
 */
async function scratchCopyOfProject(project: string, scratchDir: string): Promise<string> {
  const dir = join(scratchDir, 'project');
  const working = join(dir, basename(project));
  await mkdir(dir, { recursive: true });
  try {
    await copyFile(project, working);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiError('NOT_FOUND', `No project at ${project}.`);
    if (code === 'EISDIR') throw new ApiError('INVALID_INPUT', `${project} is a folder, not a project file.`);
    throw new ApiError('INTERNAL', `The project ${project} could not be read: ${(error as Error).message}`);
  }
  if (existsSync(`${project}-wal`)) await copyFile(`${project}-wal`, `${working}-wal`);
  if (existsSync(bakeCacheDir(project))) await cp(bakeCacheDir(project), bakeCacheDir(working), { recursive: true });
  return working;
}

async function runJob(job: Job, io: CliIo): Promise<ExportResult> {
  // First, so a missing ffmpeg is named before minutes of avatar work (media import needs it too).
  await checkFfmpeg([]);
  const log = (line: string): void => io.err.write(`${line}\n`);
  const headless = await openHeadlessStudio(log);
  const progress = new ProgressReporter(io.err);
  const off = job.quiet ? () => undefined : headless.studio.events.on('export.progress', (p) => progress.update(p));
  try {
    headless.studio.grantPath(job.outputPath);
    if (job.settings.background.kind === 'image') headless.studio.grantPath(job.settings.background.path);
    if (job.command === 'export') {
      // A copy, so the export's history row and bake files never touch the user's project.
      const working = await scratchCopyOfProject(job.project!, headless.scratchDir);
      headless.studio.grantPath(working);
      await headless.call('project.open', { path: working }, io.signal);
    } else {
      await buildRenderProject(headless, job, io.signal);
    }
    return await headless.call('export.start', { outputPath: job.outputPath, settings: job.settings }, io.signal);
  } finally {
    off();
    progress.end();
    await headless.close();
  }
}

/** Runs the CLI; returns the exit status. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let job;
  try {
    job = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err.write(`studio-cli: ${error.message}\nTry: studio-cli --help\n`);
    return 2;
  }
  if (job === 'help') {
    io.out(`${HELP}\n`);
    return 0;
  }
  const started = performance.now();
  try {
    const result = await runJob(job, io);
    if (!job.quiet) {
      const wall = (performance.now() - started) / 1000;
      io.err.write(`wrote ${result.outputPath}: ${result.frames} frames, ${result.durationS.toFixed(2)} s of video in ${wall.toFixed(1)} s (${result.backend})\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'CANCELLED' && io.signal.aborted) {
      io.err.write('studio-cli: interrupted; nothing was written\n');
      return 130;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err.write(`studio-cli: ${message.split('\n')[0]}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) process.on(name, () => controller.abort());
  const code = await main(process.argv.slice(2), {
    err: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    out: (text) => process.stdout.write(text),
    signal: controller.signal,
  });
  // The engine child and its pipes are gone by now; exit without waiting on stray handles.
  process.exit(code);
}
