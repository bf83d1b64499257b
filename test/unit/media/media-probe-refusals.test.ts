/** probeMedia refuses what is not a readable image or audio, saying which file and why. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { probeMedia } from '../../../src/main/media/media-probe.ts';
import { ApiError } from '../../../src/shared/api/errors.ts';
import { ffmpegEncode, pcm16Wav, pngBytes } from '../../helpers/media-fixtures.ts';
import { seededPrng } from '../../helpers/prng.ts';

async function refusal(name: string, bytes: Uint8Array, signal?: AbortSignal): Promise<ApiError> {
  const error: unknown = await probeMedia(name, bytes, signal).then(
    (probed) => new Error(`${name} was accepted as ${JSON.stringify({ ...probed, thumbnail: undefined })}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

/** A 2x2 24-bit BMP: 14-byte file header + 40-byte BITMAPINFOHEADER + two 8-byte rows. */
function tinyBmp(): Uint8Array {
  const out = new Uint8Array(54 + 16);
  const view = new DataView(out.buffer);
  out.set([0x42, 0x4d]); // 'BM'
  view.setUint32(2, out.byteLength, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, 2, true);
  view.setInt32(22, 2, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(34, 16, true);
  return out;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('probeMedia refusals', () => {
  it('refuses a text file, naming it', async () => {
    const error = await refusal('notes.txt', new TextEncoder().encode('Dear diary,\nno audio here.\n'.repeat(40)));
    expect(error.code).toBe('UNSUPPORTED_MEDIA');
    expect(error.message).toMatch(/^notes\.txt is not an image or audio file\./);
  });

  it('refuses seeded random bytes', async () => {
    const error = await refusal('noise.bin', seededPrng(7).bytes(16_384));
    expect(error.code).toBe('UNSUPPORTED_MEDIA');
    expect(error.message).toContain('noise.bin');
  });

  it('refuses a truncated PNG as corrupt, not as some other kind', async () => {
    const png = await pngBytes(300, 200);
    for (const cut of [100, Math.floor(png.byteLength / 2), png.byteLength - 20]) {
      const error = await refusal('cut.png', png.subarray(0, cut));
      expect(error.code, `cut at ${cut}`).toBe('UNSUPPORTED_MEDIA');
      expect(error.message).toMatch(/^cut\.png looks like an image but cannot be decoded .*truncated or corrupt/);
    }
  });

  it('refuses a WAV header with zero samples', async () => {
    const error = await refusal('silence.wav', pcm16Wav({ sampleRate: 16_000, frames: 0 }));
    expect(error.code).toBe('UNSUPPORTED_MEDIA');
    expect(error.message).toBe('silence.wav contains no audio samples (empty or corrupt audio).');
  });

  it('refuses an MP4 video without an audio track', async () => {
    const video = await ffmpegEncode(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p'], 'mute.mp4');
    const error = await refusal('mute.mp4', video);
    expect(error.code).toBe('UNSUPPORTED_MEDIA');
    expect(error.message).toMatch(/^mute\.mp4 is a file of type video\/mp4 without an audio track\./);
  });

  it('refuses an image format sharp does not read, naming the format', async () => {
    const error = await refusal('old.bmp', tinyBmp());
    expect(error.code).toBe('UNSUPPORTED_MEDIA');
    expect(error.message).toMatch(/^old\.bmp is a BMP image, which the studio does not read/);
  });

  it('answers MISSING_TOOL when SPLAT_STUDIO_FFPROBE points at no program', async () => {
    vi.stubEnv('SPLAT_STUDIO_FFPROBE', '/nonexistent/splat-test/ffprobe');
    const error = await refusal('speech.wav', pcm16Wav({ sampleRate: 16_000, frames: 1600 }));
    expect(error.code).toBe('MISSING_TOOL');
    expect(error.message).toMatch(/ffprobe was not found.*SPLAT_STUDIO_FFPROBE/);
  });

  it('still reads images without ffprobe: they never reach it', async () => {
    vi.stubEnv('SPLAT_STUDIO_FFPROBE', '/nonexistent/splat-test/ffprobe');
    expect((await probeMedia('p.png', await pngBytes(8, 8))).kind).toBe('image');
  });

  it('answers CANCELLED when the import is cancelled before ffprobe finishes', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await refusal('speech.wav', pcm16Wav({ sampleRate: 16_000, frames: 1600 }), controller.signal);
    expect(error.code).toBe('CANCELLED');
  });
});
