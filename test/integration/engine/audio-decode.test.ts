/**
 * decodeAudio (src/main/engine/audio/decode-audio.ts) on files made here by the installed ffmpeg
 * from one real speech clip of the shared data (4 s of hallo_1.wav, 44.1 kHz stereo), or from a
 * 440 Hz sine when the shared data is absent. Also the chunk realignment of pcm-stream.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, MAX_AUDIO_DURATION_S, type DecodedAudio } from '../../../src/main/engine/audio/decode-audio.ts';
import { F32Aligner } from '../../../src/main/engine/audio/pcm-stream.ts';
import { INSTALL_FFMPEG_HINT } from '../../../src/main/media/tool-paths.ts';
import { pcm16Wav } from '../../helpers/media-fixtures.ts';
import { seededPrng } from '../../helpers/prng.ts';
import { HAS_SHARED_DATA, SHARED_DATA } from '../face/shared-data.ts';

const run = promisify(execFile);
const SPEECH = join(SHARED_DATA, 'speech', 'hallo_1.wav');
const HAS_SPEECH = HAS_SHARED_DATA && existsSync(SPEECH);
const NO_SPEECH = `skipped: ${SPEECH} (shared real speech) is absent on this machine`;
const SOURCE_S = 4;
/** One video frame at 25 fps: the duration every format must reach. */
const FRAME_S = 1 / 25;

let dir = '';
const at = (name: string): string => join(dir, name);

async function ffmpeg(...args: string[]): Promise<void> {
  await run('ffmpeg', ['-y', '-v', 'error', '-nostdin', ...args], { timeout: 60_000 });
}

/** Test video with sound: a 64 px lavfi pattern muxed with the source audio. */
const video = (codec: string[]): (() => string[]) => () => ['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=25', '-i', at('source.wav'), '-shortest', '-pix_fmt', 'yuv420p', ...codec];

/**
 * [file, ffmpeg arguments (called once the folder exists)] for every container; the lossless ones
 * are compared sample by sample below.
 */
const FORMATS: ReadonlyArray<readonly [string, () => string[]]> = [
  ...[44100, 48000].flatMap((rate) => [
    [`s16-${rate}.wav`, () => ['-i', at('source.wav'), '-ar', String(rate), '-ac', '2', '-c:a', 'pcm_s16le']] as const,
    // The wider formats hold the s16 file's values exactly, so they must decode like it.
    ...['s24', 's32', 'f32'].map((fmt) => [`${fmt}-${rate}.wav`, () => ['-i', at(`s16-${rate}.wav`), '-c:a', `pcm_${fmt}le`]] as const),
  ]),
  ['speech.flac', () => ['-i', at('source.wav'), '-c:a', 'flac']],
  ['speech.mp3', () => ['-i', at('source.wav'), '-c:a', 'libmp3lame']],
  ['speech.m4a', () => ['-i', at('source.wav'), '-c:a', 'aac']],
  ['vorbis.ogg', () => ['-i', at('source.wav'), '-c:a', 'libvorbis']],
  ['opus.ogg', () => ['-i', at('source.wav'), '-c:a', 'libopus']],
  ['video.mp4', video(['-c:v', 'libx264', '-c:a', 'aac'])],
  ['video.webm', video(['-c:v', 'libvpx', '-c:a', 'libopus'])],
  ['video.mov', video(['-c:v', 'mpeg4', '-c:a', 'pcm_s16le'])],
  ['video.mkv', video(['-c:v', 'libx264', '-c:a', 'flac'])],
];

/**
 * Lossless files against the decode of the s16 WAV at their own rate (or of the 44.1 kHz source):
 * the same PCM reaches ffmpeg's resampler, which works in float, so the output is identical
 * (measured max |diff| 0 with Debian's ffmpeg 5.1); 1e-6 leaves room for another build's
 * rounding order and is still 30x under one 16-bit step (3.1e-5).
 */
