/**
 * Prepare the training dataset (training/DATASET.md) from ../shared/data with the app's own face
 * pipeline (src/main/engine/face), so training sees exactly the crops and cameras the studio makes.
 *
 *   node scripts/prepare-dataset.ts --data ../shared/data --out /tmp/splat-dataset
 *        [--size 256] [--clips id1,id2] [--max-frames N] [--split train|val] [--force]
 *
 * Per clip (talking/*.mp4 and silent/*.mp4 of MANIFEST.tsv), two streaming passes over the video
 * decoded by ffmpeg at 25 fps (`-vf fps=25`, raw RGB through a pipe, one frame in memory):
 *   1. detect the face mesh per frame (Human in video mode: the detector every 10 frames, the mesh
 *      tracks in between);
 *   2. cut the clip's stable crop (median centre and size), resize, write PNGs.
 * Then cameras.f32, landmarks.f32, canonical_landmarks.f32, audio.wav (16 kHz mono s16, sample 0 = frame 0), meta.json.
 * A clip whose meta.json exists (written last) with the same size and frame limit is skipped,
 * so an interrupted run resumes. Frames without a face take the previous frame's mesh (the next
 * one's for leading frames) and are counted in meta.json (frames_no_face).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CROP_CENTRE_DOWN,
  CROP_SIZE_PER_WIDTH,
  FACE_WIDTH_M,
  FOCAL_PER_SIZE,
  cropFovDegrees,
  cropFromMesh,
  cropOverflow,
  cropToPng,
  estimateCropCamera,
  headRotation,
  meshToHeadPerspective,
  smoothViews,
  snapCrop,
  stableCrop,
  toCropPixels,
  type CropRect,
  type Point3,
} from '../src/main/engine/face/index.ts';
import { detectFaces } from '../src/main/engine/face/detect.ts';
import { median, type Vec3 } from '../src/main/engine/face/geometry.ts';
import { ffmpegPath, ffprobePath } from '../src/main/media/tool-paths.ts';

/** Output frame rate of every clip (DATASET.md). */
export const DATASET_FPS = 25;
/** Output audio sample rate (DATASET.md). */
export const AUDIO_RATE = 16_000;
/** Landmarks per frame in landmarks.f32: Human's 468-point mesh + 10 iris points. */
export const LANDMARKS = 478;
/** Camera rotations: centred moving average over 2 * 1 + 1 = 3 frames (0.12 s), see smoothViews. */
export const CAMERA_SMOOTHING_RADIUS = 1;
/** Bump when the output format or the crop/camera rules change: older clips are redone. */
export const PREPARE_VERSION = 1;

interface ClipEntry {
  id: string;
  file: string; // relative to --data
  split: 'train' | 'val';
  hasSpeech: boolean;
  audioFile?: string; // relative to --data, when speech is in a separate file
}

interface VideoInfo {
  width: number;
  height: number;
  fps: number;
  start: number;
  audio?: { start: number };
}

function log(msg: string): void {
  process.stdout.write(`[prepare ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** Clips of MANIFEST.tsv: talking/*.mp4 (speech in the clip, or the .wav of the same name) and silent/*.mp4. */
export async function readManifest(dataDir: string): Promise<ClipEntry[]> {
  const text = await readFile(join(dataDir, 'MANIFEST.tsv'), 'utf8');
  const rows = text.split('\n').filter((l) => l.trim().length > 0);
  const header = (rows[0] ?? '').split('\t');
  const iFile = header.indexOf('file');
  const iSplit = header.indexOf('split');
  if (iFile < 0 || iSplit < 0) throw new Error('MANIFEST.tsv: expected columns file and split');
  const files = new Set(rows.slice(1).map((r) => r.split('\t')[iFile]));
  const clips: ClipEntry[] = [];
  for (const row of rows.slice(1)) {
    const cols = row.split('\t');
    const file = cols[iFile] ?? '';
    const m = /^(talking|silent)\/(.+)\.(mp4|mov|mkv|webm|avi)$/i.exec(file);
    if (!m) continue;
    const folder = m[1] ?? '';
    const stem = m[2] ?? '';
    const talking = folder === 'talking';
    const wav = `${folder}/${stem}.wav`;
    clips.push({
      id: stem,
      file,
      split: talking && cols[iSplit] === 'val' ? 'val' : 'train',
      hasSpeech: talking,
      audioFile: talking && files.has(wav) ? wav : undefined,
    });
  }
  const seen = new Set<string>();
  for (const c of clips) {
    if (seen.has(c.id)) c.id = c.file.replace(/\.[^.]+$/, '').replace('/', '_');
    seen.add(c.id);
  }
  return clips;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', rej);
    p.on('close', (code) => (code === 0 ? res(out) : rej(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-800)}`))));
  });
}

