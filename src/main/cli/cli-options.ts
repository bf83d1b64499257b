/**
 * The export options both CLI commands share, turned into the API's export settings and checked by
 * the same schema the studio's export dialog goes through (contract.ts exportSettingsInput), so the
 * CLI refuses what the API refuses, with the same words.
 */
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { EXPORT_FORMATS, EXPORT_PRESETS, exportSettingsInput, type ExportFormat, type ExportPreset, type ExportSettings } from '../../shared/api/contract.ts';

/** A refusal of the command line: exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** parseArgs option specs of the shared export options. */
export const EXPORT_OPTIONS = {
  out: { type: 'string', short: 'o' },
  preset: { type: 'string' },
  size: { type: 'string' },
  fps: { type: 'string' },
  format: { type: 'string' },
  crf: { type: 'string' },
  bitrate: { type: 'string' },
  background: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ExportOptionValues {
  out?: string;
  preset?: string;
  size?: string;
  fps?: string;
  format?: string;
  crf?: string;
  bitrate?: string;
  background?: string;
  /** Export range, output seconds: --from S --to S (--to alone starts at 0). */
  from?: string;
  to?: string;
}

const FORMAT_BY_EXTENSION: Record<string, ExportFormat> = { '.mp4': 'mp4-h264', '.m4v': 'mp4-h264', '.webm': 'webm-vp9', '.mov': 'mov-prores4444' };

/** "8M", "800k", "2.5M" or plain bits per second, as kbps. */
export function parseBitrate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!m) throw new UsageError(`--bitrate must be like 8M or 800k, got "${text}"`);
  const scale = m[2] === '' ? 1e-3 : m[2]!.toLowerCase() === 'k' ? 1 : 1000;
  return Math.round(Number(m[1]) * scale);
}

export function parseSize(text: string): { width: number; height: number } {
  const m = /^(\d+)[xX](\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--size must be WIDTHxHEIGHT, e.g. 1280x720, got "${text}"`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

function parseBackground(text: string | undefined): ExportSettings['background'] {
  if (text === undefined || text === 'predicted') return { kind: 'predicted' };
  if (text === 'transparent') return { kind: 'transparent' };
  if (/^#[0-9a-fA-F]{6}$/.test(text)) return { kind: 'color', color: text };
  const path = resolve(text);
  if (!existsSync(path)) throw new UsageError(`--background must be predicted, transparent, #rrggbb or an image file; ${text} does not exist`);
  return { kind: 'image', path };
}

/** A time in seconds of --from / --to: a plain non-negative number. */
function parseSeconds(flag: string, text: string): number {
  const value = /^\s*\d+(?:\.\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) throw new UsageError(`${flag} must be a time in seconds like 1.5, got "${text}"`);
  return value;
}

/** --from / --to as the settings' range; absent both: the whole timeline. */
function parseRange(values: ExportOptionValues): ExportSettings['range'] {
  if (values.from === undefined && values.to === undefined) return undefined;
  if (values.to === undefined) throw new UsageError('--from needs --to: give the range as --from S --to S (seconds)');
  const startS = values.from === undefined ? 0 : parseSeconds('--from', values.from);
  const endS = parseSeconds('--to', values.to);
  if (!(endS > startS)) throw new UsageError(`--to must be after --from (got --from ${startS} --to ${endS})`);
  return { startS, endS };
}

/** The output path (absolute) and the settings; throws UsageError. */
export function exportSettingsFrom(values: ExportOptionValues): { outputPath: string; settings: ExportSettings } {
  if (!values.out) throw new UsageError('--out FILE is required');
  const outputPath = resolve(values.out);
  if (values.preset !== undefined && values.size !== undefined) throw new UsageError('give either --preset or --size, not both');
  if (values.crf !== undefined && values.bitrate !== undefined) throw new UsageError('give either --crf or --bitrate, not both');
  let size: { width: number; height: number } = EXPORT_PRESETS['1080p'];
  if (values.preset !== undefined) {
    if (!(values.preset in EXPORT_PRESETS)) throw new UsageError(`--preset must be one of ${Object.keys(EXPORT_PRESETS).join(', ')}, got "${values.preset}"`);
    size = EXPORT_PRESETS[values.preset as ExportPreset];
  } else if (values.size !== undefined) {
    size = parseSize(values.size);
  }
  let format: ExportFormat;
  if (values.format !== undefined) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(values.format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${values.format}"`);
    format = values.format as ExportFormat;
  } else {
    format = FORMAT_BY_EXTENSION[extname(outputPath).toLowerCase()] ?? (extname(outputPath) === '' ? 'png-sequence' : 'mp4-h264');
  }
  const fps = values.fps === undefined ? 25 : Number(values.fps);
  let quality: ExportSettings['quality'];
  if (values.crf !== undefined) {
    const crf = Number(values.crf);
    if (!Number.isInteger(crf)) throw new UsageError(`--crf must be an integer, got "${values.crf}"`);
    quality = { mode: 'crf', crf };
  } else if (values.bitrate !== undefined) {
    quality = { mode: 'bitrate', kbps: parseBitrate(values.bitrate) };
  }
  const range = parseRange(values);
  const raw = { ...size, fps, format, background: parseBackground(values.background), ...(quality ? { quality } : {}), ...(range ? { range } : {}) };
  const parsed = exportSettingsInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const flag = field === 'fps' ? `--fps must be one of 24, 25, 30, 50, 60 (got ${values.fps})` : field ? `${field}: ${issue.message}` : issue.message;
    throw new UsageError(flag);
  }
  return { outputPath, settings: parsed.data };
}
