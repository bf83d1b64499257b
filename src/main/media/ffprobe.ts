/** Runs Debian's (or a configured) ffprobe on a file and returns its parsed JSON report. */
import { execFile } from 'node:child_process';
import { ApiError } from '../../shared/api/errors.ts';
import { ffprobePath, INSTALL_FFMPEG_HINT } from './tool-paths.ts';

export interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
  width?: number;
  height?: number;
}

export interface ProbeReport {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string };
}


/**
 * Resolves with the report, or with null when ffprobe cannot read the file (not media).
 * Rejects with MISSING_TOOL when ffprobe itself is not installed.
 */
export function ffprobe(file: string, signal?: AbortSignal): Promise<ProbeReport | null> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file];
  return new Promise((resolve, reject) => {
    execFile(ffprobePath(), args, { maxBuffer: 8 * 1024 * 1024, timeout: 60_000, signal }, (error, stdout) => {
      if (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new ApiError('MISSING_TOOL', `ffprobe was not found. ${INSTALL_FFMPEG_HINT} or set SPLAT_STUDIO_FFPROBE to its path.`));
        } else if (error.name === 'AbortError') {
          reject(new ApiError('CANCELLED', 'Import cancelled'));
        } else {
          resolve(null);
        }
        return;
      }
      try {
        resolve(JSON.parse(stdout) as ProbeReport);
      } catch {
        resolve(null);
      }
    });
  });
}