async function probeVideo(file: string): Promise<VideoInfo> {
  const json = JSON.parse(await run(ffprobePath(), ['-v', 'error', '-print_format', 'json', '-show_streams', file])) as {
    streams: { codec_type: string; width?: number; height?: number; r_frame_rate?: string; start_time?: string; side_data_list?: { rotation?: number }[] }[];
  };
  const v = json.streams.find((s) => s.codec_type === 'video');
  if (!v || !v.width || !v.height) throw new Error(`${file}: no video stream`);
  const rot = Math.abs(v.side_data_list?.find((s) => s.rotation !== undefined)?.rotation ?? 0);
  const [n, d] = (v.r_frame_rate ?? '25/1').split('/').map(Number);
  const a = json.streams.find((s) => s.codec_type === 'audio');
  return {
    width: rot === 90 || rot === 270 ? v.height : v.width,
    height: rot === 90 || rot === 270 ? v.width : v.height,
    fps: (n ?? 25) / (d || 1),
    start: Number(v.start_time ?? 0) || 0,
    audio: a ? { start: Number(a.start_time ?? 0) || 0 } : undefined,
  };
}

/**
 * Decoded frames at 25 fps as raw RGB, one at a time (the async iterator's backpressure keeps at
 * most a pipe buffer plus one frame in memory).
 */
async function* decodeFrames(file: string, info: VideoInfo, maxFrames?: number): AsyncGenerator<Uint8Array> {
  const args = ['-v', 'error', '-nostdin', '-i', file, '-map', '0:v:0', '-vf', `fps=${DATASET_FPS}`];
  if (maxFrames !== undefined) args.push('-frames:v', String(maxFrames));
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  const proc = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((res) => proc.on('close', (code) => res(code)));
  const frameBytes = info.width * info.height * 3;
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  try {
    for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - off);
        frame.set(chunk.subarray(off, off + n), filled);
        filled += n;
        off += n;
        if (filled === frameBytes) {
          yield frame;
          frame = new Uint8Array(frameBytes);
          filled = 0;
        }
      }
    }
    const code = await exited;
    if (code !== 0) throw new Error(`ffmpeg decode of ${file} failed (${code}): ${err.slice(-800)}`);
  } finally {
    if (proc.exitCode === null) proc.kill('SIGTERM');
  }
}

/**
 * audio.wav: 16 kHz mono 16-bit PCM, sample 0 at the time of frame 0 (the video stream's start),
 * exactly frames / 25 s long (trimmed, or padded with silence). Stereo, 24-bit or other rates are
 * converted by ffmpeg (channels averaged by -ac 1). Clips without speech get silence.
 */
async function writeAudio(entry: ClipEntry, dataDir: string, info: VideoInfo, frames: number, out: string): Promise<void> {
  const duration = (frames / DATASET_FPS).toFixed(6);
  const common = ['-ac', '1', '-ar', String(AUDIO_RATE), '-c:a', 'pcm_s16le', '-t', duration, '-y', out];
  if (!entry.hasSpeech || (!entry.audioFile && !info.audio)) {
    await run(ffmpegPath(), ['-v', 'error', '-nostdin', '-f', 'lavfi', '-i', `anullsrc=r=${AUDIO_RATE}:cl=mono`, ...common]);
    return;
  }
  // Offset of the audio's first sample from frame 0: a separate .wav starts at 0 with the video.
  const offset = entry.audioFile ? -info.start : (info.audio?.start ?? 0) - info.start;
  const filters: string[] = [];
  if (offset > 0) filters.push(`adelay=${Math.round(offset * 1000)}:all=1`);
  if (offset < 0) filters.push(`atrim=start=${(-offset).toFixed(6)}`, 'asetpts=PTS-STARTPTS');
  filters.push('apad'); // pad the end with silence; -t cuts at exactly frames / 25 s
  const src = join(dataDir, entry.audioFile ?? entry.file);
  await run(ffmpegPath(), ['-v', 'error', '-nostdin', '-i', src, '-map', '0:a:0', '-af', filters.join(','), ...common]);
}