const LOSSLESS_TOLERANCE = 1e-6;
const LOSSLESS: ReadonlyArray<readonly [string, string]> = [
  ...[44100, 48000].flatMap((rate) => ['s24', 's32', 'f32'].map((fmt) => [`${fmt}-${rate}.wav`, `s16-${rate}.wav`] as const)),
  ['s16-44100.wav', 'source.wav'],
  ['speech.flac', 'source.wav'],
  ['video.mov', 'source.wav'],
  ['video.mkv', 'source.wav'],
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sps-decode-'));
  const source = HAS_SPEECH ? ['-i', SPEECH] : ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-ac', '2'];
  await ffmpeg(...source, '-t', String(SOURCE_S), '-ar', '44100', '-c:a', 'pcm_s16le', at('source.wav'));
  for (const [file, args] of FORMATS) await ffmpeg(...args(), at(file));
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(decodedFixtures.values());
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Each fixture decoded once, shared by the tests that look at it. */
const decodedFixtures = new Map<string, Promise<DecodedAudio>>();
function decodeFixture(file: string): Promise<DecodedAudio> {
  let decoded = decodedFixtures.get(file);
  if (!decoded) decodedFixtures.set(file, (decoded = decodeAudio(at(file))));
  return decoded;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

/** Pearson correlation over the common length. */
function correlation(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let [sa, sb, saa, sbb, sab] = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  return (n * sab - sa * sb) / Math.sqrt((n * saa - sa * sa) * (n * sbb - sb * sb));
}

async function expectApiError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'ApiError', code, message: expect.stringMatching(message) });
}

describe(`decodeAudio, every common format (${HAS_SPEECH ? '4 s of hallo_1.wav' : 'a 440 Hz sine: the shared speech is absent'})`, () => {
  it.each(FORMATS.map(([file]) => file))('decodes %s to 16 kHz mono within one video frame of the source', async (file) => {
    const decoded = await decodeFixture(file);
    expect(decoded.sampleRate).toBe(16000);
    expect(decoded.durationS).toBe(decoded.samples.length / 16000);
    // AAC's priming/padding makes the longest (+0.017 s measured); MP3 and Opus are trimmed exactly.
    expect(Math.abs(decoded.durationS - SOURCE_S)).toBeLessThanOrEqual(FRAME_S);
  });

  it.each(LOSSLESS)('decodes lossless %s like %s', async (file, reference) => {
    const [a, b] = await Promise.all([decodeFixture(file), decodeFixture(reference)]);
    expect(a.samples.length).toBe(b.samples.length);
    expect(maxAbsDiff(a.samples, b.samples)).toBeLessThanOrEqual(LOSSLESS_TOLERANCE);
  });

  it('decodes the 48 kHz WAV like the 44.1 kHz source, up to the resamplers', async () => {
    const [a, b] = await Promise.all([decodeFixture('s16-48000.wav'), decodeFixture('source.wav')]);
    // Two resampling paths (44.1 -> 48 kHz with 16-bit requantisation when the fixture was made,
    // then 48 -> 16 vs 44.1 -> 16): measured max |diff| 5.1e-5 on the speech.
    expect(maxAbsDiff(a.samples, b.samples)).toBeLessThan(2e-4);
  });

  it.each(['speech.mp3', 'speech.m4a', 'vorbis.ogg', 'opus.ogg', 'video.mp4', 'video.webm'])('decodes lossy %s in time with the source', async (file) => {
    const [a, b] = await Promise.all([decodeFixture(file), decodeFixture('source.wav')]);
    // Sample-aligned waveforms (the decoders drop the encoder delay): measured >= 0.997 at default
    // bitrates (Vorbis lowest), while the same files one 16 kHz sample off give 0.947.
    expect(correlation(a.samples, b.samples)).toBeGreaterThan(0.99);
  });

  it('decodes 16 kHz mono 16-bit PCM as sample / 32768, exactly (logmel-v1 input rule)', async () => {
    const bytes = pcm16Wav({ sampleRate: 16000, frames: 8000 });
    await writeFile(at('exact.wav'), bytes);
    const { samples } = await decodeAudio(at('exact.wav'));
    const pcm = new Int16Array(bytes.slice(44).buffer);
    expect(samples).toEqual(Float32Array.from(pcm, (v) => v / 32768));
  });
});

