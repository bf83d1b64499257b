import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatChannels,
  formatDuration,
  formatLabel,
  formatRulerTime,
  formatSampleRate,
  formatWhen,
  importName,
  shortHash,
  overviewBars,
} from '../../../src/renderer/src/format/format.ts';

describe('formatDuration (m:ss.t)', () => {
  it.each([
    [0, '0:00.0'],
    [1.5, '0:01.5'],
    [9.96, '0:10.0'],
    [59.94, '0:59.9'],
    [59.96, '1:00.0'],
    [83.27, '1:23.3'],
    [3725, '62:05.0'],
  ])('%s s -> %s', (s, text) => expect(formatDuration(s)).toBe(text));

  it('shows a dash pattern for unknown or invalid durations', () => {
    for (const v of [null, undefined, Number.NaN, -1, Infinity]) expect(formatDuration(v)).toBe('–:––.–');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [48_044, '46.9 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
    [950_000_000, '906.0 MiB'],
  ])('%s -> %s', (n, text) => expect(formatBytes(n)).toBe(text));
});

describe('small labels', () => {
  it('shortens hashes to 12 hex digits', () => expect(shortHash('a'.repeat(64))).toBe('aaaaaaaaaaaa'));
  it('names sample rates and channel counts', () => {
    expect(formatSampleRate(16000)).toBe('16 kHz');
    expect(formatSampleRate(44100)).toBe('44.1 kHz');
    expect(formatSampleRate(null)).toBe('–');
    expect(formatChannels(1)).toBe('Mono');
    expect(formatChannels(2)).toBe('Stereo');
    expect(formatChannels(6)).toBe('6 channels');
  });
  it('labels formats from MIME types', () => {
    expect(formatLabel('image/png')).toBe('PNG');
    expect(formatLabel('audio/x-wav')).toBe('WAV');
    expect(formatLabel('audio/wav')).toBe('WAV');
    expect(formatLabel('audio/mpeg')).toBe('MP3');
    expect(formatLabel('image/svg+xml')).toBe('SVG');
  });
  it('writes ruler times as m:ss', () => {
    expect(formatRulerTime(0)).toBe('0:00');
    expect(formatRulerTime(65)).toBe('1:05');
  });
  it('says when a project was opened, relative to now', () => {
    const now = new Date('2025-06-01T12:00:00Z');
    expect(formatWhen('2025-06-01T11:59:30Z', now)).toBe('just now');
    expect(formatWhen('2025-06-01T11:55:00Z', now)).toBe('5 min ago');
    expect(formatWhen('2025-06-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatWhen('2025-05-31T10:00:00Z', now)).toBe('yesterday');
    expect(formatWhen('not a date', now)).toBe('');
  });
});

describe('importName', () => {
  it('keeps ordinary names', () => expect(importName('portrait.png')).toBe('portrait.png'));
  it('drops control characters and trims', () => expect(importName(' a\u0007b.wav ')).toBe('ab.wav'));
  it('never returns an empty name', () => expect(importName('  ')).toBe('Untitled'));
  it('cuts long names to 120 characters, keeping the extension', () => {
    const name = importName(`${'x'.repeat(200)}.jpeg`);
    expect(name.length).toBeLessThanOrEqual(120);
    expect(name.endsWith('….jpeg')).toBe(true);
  });
});

describe('overviewBars', () => {
  it('takes the loudest peak of each group and keeps silence as a hairline', () => {
    const peaks = new Uint8Array([0, 255, 51, 0, 0, 0, 102, 204]);
    expect(overviewBars(peaks, 4)).toEqual([1, 0.2, 0.04, 0.8]);
  });

  it('stretches fewer peaks than bars without gaps', () => {
    expect(overviewBars(new Uint8Array([255, 0]), 4)).toEqual([1, 1, 0.04, 0.04]);
  });
});
