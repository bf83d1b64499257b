import { describe, expect, it } from 'vitest';
import { TIMELINE_FPS, formatTimecode, rulerTicks } from '../../../src/shared/timeline/timecode.ts';

describe('formatTimecode', () => {
  it('counts whole frames, landing on the frame a time names despite float noise', () => {
    expect(TIMELINE_FPS).toBe(25);
    expect(formatTimecode(0, 25)).toBe('00:00:00');
    expect(formatTimecode(0.04, 25)).toBe('00:00:01');
    expect(formatTimecode(0.0399, 25)).toBe('00:00:00');
    expect(formatTimecode(0.96, 25)).toBe('00:00:24');
    expect(formatTimecode(1, 25)).toBe('00:01:00');
    expect(formatTimecode(0.29, 100)).toBe('00:00:29'); // 0.29 * 100 = 28.999999999999996
    const two = (n: number): string => String(n).padStart(2, '0');
    for (let frame = 0; frame < 25 * 200; frame++) {
      const seconds = Math.floor(frame / 25);
      expect(formatTimecode(frame / 25, 25)).toBe(`${two(Math.floor(seconds / 60))}:${two(seconds % 60)}:${two(frame % 25)}`);
    }
  });

  it('rolls minutes into hours at one hour and keeps going', () => {
    expect(formatTimecode(59.999, 25)).toBe('00:59:24');
    expect(formatTimecode(60, 25)).toBe('01:00:00');
    expect(formatTimecode(3599.96, 25)).toBe('59:59:24');
    expect(formatTimecode(3600, 25)).toBe('1:00:00:00');
    expect(formatTimecode(3600 + 61.08, 25)).toBe('1:01:01:02');
    expect(formatTimecode(36_000, 25)).toBe('10:00:00:00');
  });

  it('pads frames to the digits of the frame rate and signs negative times', () => {
    expect(formatTimecode(0.5, 120)).toBe('00:00:060');
    expect(formatTimecode(-1.04, 25)).toBe('-00:01:01');
  });

  it('refuses fractional frame rates', () => {
    expect(() => formatTimecode(1, 29.97)).toThrow(RangeError);
    expect(() => formatTimecode(1, 0)).toThrow(RangeError);
  });
});

describe('rulerTicks', () => {
  const widthPx = 1200;
  /** From one hour visible down to ten frames visible. */
  const zooms = Array.from({ length: 60 }, (_, i) => (widthPx / 3600) * Math.pow(3600 / (10 / 25), i / 59));

  it('keeps labels at least minLabelPx apart at every zoom, on exact multiples of the step', () => {
    for (const pxPerS of zooms) {
      for (const fromS of [0, 0.37, 1234.5]) {
        const toS = fromS + widthPx / pxPerS;
        const { major, minor } = rulerTicks(fromS, toS, pxPerS, 25);
        expect(major.length, `${pxPerS} px/s`).toBeGreaterThanOrEqual(1);
        const step = major.length > 1 ? major[1]!.timeS - major[0]!.timeS : null;
        if (step !== null) expect(step * pxPerS, `${pxPerS} px/s`).toBeGreaterThanOrEqual(80 - 1e-6);
        for (const tick of major) {
          expect(tick.timeS).toBeGreaterThanOrEqual(fromS - 1e-9);
          expect(tick.timeS).toBeLessThanOrEqual(toS + 1e-9);
          if (step !== null) expect(Math.abs(tick.timeS / step - Math.round(tick.timeS / step))).toBeLessThan(1e-6);
          // Every tick sits on a frame.
          expect(Math.abs(tick.timeS * 25 - Math.round(tick.timeS * 25))).toBeLessThan(1e-6);
        }
        for (let i = 1; i < minor.length; i++) expect((minor[i]! - minor[i - 1]!) * pxPerS).toBeGreaterThanOrEqual(8 - 1e-6);
        for (const time of minor) expect(major.some((m) => Math.abs(m.timeS - time) < 1e-9)).toBe(false);
      }
    }
  });

  it('picks the smallest step of the ladder that fits', () => {
    expect(rulerTicks(0, 60, 20, 25).major.map((t) => t.timeS).slice(0, 3)).toEqual([0, 5, 10]); // 5 s = 100 px
    expect(rulerTicks(0, 1, 2000, 25).major.map((t) => t.label).slice(0, 3)).toEqual(['0:00', '1f', '2f']); // 1 frame = 80 px
    expect(rulerTicks(0, 7200, 1200 / 3600, 25).major.map((t) => t.label).slice(0, 3)).toEqual(['0:00', '5:00', '10:00']);
    expect(rulerTicks(0, 36_000, 0.01, 25).major.map((t) => t.label)).toEqual(['0:00', '5:00:00', '10:00:00']); // beyond the ladder: 5 h
  });

  it('labels whole seconds as a clock and frame steps as frames within the second', () => {
    expect(rulerTicks(4.8, 5.2, 500, 25).major.map((t) => t.label)).toEqual(['20f', '0:05', '5f']); // 5-frame step
    expect(rulerTicks(3590, 3615, 10, 25).major.map((t) => t.label)).toEqual(['59:50', '1:00:00', '1:00:10']);
    expect(rulerTicks(0, 30, 40, 25).minor.slice(0, 2)).toEqual([0.2, 0.4]); // 2 s labels, 5-frame minor ticks
  });

  it('is empty for an empty or reversed range and refuses a bad zoom', () => {
    expect(rulerTicks(5, 4, 10, 25)).toEqual({ major: [], minor: [] });
    expect(() => rulerTicks(0, 1, 0, 25)).toThrow(RangeError);
  });
});
