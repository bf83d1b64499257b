/**
 * probeMedia on audio and video containers, all made here by code or by ffmpeg. Durations of
 * lossy codecs carry encoder padding, hence the ±0.05 s tolerance where noted.
 */
import { describe, expect, it } from 'vitest';
import { probeMedia, type ProbedMedia } from '../../../src/main/media/media-probe.ts';
import { ffmpegEncode, lavfiSine, pcm16Wav } from '../../helpers/media-fixtures.ts';

type ProbedAudio = Extract<ProbedMedia, { kind: 'audio' }>;

/**
 * MP3 adds one 1152-sample frame of delay plus padding (1.28 s measured for 1.25 s at 44.1 kHz)
 * and Opus its 312-sample pre-skip (1.2565 s measured): both well inside 0.05 s.
 */
const LOSSY_TOLERANCE_S = 0.05;

async function probeAudio(name: string, bytes: Uint8Array): Promise<ProbedAudio> {
  const probed = await probeMedia(name, bytes);
  expect(probed.kind).toBe('audio');
  return probed as ProbedAudio;
}

describe('probeMedia, audio', () => {
  it('reads a 16-bit mono WAV written byte by byte, duration exact to 1 ms', async () => {
    const frames = 12_345;
    const probed = await probeAudio('speech.wav', pcm16Wav({ sampleRate: 16_000, frames }));
    expect(probed).toMatchObject({ mime: 'audio/wav', sampleRate: 16_000, channels: 1 });
    // ffprobe prints microseconds (0.771563 for 0.7715625 s), so 1 ms is loose enough and still
    // catches an off-by-one-block or a wrong byte rate.
    expect(Math.abs(probed.durationS - frames / 16_000)).toBeLessThan(0.001);
  });

  it('reads a 16-bit stereo WAV at 22.05 kHz', async () => {
    const probed = await probeAudio('stereo.wav', pcm16Wav({ sampleRate: 22_050, frames: 22_050 * 2, channels: 2 }));
    expect(probed).toMatchObject({ sampleRate: 22_050, channels: 2 });
    expect(Math.abs(probed.durationS - 2)).toBeLessThan(0.001);
  });

  it('reads a 24-bit stereo WAV at 48 kHz made by ffmpeg', async () => {
    const bytes = await ffmpegEncode([...lavfiSine(1.25, 48_000), '-ac', '2', '-c:a', 'pcm_s24le'], 'a.wav');
    // Bits per sample sit at byte 34 of the canonical header ffmpeg writes.
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint16(34, true)).toBe(24);
    const probed = await probeAudio('a.wav', bytes);
    expect(probed).toMatchObject({ mime: 'audio/wav', sampleRate: 48_000, channels: 2 });
    expect(Math.abs(probed.durationS - 1.25)).toBeLessThan(0.001);
  });

  it.each([
    // [file, ffmpeg output options, rate, channels, expected mime]
    ['a.mp3', ['-ac', '2', '-c:a', 'libmp3lame'], 44_100, 2, 'audio/mpeg'],
    ['a.m4a', ['-c:a', 'aac'], 44_100, 1, 'audio/x-m4a'],
    ['a.flac', ['-c:a', 'flac'], 22_050, 1, 'audio/flac'],
    ['a.ogg', ['-ac', '2', '-c:a', 'libopus'], 48_000, 2, 'audio/ogg; codecs=opus'],
  ] as const)('reads %s', async (file, options, rate, channels, mime) => {
    const bytes = await ffmpegEncode([...lavfiSine(1.25, rate), ...options], file);
    const probed = await probeAudio(file, bytes);
    expect(probed).toMatchObject({ mime, sampleRate: rate, channels });
    expect(Math.abs(probed.durationS - 1.25)).toBeLessThan(LOSSY_TOLERANCE_S);
  });

  it('takes the audio track of an MP4 video', async () => {
    const bytes = await ffmpegEncode(
      [
        '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=1.5',
        ...lavfiSine(1.5, 44_100),
        '-ac', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest',
      ],
      'clip.mp4',
    );
    const probed = await probeAudio('clip.mp4', bytes);
    expect(probed).toMatchObject({ mime: 'video/mp4', sampleRate: 44_100, channels: 2 });
    expect(Math.abs(probed.durationS - 1.5)).toBeLessThan(LOSSY_TOLERANCE_S);
  });

  it('decides by content, not by name: a WAV called portrait.png is audio', async () => {
    const probed = await probeAudio('portrait.png', pcm16Wav({ sampleRate: 8_000, frames: 8_000 }));
    expect(probed).toMatchObject({ mime: 'audio/wav', sampleRate: 8_000, channels: 1 });
  });
});