interface Options {
  data: string;
  out: string;
  size: number;
  clips?: string[];
  maxFrames?: number;
  split?: 'train' | 'val';
  force: boolean;
}

interface ClipResult {
  id: string;
  frames: number;
  noFace: number;
  seconds: number;
  detectMsPerFrame: number;
  skipped: boolean;
}

async function prepareClip(entry: ClipEntry, opt: Options): Promise<ClipResult> {
  const t0 = performance.now();
  const dir = join(opt.out, entry.id);
  const metaPath = join(dir, 'meta.json');
  if (!opt.force && existsSync(metaPath)) {
    try {
      const m = JSON.parse(await readFile(metaPath, 'utf8')) as { size: number; max_frames: number | null; prepare_version: number; frames: number; frames_no_face: number };
      if (m.size === opt.size && m.max_frames === (opt.maxFrames ?? null) && m.prepare_version === PREPARE_VERSION) {
        return { id: entry.id, frames: m.frames, noFace: m.frames_no_face, seconds: 0, detectMsPerFrame: 0, skipped: true };
      }
    } catch {
      // unreadable meta: redo the clip
    }
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'frames'), { recursive: true });
  const src = join(opt.data, entry.file);
  const info = await probeVideo(src);

  // Pass 1: meshes per frame (source pixels).
  const meshes: (Point3[] | null)[] = [];
  let detectMs = 0;
  let severalFaces = 0;
  for await (const rgb of decodeFrames(src, info, opt.maxFrames)) {
    const t = performance.now();
    const faces = await detectFaces({ data: rgb, width: info.width, height: info.height, channels: 3 }, { video: true });
    detectMs += performance.now() - t;
    if (faces.length > 1) severalFaces++;
    meshes.push(faces[0]?.mesh ?? null);
    if (meshes.length % 250 === 0) log(`${entry.id}: detected ${meshes.length} frames (${(detectMs / meshes.length).toFixed(1)} ms/frame)`);
  }
  const frames = meshes.length;
  if (frames === 0) throw new Error(`${entry.id}: no frames decoded`);
  const noFace = meshes.filter((m) => m === null).length;
  if (noFace === frames) throw new Error(`${entry.id}: no face in any of ${frames} frames`);
  // Frames without a face: the previous frame's mesh (the first detected one for leading frames).
  const firstFound = meshes.findIndex((m) => m !== null);
  const filled: Point3[][] = [];
  const firstMesh = meshes[firstFound]!;
  for (let i = 0; i < frames; i++) filled.push(meshes[i] ?? (i < firstFound ? firstMesh : filled[i - 1]!));

  const crop: CropRect = snapCrop(stableCrop(meshes.filter((m): m is Point3[] => m !== null).map((m) => cropFromMesh(m))));

  // Cameras and landmarks.
  const cameras = new Float32Array(frames * 16);
  const landmarks = new Float32Array(frames * LANDMARKS * 2);
  const rawCameras = filled.map((mesh) => estimateCropCamera(mesh, crop, opt.size, headRotation(mesh)));
  const views = smoothViews(rawCameras.map((c) => c.view), CAMERA_SMOOTHING_RADIUS);
  const depths = views.map((v) => v[11] ?? Number.NaN);
  // The clip's canonical face in head space: per landmark, the median over detected frames of the
  // mesh unprojected through that frame's own (unsmoothed) camera (meshToHeadPerspective).
  const headMeshes: Vec3[][] = [];
  for (let i = 0; i < frames; i++) if (meshes[i] !== null) headMeshes.push(meshToHeadPerspective(filled[i]!, crop, opt.size, rawCameras[i]!));
  const canonical = new Float32Array(LANDMARKS * 3);
  for (let j = 0; j < LANDMARKS; j++) for (let a = 0; a < 3; a++) canonical[j * 3 + a] = median(headMeshes.map((hm) => hm[j]?.[a] ?? Number.NaN));
  for (let i = 0; i < frames; i++) {
    const mesh = filled[i]!;
    cameras.set(views[i]!, i * 16);
    const lm = toCropPixels(mesh.slice(0, LANDMARKS), crop, opt.size);
    for (let j = 0; j < LANDMARKS; j++) {
      landmarks[(i * LANDMARKS + j) * 2] = lm[j]?.[0] ?? Number.NaN;
      landmarks[(i * LANDMARKS + j) * 2 + 1] = lm[j]?.[1] ?? Number.NaN;
    }
  }

  // Pass 2: crop, resize, PNG. A few encodes in flight (sharp works off the main thread).
  let index = 0;
  const pending = new Set<Promise<void>>();
  for await (const rgb of decodeFrames(src, info, frames)) {
    if (index >= frames) break;
    const name = join(dir, 'frames', `${String(index).padStart(6, '0')}.png`);
    const job = cropToPng({ data: rgb, width: info.width, height: info.height, channels: 3 }, crop, opt.size).then((png) => writeFile(name, png));
    const tracked: Promise<void> = job.finally(() => pending.delete(tracked));
    pending.add(tracked);
    if (pending.size >= 4) await Promise.race(pending);
    index++;
  }
  await Promise.all(pending);
  if (index !== frames) throw new Error(`${entry.id}: second decode gave ${index} frames, first gave ${frames}`);

  await writeFile(join(dir, 'cameras.f32'), new Uint8Array(cameras.buffer));
  await writeFile(join(dir, 'landmarks.f32'), new Uint8Array(landmarks.buffer));
  await writeFile(join(dir, 'canonical_landmarks.f32'), new Uint8Array(canonical.buffer));
  await writeAudio(entry, opt.data, info, frames, join(dir, 'audio.wav'));

  const meta = {
    id: entry.id,
    split: entry.split,
    source: entry.file,
    audio_source: entry.hasSpeech ? (entry.audioFile ?? entry.file) : null,
    source_fps: info.fps,
    source_size: [info.width, info.height],
    fps: DATASET_FPS,
    frames,
    size: opt.size,
    intrinsics: { fx: FOCAL_PER_SIZE * opt.size, fy: FOCAL_PER_SIZE * opt.size, cx: opt.size / 2, cy: opt.size / 2 },
    fov_degrees: cropFovDegrees(),
    crop,
    crop_overflow: cropOverflow(crop, info.width, info.height),
    crop_rule: { size_per_face_width: CROP_SIZE_PER_WIDTH, centre_down_per_face_width: CROP_CENTRE_DOWN, stable: 'median over frames' },
    face_width_m: FACE_WIDTH_M,
    camera_rotation_smoothing_frames: 2 * CAMERA_SMOOTHING_RADIUS + 1,
    camera_depth_m: { min: Math.min(...depths), max: Math.max(...depths) },
    landmarks: LANDMARKS,
    has_speech: entry.hasSpeech,
    audio: { sample_rate: AUDIO_RATE, channels: 1, format: 's16le', samples: Math.round((frames * AUDIO_RATE) / DATASET_FPS) },
    frames_no_face: noFace,
    frames_several_faces: severalFaces,
    max_frames: opt.maxFrames ?? null,
    prepare_version: PREPARE_VERSION,
    detect_ms_per_frame: detectMs / frames,
  };
  await writeFile(`${metaPath}.tmp`, JSON.stringify(meta, null, 2) + '\n');
  await rename(`${metaPath}.tmp`, metaPath); // meta.json last: its presence marks a finished clip
  return { id: entry.id, frames, noFace, seconds: (performance.now() - t0) / 1000, detectMsPerFrame: detectMs / frames, skipped: false };
}