describe('decodeAudio, segments and length', () => {
  it('decodes a startS / durationS segment to that length, matching the whole decode inside it', async () => {
    const whole = await decodeFixture('source.wav');
    const part = await decodeAudio(at('source.wav'), { startS: 1, durationS: 2 });
    expect(part.samples.length).toBe(32000);
    // The resampler restarts at the cut, so the first samples differ (17 measured; 64 skipped at
    // each end); inside, the same input gives the same output: measured max |diff| 0.
    const inner = part.samples.subarray(64, 32000 - 64);
    expect(maxAbsDiff(inner, whole.samples.subarray(16000 + 64, 48000 - 64))).toBeLessThanOrEqual(LOSSLESS_TOLERANCE);
    const tail = await decodeAudio(at('speech.flac'), { startS: 3 });
    expect(Math.abs(tail.durationS - 1)).toBeLessThanOrEqual(1 / 16000);
  });

  it('refuses a segment that starts at or past the end', async () => {
    await expectApiError(decodeAudio(at('source.wav'), { startS: SOURCE_S }), 'INVALID_INPUT', /^source\.wav is 4\.00 s long; a segment cannot start at 4\.00 s\.$/);
  });

  it('grows its buffer when the container does not state its length (FLAC written to a pipe)', async () => {
    // 40 s: past the 30 s first guess for files of unknown length.
    await run('sh', ['-c', `ffmpeg -v error -nostdin -f lavfi -i sine=frequency=300:sample_rate=16000:duration=40 -c:a flac -f flac pipe:1 > '${at('piped.flac')}'`]);
    await ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=16000:duration=40', '-c:a', 'pcm_s16le', at('sine40.wav'));
    const [piped, wav] = await Promise.all([decodeAudio(at('piped.flac')), decodeAudio(at('sine40.wav'))]);
    expect(piped.samples.length).toBe(640_000);
    expect(piped.samples).toEqual(wav.samples);
  });

  it(`refuses a 61-minute file as TOO_LARGE from the probe, before any decoding (limit ${MAX_AUDIO_DURATION_S / 60} min)`, async () => {
    // Silence compresses to ~0.7 MB of FLAC, made in ~0.4 s.
    await ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '3660', '-c:a', 'flac', at('long.flac'));
    const saved = process.env.SPLAT_STUDIO_FFMPEG;
    // With no ffmpeg to run, any decoding attempt would answer MISSING_TOOL instead.
    process.env.SPLAT_STUDIO_FFMPEG = '/nonexistent/ffmpeg';
    try {
      const started = performance.now();
      await expectApiError(decodeAudio(at('long.flac')), 'TOO_LARGE', /^long\.flac is 61:00 long; clips up to 20:00 can be baked\. Split it into shorter clips\.$/);
      // ffprobe alone: ~40 ms measured; decoding an hour would take seconds.
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      if (saved === undefined) delete process.env.SPLAT_STUDIO_FFMPEG;
      else process.env.SPLAT_STUDIO_FFMPEG = saved;
    }
    // A short segment of the same long recording is fine: the limit is on what is decoded.
    const part = await decodeAudio(at('long.flac'), { startS: 600, durationS: 2 });
    expect(part.samples.length).toBe(32000);
    expect(part.samples.every((v) => v === 0)).toBe(true);
  });

  it('refuses mid-decode when a file of unstated length passes the limit', async () => {
    await run('sh', ['-c', `ffmpeg -v error -nostdin -f lavfi -i sine=sample_rate=16000:duration=3 -c:a flac -f flac pipe:1 > '${at('piped3.flac')}'`]);
    await expectApiError(decodeAudio(at('piped3.flac'), { maxDurationS: 1 }), 'TOO_LARGE', /^piped3\.flac is longer than 0:01; clips up to 0:01 can be baked/);
  });
});

