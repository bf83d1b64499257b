/** How numbers and names read in the UI. Pure functions, unit-tested. */

/** Seconds as m:ss.t (tenths), e.g. 1.5 -> "0:01.5", 83.27 -> "1:23.3". Hours roll into minutes. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–:––.–';
  const tenths = Math.round(seconds * 10);
  const minutes = Math.floor(tenths / 600);
  const rest = tenths - minutes * 600;
  const secs = Math.floor(rest / 10);
  return `${minutes}:${String(secs).padStart(2, '0')}.${rest % 10}`;
}

/** Byte counts in binary units with one decimal from KiB up: 999 B, 1.5 KiB, 12.0 MiB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** First 12 hex digits of a SHA-256: enough to tell files apart at a glance. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

/** Sample rate as people say it: 16000 -> "16 kHz", 44100 -> "44.1 kHz". */
export function formatSampleRate(hz: number | null): string {
  if (hz === null) return '–';
  return `${Number((hz / 1000).toFixed(3))} kHz`;
}

export function formatChannels(channels: number | null): string {
  if (channels === null) return '–';
  if (channels === 1) return 'Mono';
  if (channels === 2) return 'Stereo';
  return `${channels} channels`;
}

/** A ruler label for whole seconds: 0:00, 0:05, 1:00. */
export function formatRulerTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${m}:${String(Math.floor(seconds - m * 60)).padStart(2, '0')}`;
}

/** Longest display name the API accepts (contract.ts `displayName`). */
const MAX_NAME = 120;

/**
 * A file name fit for `media.import`'s `name`: control characters dropped, trimmed, and cut to
 * 120 characters keeping the extension, so a long camera file name still imports.
 */
export function importName(fileName: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = fileName.replace(/[\u0000-\u001f\u007f]/g, '').trim() || 'Untitled';
  if (clean.length <= MAX_NAME) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 12 ? clean.slice(dot) : '';
  return `${clean.slice(0, MAX_NAME - ext.length - 1).trimEnd()}…${ext}`;
}

/** Relative time for recent projects: "just now", "5 min ago", "yesterday", else a date. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '';
  const seconds = (now.getTime() - then.getTime()) / 1000;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  if (seconds < 2 * 86400) return 'yesterday';
  return then.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** A short format label from a MIME type: image/png -> PNG, audio/x-wav -> WAV, audio/mpeg -> MP3. */
export function formatLabel(mime: string): string {
  const sub = (mime.split('/')[1] ?? mime).replace(/^x-/, '').split(/[+;]/)[0] ?? '';
  const known: Record<string, string> = { mpeg: 'MP3', jpeg: 'JPEG', 'svg': 'SVG', wave: 'WAV', vorbis: 'OGG', 'mp4': 'MP4' };
  return (known[sub] ?? sub).toUpperCase() || '?';
}

/**
 * Bar heights (0..1) for a small waveform of `count` bars from peak bytes (0..255 = level 0..1),
 * each bar the loudest of the peaks it covers. Silence keeps a hairline so the row stays visible.
 */
export function overviewBars(peaks: Uint8Array, count: number): number[] {
  const bars: number[] = [];
  for (let i = 0; i < count; i++) {
    const from = Math.floor((i * peaks.length) / count);
    const to = Math.max(from + 1, Math.floor(((i + 1) * peaks.length) / count));
    let peak = 0;
    for (let j = from; j < to && j < peaks.length; j++) peak = Math.max(peak, peaks[j] as number);
    bars.push(Math.max(0.04, peak / 255));
  }
  return bars;
}

/** A count with thousands separators: 4096 -> "4,096". */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** Degrees with one decimal and a true minus sign: -0.39 -> "−0.4°"; values that round to zero read "0.0°". */
export function formatDegrees(degrees: number): string {
  if (!Number.isFinite(degrees)) return '–';
  const rounded = Math.round(degrees * 10) / 10;
  return `${rounded === 0 ? '0.0' : rounded.toFixed(1).replace('-', '\u2212')}°`;
}