/** index.json from every finished clip folder under out (so partial runs and --clips runs add up). */
async function writeIndex(out: string, size: number, dataDir: string): Promise<number> {
  const clips: { id: string; split: string; frames: number; source: string; has_speech: boolean }[] = [];
  for (const name of (await readdir(out, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const metaPath = join(out, name, 'meta.json');
    if (!existsSync(metaPath)) continue;
    const m = JSON.parse(await readFile(metaPath, 'utf8')) as { id: string; split: string; frames: number; source: string; size: number; has_speech: boolean };
    if (m.size !== size) continue;
    clips.push({ id: m.id, split: m.split, frames: m.frames, source: m.source, has_speech: m.has_speech });
  }
  const index = { version: 1, size, fps: DATASET_FPS, landmarks: LANDMARKS, data: relative(out, dataDir) || '.', clips };
  await writeFile(join(out, 'index.json.tmp'), JSON.stringify(index, null, 2) + '\n');
  await rename(join(out, 'index.json.tmp'), join(out, 'index.json'));
  return clips.length;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: '../shared/data' },
      out: { type: 'string' },
      size: { type: 'string', default: '256' },
      clips: { type: 'string' },
      'max-frames': { type: 'string' },
      split: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.out) {
    process.stdout.write(
      'usage: node scripts/prepare-dataset.ts --data ../shared/data --out <dir> [--size 256] [--clips id1,id2] [--max-frames N] [--split train|val] [--force]\n',
    );
    process.exit(values.help ? 0 : 2);
  }
  const size = Number(values.size);
  if (!Number.isInteger(size) || size < 16) throw new Error(`--size: expected an integer >= 16, got ${values.size}`);
  const maxFrames = values['max-frames'] !== undefined ? Number(values['max-frames']) : undefined;
  if (maxFrames !== undefined && !(Number.isInteger(maxFrames) && maxFrames > 0)) throw new Error(`--max-frames: expected a positive integer, got ${values['max-frames']}`);
  if (values.split !== undefined && values.split !== 'train' && values.split !== 'val') throw new Error(`--split: expected train or val, got ${values.split}`);
  return {
    data: resolve(values.data),
    out: resolve(values.out),
    size,
    clips: values.clips?.split(',').map((s) => s.trim()).filter(Boolean),
    maxFrames,
    split: values.split as 'train' | 'val' | undefined,
    force: values.force,
  };
}

