/**
 * The ffmpeg command line of an export (Debian's ffmpeg 5.1: libx264, libx265, libvpx-vp9,
 * prores_ks, aac, libopus; ../shared/ENVIRONMENT.md). Input 0 is raw video on stdin (rgb24 or
 * rgba, width x height, at the export's frame rate); input 1 the mixed float WAV. The container is
 * named with -f, because the output is written under a temporary name (atomic-output.ts).
 *
 * Colour: frames hold display (sRGB-encoded) values; 4:2:0 and 4:4:4 outputs are converted with
 * the BT.709 matrix into limited range and tagged so (players assume BT.709 for HD), ProRes keeps
 * 10 bits. Defaults: x264 CRF 18 (visually lossless for most content), x265 CRF 22 (about the same
 * quality, x265's scale sits ~4 higher), VP9 CRF 31 with -b:v 0 (constant quality, Google's VOD
 * guidance for 1080p). Speed: x264 'veryfast' (twice 'fast' here: 720p25 testsrc2, 150 vs 78 fps
 * on two busy cores, 7% larger at the same CRF), x265 'fast', VP9 cpu-used 4: the default format
 * must keep up with the real-time target on two cores (DESIGN.md "Targets").
 */
import type { ExportFormat, ExportSettings } from '../../shared/api/contract.ts';
import type { PixelLayout } from './frame-pixels.ts';

export interface FormatInfo {
  /** ffmpeg's muxer (-f). */
  muxer: string;
  /** File extension the output conventionally has (none for png-sequence: a folder). */
  extension: string;
  videoEncoder: string;
  audioEncoder: string | null;
  defaultCrf: number | null;
}

export const FORMAT_INFO: Record<ExportFormat, FormatInfo> = {
  'mp4-h264': { muxer: 'mp4', extension: '.mp4', videoEncoder: 'libx264', audioEncoder: 'aac', defaultCrf: 18 },
  'mp4-h265': { muxer: 'mp4', extension: '.mp4', videoEncoder: 'libx265', audioEncoder: 'aac', defaultCrf: 22 },
  'webm-vp9': { muxer: 'webm', extension: '.webm', videoEncoder: 'libvpx-vp9', audioEncoder: 'libopus', defaultCrf: 31 },
  'mov-prores4444': { muxer: 'mov', extension: '.mov', videoEncoder: 'prores_ks', audioEncoder: 'pcm_s16le', defaultCrf: null },
  'png-sequence': { muxer: 'image2', extension: '', videoEncoder: 'png', audioEncoder: null, defaultCrf: null },
};

/** The name of frame i inside a png-sequence folder (0-based: frame i is at t = i / fps). */
export const PNG_FRAME_PATTERN = 'frame_%06d.png';
export function pngFrameName(i: number): string {
  return `frame_${String(i).padStart(6, '0')}.png`;
}

/** Alpha is written only when the background is transparent (an opaque frame's alpha says nothing). */
export function pixelLayout(settings: Pick<ExportSettings, 'background'>): PixelLayout {
  return settings.background.kind === 'transparent' ? 'rgba' : 'rgb24';
}

const BT709 = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'];

function qualityArgs(settings: ExportSettings): string[] {
  const info = FORMAT_INFO[settings.format];
  if (info.defaultCrf === null) return [];
  const q = settings.quality;
  if (q?.mode === 'bitrate') {
    // Capped variable bitrate: maxrate at the target, a two-second buffer.
    return ['-b:v', `${q.kbps}k`, '-maxrate', `${q.kbps}k`, '-bufsize', `${2 * q.kbps}k`];
  }
  const crf = String(q?.crf ?? info.defaultCrf);
  return settings.format === 'webm-vp9' ? ['-crf', crf, '-b:v', '0'] : ['-crf', crf];
}

function videoArgs(settings: ExportSettings, layout: PixelLayout): string[] {
  const yuv = (matrix: string): string[] => ['-vf', `scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=${matrix}`];
  switch (settings.format) {
    case 'mp4-h264':
      return ['-c:v', 'libx264', '-preset', 'veryfast', ...qualityArgs(settings), ...yuv('yuv420p'), ...BT709, '-movflags', '+faststart'];
    case 'mp4-h265':
      return ['-c:v', 'libx265', '-preset', 'fast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1', ...qualityArgs(settings), ...yuv('yuv420p'), ...BT709, '-movflags', '+faststart'];
    case 'webm-vp9':
      return ['-c:v', 'libvpx-vp9', '-deadline', 'good', '-cpu-used', '4', '-row-mt', '1', ...qualityArgs(settings), ...yuv('yuv420p'), ...BT709];
    case 'mov-prores4444':
      // Profile 4 = 4444; alpha_bits 16 keeps the full alpha precision prores_ks offers.
      return ['-c:v', 'prores_ks', '-profile:v', '4', '-vendor', 'apl0', ...(layout === 'rgba' ? ['-alpha_bits', '16'] : []), ...yuv(layout === 'rgba' ? 'yuva444p10le' : 'yuv444p10le'), ...BT709];
    case 'png-sequence':
      return ['-c:v', 'png', '-pix_fmt', layout === 'rgba' ? 'rgba' : 'rgb24', '-start_number', '0'];
  }
}

function audioArgs(format: ExportFormat): string[] {
  switch (format) {
    case 'mp4-h264':
    case 'mp4-h265':
      return ['-c:a', 'aac', '-b:a', '192k', '-ar', '48000', '-ac', '2'];
    case 'webm-vp9':
      return ['-c:a', 'libopus', '-b:a', '128k', '-ar', '48000', '-ac', '2'];
    case 'mov-prores4444':
      return ['-c:a', 'pcm_s16le', '-ar', '48000', '-ac', '2'];
    case 'png-sequence':
      return [];
  }
}

export interface EncodeTarget {
  settings: ExportSettings;
  layout: PixelLayout;
  /** The float WAV of the mix, or null for no sound (png-sequence keeps its sound beside the frames). */
  audioPath: string | null;
  /** The temporary output: a file, or for png-sequence the folder's frame pattern. */
  outputPath: string;
}

export function ffmpegArgs(target: EncodeTarget): string[] {
  const { settings, layout } = target;
  const info = FORMAT_INFO[settings.format];
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];
  args.push('-f', 'rawvideo', '-pix_fmt', layout, '-s', `${settings.width}x${settings.height}`, '-framerate', String(settings.fps), '-i', 'pipe:0');
  const withAudio = target.audioPath !== null && info.audioEncoder !== null;
  if (withAudio) args.push('-i', target.audioPath!);
  args.push('-map', '0:v:0');
  if (withAudio) args.push('-map', '1:a:0');
  args.push(...videoArgs(settings, layout));
  if (withAudio) args.push(...audioArgs(settings.format));
  args.push('-f', info.muxer, target.outputPath);
  return args;
}