describe('decodeAudio, files it refuses', () => {
  it('says a PNG, a text file and a silent video have no audio track', async () => {
    await ffmpeg('-f', 'lavfi', '-i', 'color=red:size=16x16', '-frames:v', '1', at('portrait.png'));
    await writeFile(at('notes.txt'), 'Lines for the avatar to say.\n');
    await ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=25', '-t', '1', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', at('silent.mp4'));
    await expectApiError(decodeAudio(at('portrait.png')), 'UNSUPPORTED_MEDIA', /^portrait\.png has no audio track \(it is an image\)/);
    await expectApiError(decodeAudio(at('notes.txt')), 'UNSUPPORTED_MEDIA', /^notes\.txt has no audio track \(it is not an audio or video file/);
    await expectApiError(decodeAudio(at('silent.mp4')), 'UNSUPPORTED_MEDIA', /^silent\.mp4 has no audio track \(it is a video without sound\)/);
  });

  it('refuses random bytes named .mp3, a truncated FLAC and a truncated MP4 as corrupt', async () => {
    await writeFile(at('noise.mp3'), seededPrng(9).bytes(40_000));
    // The first fifth of each file.
    const cut = (file: string): Buffer => readFileSync(at(file)).subarray(0, Math.floor(readFileSync(at(file)).length / 5));
    await writeFile(at('cut.flac'), cut('speech.flac'));
    await writeFile(at('cut.m4a'), cut('speech.m4a'));
    await expectApiError(decodeAudio(at('noise.mp3')), 'UNSUPPORTED_MEDIA', /^noise\.mp3 has no audio track \(it is not an audio or video file ffmpeg can read, or it is corrupt\)/);
    // The FLAC header still says 4 s; the decoder stops at the cut with an error.
    await expectApiError(decodeAudio(at('cut.flac')), 'UNSUPPORTED_MEDIA', /^cut\.flac is damaged: only \d\.\d s of its 4\.0 s could be decoded \(.+\)\. It may be truncated or corrupt\.$/);
    // MP4 keeps its index (moov) at the end: without it nothing is readable.
    await expectApiError(decodeAudio(at('cut.m4a')), 'UNSUPPORTED_MEDIA', /^cut\.m4a has no audio track \(.*corrupt\)/);
  });

  it('refuses an empty WAV (header only), a 0-byte file and a missing one', async () => {
    await writeFile(at('header-only.wav'), pcm16Wav({ sampleRate: 16000, frames: 0 }));
    await writeFile(at('zero.wav'), new Uint8Array(0));
    await expectApiError(decodeAudio(at('header-only.wav')), 'UNSUPPORTED_MEDIA', /^header-only\.wav contains no audio samples \(empty or corrupt audio/);
    await expectApiError(decodeAudio(at('zero.wav')), 'UNSUPPORTED_MEDIA', /^zero\.wav is empty \(0 bytes\)\.$/);
    await expectApiError(decodeAudio(at('absent.wav')), 'NOT_FOUND', /^absent\.wav was not found/);
  });

  it('answers MISSING_TOOL, with the install hint, when ffmpeg is not installed', async () => {
    const saved = process.env.SPLAT_STUDIO_FFMPEG;
    process.env.SPLAT_STUDIO_FFMPEG = '/nonexistent/ffmpeg';
    try {
      const error = await decodeAudio(at('source.wav')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'MISSING_TOOL' });
      expect((error as Error).message).toContain(INSTALL_FFMPEG_HINT);
    } finally {
      if (saved === undefined) delete process.env.SPLAT_STUDIO_FFMPEG;
      else process.env.SPLAT_STUDIO_FFMPEG = saved;
    }
  });
});