export async function main(argv: string[]): Promise<number> {
  const opt = parseOptions(argv);
  if (!existsSync(join(opt.data, 'MANIFEST.tsv'))) throw new Error(`${opt.data}: no MANIFEST.tsv (pass --data, the shared data folder)`);
  let clips = await readManifest(opt.data);
  if (opt.clips) {
    const unknown = opt.clips.filter((id) => !clips.some((c) => c.id === id));
    if (unknown.length) throw new Error(`unknown clip id(s): ${unknown.join(', ')}; known: ${clips.map((c) => c.id).join(', ')}`);
    clips = clips.filter((c) => opt.clips?.includes(c.id));
  }
  if (opt.split) clips = clips.filter((c) => c.split === opt.split);
  await mkdir(opt.out, { recursive: true });
  log(`${clips.length} clips -> ${opt.out} (size ${opt.size}${opt.maxFrames ? `, at most ${opt.maxFrames} frames` : ''})`);
  const t0 = performance.now();
  let frames = 0;
  let noFace = 0;
  let detectMs = 0;
  let detectFrames = 0;
  const failed: string[] = [];
  for (const [i, entry] of clips.entries()) {
    try {
      const r = await prepareClip(entry, opt);
      frames += r.frames;
      noFace += r.noFace;
      if (!r.skipped) {
        detectMs += r.detectMsPerFrame * r.frames;
        detectFrames += r.frames;
      }
      log(
        r.skipped
          ? `[${i + 1}/${clips.length}] ${entry.id}: already prepared (${r.frames} frames), skipped`
          : `[${i + 1}/${clips.length}] ${entry.id}: ${r.frames} frames, ${r.noFace} without a face, ${r.seconds.toFixed(1)} s (detect ${r.detectMsPerFrame.toFixed(1)} ms/frame)`,
      );
    } catch (err) {
      failed.push(entry.id);
      log(`[${i + 1}/${clips.length}] ${entry.id}: FAILED: ${(err as Error).message}`);
    }
    await writeIndex(opt.out, opt.size, opt.data);
  }
  const total = await writeIndex(opt.out, opt.size, opt.data);
  const secs = (performance.now() - t0) / 1000;
  log(
    `done: ${clips.length - failed.length}/${clips.length} clips, ${frames} frames, ${noFace} frames without a face, ${secs.toFixed(1)} s` +
      (detectFrames ? `, detect ${(detectMs / detectFrames).toFixed(1)} ms/frame, ${((secs * 1000) / detectFrames).toFixed(1)} ms/frame overall` : '') +
      `; index.json lists ${total} clips` +
      (failed.length ? `; FAILED: ${failed.join(', ')}` : ''),
  );
  return failed.length ? 1 : 0;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`prepare-dataset: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
