/** The media tools the studio runs: Debian's ffmpeg/ffprobe on PATH, or the ones configured. */

/** $SPLAT_STUDIO_FFPROBE, else `ffprobe` on PATH. */
export function ffprobePath(): string {
  return process.env.SPLAT_STUDIO_FFPROBE ?? 'ffprobe';
}

/** $SPLAT_STUDIO_FFMPEG, else `ffmpeg` on PATH. */
export function ffmpegPath(): string {
  return process.env.SPLAT_STUDIO_FFMPEG ?? 'ffmpeg';
}

export const INSTALL_FFMPEG_HINT = 'Install ffmpeg (Debian/Ubuntu: sudo apt install ffmpeg; macOS: brew install ffmpeg)';
