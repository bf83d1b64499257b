/**
 * The export dialog's range: typed times, the I/O marks and the whole project, judged as the back
 * end judges them (checkExportRange), so the dialog and export.start agree on every case.
 */
import { describe, expect, it } from 'vitest';
import { checkExportRange } from '../../../src/main/export/frame-plan.ts';
import { defaultForm, formToRequest } from '../../../src/renderer/src/components/export/export-form.ts';
import { formatTimeText, parseTimeText, resolveRange, type RangeContext } from '../../../src/renderer/src/components/export/export-range.ts';
import type { ProjectSnapshot } from '../../../src/shared/project/types.ts';

const timeline: RangeContext = { projectEndS: 10, marks: null };

describe('parseTimeText', () => {
  it('reads seconds, m:ss and h:mm:ss with fractions', () => {
    expect(parseTimeText('12.5')).toBe(12.5);
    expect(parseTimeText(' 0 ')).toBe(0);
    expect(parseTimeText('.5')).toBe(0.5);
    expect(parseTimeText('1:02.5')).toBe(62.5);
    expect(parseTimeText('1:02:03')).toBe(3723);
    expect(parseTimeText('0:59.999')).toBeCloseTo(59.999, 9);
  });

  it('refuses what is not a time', () => {
    for (const text of ['', 'abc', '-1', '1:60', '1:60:00', '1e3', '1::2', '1:2:3:4', '12 s']) expect(parseTimeText(text), text).toBeNull();
  });

  it('reads back what formatTimeText writes', () => {
    for (const s of [0, 0.04, 5.9, 59.5, 60, 62.5, 599.999, 3723.25]) {
      const text = formatTimeText(s);
      expect(parseTimeText(text), text).toBeCloseTo(s, 6);
    }
    expect(formatTimeText(62.5)).toBe('1:02.5');
    expect(formatTimeText(3723)).toBe('1:02:03');
  });
});

describe('resolveRange', () => {
  it('sends no range for the whole project, and says its length', () => {
    expect(resolveRange('all', '', '', timeline)).toEqual({ ok: true, range: null, durationS: 10 });
  });

  it('takes the I/O marks, and says when there are none', () => {
    expect(resolveRange('marks', '', '', { projectEndS: 10, marks: { startS: 2, endS: 4.5 } })).toEqual({ ok: true, range: { startS: 2, endS: 4.5 }, durationS: 2.5 });
    const none = resolveRange('marks', '', '', timeline);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error).toMatch(/press I and O/);
  });

  it('names the field that is not a time, an empty span, and an end past the project', () => {
    const error = (from: string, to: string): string => {
      const r = resolveRange('custom', from, to, timeline);
      if (r.ok) throw new Error(`expected an error for ${from}..${to}`);
      return r.error;
    };
    expect(error('x', '3')).toMatch(/"From" must be a time/);
    expect(error('1', '')).toMatch(/"To" must be a time/);
    expect(error('4', '4')).toMatch(/must end after it starts/);
    expect(error('1', '0:11')).toMatch(/ends at 11 s, but the project ends at 10 s/);
  });

  it('agrees with the back end on every range of a grid', () => {
    const snapshot = { media: [], clips: [], timeWarp: [], cameraKeys: [{ timeS: 10 }] } as unknown as ProjectSnapshot;
    for (const startS of [0, 0.5, 5, 9.9995, 10, 12]) {
      for (const endS of [0, 0.5, 5, 10, 10.0005, 10.01, 12]) {
        const dialog = resolveRange('custom', String(startS), String(endS), timeline).ok;
        let backEnd = true;
        try {
          checkExportRange(snapshot, { startS, endS });
        } catch {
          backEnd = false;
        }
        expect(dialog, `${startS}..${endS}`).toBe(backEnd);
      }
    }
  });
});

describe('the form with a range', () => {
  it('puts the range into the settings the contract accepts', () => {
    const result = formToRequest({ ...defaultForm('Demo'), range: 'custom', fromS: '1.5', toS: '0:04' }, timeline);
    expect(result.ok && result.request.settings.range).toEqual({ startS: 1.5, endS: 4 });
  });

  it('puts range errors by the range fields and sends nothing', () => {
    const result = formToRequest({ ...defaultForm('Demo'), range: 'custom', fromS: '5', toS: '2' }, timeline);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual(['range']);
  });

  it('leaves the range out for the whole project', () => {
    const result = formToRequest(defaultForm('Demo'), timeline);
    expect(result.ok && 'range' in result.request.settings).toBe(false);
  });
});