/** Pids of live processes whose command line mentions `text` (Linux /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

describe('decodeAudio, cancellation', () => {
  it('answers CANCELLED when aborted mid-decode, and leaves no ffmpeg running', async () => {
    await ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=60', '-c:a', 'flac', at('minute.flac'));
    const controller = new AbortController();
    let chunks = 0;
    const decoding = decodeAudio(at('minute.flac'), {
      signal: controller.signal,
      onProgress: () => {
        chunks++;
        controller.abort();
      },
    });
    await expectApiError(decoding, 'CANCELLED', /^Audio decoding cancelled$/);
    expect(chunks).toBeGreaterThanOrEqual(1);
    if (existsSync('/proc')) expect(processesMentioning(at('minute.flac'))).toEqual([]);
  });

  it('answers CANCELLED at once for a signal aborted before the call', async () => {
    await expectApiError(decodeAudio(at('source.wav'), { signal: AbortSignal.abort() }), 'CANCELLED', /cancelled/);
  });
});

/** The samples of a 16-bit PCM WAV, found by walking its RIFF chunks (it may carry LIST and others). */
function wavPcm16(bytes: Buffer): Int16Array {
  expect(bytes.toString('latin1', 0, 4) + bytes.toString('latin1', 8, 12)).toBe('RIFFWAVE');
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ') expect([bytes.readUInt16LE(at + 8), bytes.readUInt16LE(at + 22)]).toEqual([1, 16]); // PCM, 16-bit
    if (id === 'data') return new Int16Array(new Uint8Array(bytes.subarray(at + 8, at + 8 + size)).buffer);
    at += 8 + size + (size % 2); // chunks are padded to even sizes
  }
  throw new Error('no data chunk');
}

describe.skipIf(!HAS_SHARED_DATA)(`decodeAudio on shared real speech (${HAS_SHARED_DATA ? SHARED_DATA : NO_SPEECH})`, () => {
  it('decodes the 60 s 16 kHz mono clip as its 16-bit samples / 32768, exactly', async () => {
    const file = join(SHARED_DATA, 'speech', 'musetalk_eng_60s.wav');
    const started = performance.now();
    const { samples, durationS } = await decodeAudio(file);
    const ms = performance.now() - started;
    expect(durationS).toBe(60);
    const pcm = wavPcm16(readFileSync(file));
    expect(samples).toEqual(Float32Array.from(pcm, (v) => v / 32768));
    console.info(`decodeAudio: 60 s of 16 kHz speech in ${ms.toFixed(0)} ms`);
  });

  it('decodes the 24-bit 48 kHz stereo originals to their probed length', async () => {
    for (const [name, seconds] of [['sadtalker_deyu.wav', 9.342667], ['sadtalker_japanese.wav', 9.092417]] as const) {
      const { durationS } = await decodeAudio(join(SHARED_DATA, 'speech', name));
      expect(Math.abs(durationS - seconds)).toBeLessThanOrEqual(1 / 16000);
    }
  });
});

describe('F32Aligner', () => {
  it('rebuilds the floats from bytes cut at any place, views and copies alike', () => {
    const prng = seededPrng(21);
    const floats = Float32Array.from({ length: 500 }, () => prng.next() * 2 - 1);
    // One spare byte in front, so some runs sit off the 4-byte boundary and must be copied.
    const padded = new Uint8Array(floats.byteLength + 1);
    padded.set(new Uint8Array(floats.buffer), 1);
    const bytes = padded.subarray(1);
    for (let trial = 0; trial < 20; trial++) {
      const aligner = new F32Aligner();
      const out: number[] = [];
      for (let i = 0; i < bytes.length; ) {
        const size = prng.int(1, 13);
        aligner.push(bytes.subarray(i, i + size), (run) => out.push(...run));
        i += size;
      }
      expect(aligner.pending).toBe(0);
      expect(Float32Array.from(out)).toEqual(floats);
    }
  });
});
