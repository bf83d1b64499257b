/**
 * The export's time range: the whole project, the I/O marks, or typed times. Choosing "Custom"
 * starts from the marks, or from the whole project, so the fields never open empty.
 */
import { InlineError } from '../InlineError.tsx';
import { formatSeconds } from './export-estimate.ts';
import type { ExportForm } from './export-form.ts';
import { formatTimeText, type RangeChoice, type RangeContext } from './export-range.ts';

interface Props {
  form: Pick<ExportForm, 'range' | 'fromS' | 'toS'>;
  timeline: RangeContext;
  error: string | undefined;
  disabled: boolean;
  onChange: (patch: Partial<ExportForm>) => void;
}

const spanWords = (startS: number, endS: number): string => `${formatTimeText(startS)}–${formatTimeText(endS)} s`;

export function ExportRangeFields({ form, timeline, error, disabled, onChange }: Props) {
  const { projectEndS, marks } = timeline;
  const choices: readonly { value: RangeChoice; label: string; detail: string; reason: string | null }[] = [
    { value: 'all', label: 'Whole project', detail: formatSeconds(projectEndS), reason: null },
    { value: 'marks', label: 'In to out', detail: marks ? spanWords(marks.startS, marks.endS) : 'no marks', reason: marks ? null : 'Set in and out marks with I and O on the timeline first' },
    { value: 'custom', label: 'Custom', detail: 'from … to', reason: null },
  ];
  const choose = (range: RangeChoice): void => {
    if (range !== 'custom' || form.range === 'custom') return onChange({ range });
    const start = marks?.startS ?? 0;
    const end = marks?.endS ?? projectEndS;
    onChange({ range, fromS: formatTimeText(start), toS: formatTimeText(end) });
  };

  return (
    <fieldset className="export-section export-range" disabled={disabled}>
      <span className="field-label">Range</span>
      <div className="segmented segmented-wide" role="radiogroup" aria-label="Range" data-testid="export-range">
        {choices.map(({ value, label, detail, reason }) => (
          <button
            key={value}
            type="button"
            role="radio"
            aria-checked={form.range === value}
            className={form.range === value ? 'is-on' : ''}
            disabled={reason !== null && form.range !== value}
            title={reason ?? undefined}
            onClick={() => choose(value)}
            data-testid={`export-range-${value}`}
          >
            {label} <span className="muted">· {detail}</span>
          </button>
        ))}
      </div>
      {form.range === 'custom' && (
        <div className="export-custom">
          <span className="muted">From</span>
          <input className="input" inputMode="decimal" aria-label="Range start" value={form.fromS} onChange={(e) => onChange({ fromS: e.currentTarget.value })} aria-invalid={error !== undefined} data-testid="export-from" />
          <span className="muted">to</span>
          <input className="input" inputMode="decimal" aria-label="Range end" value={form.toS} onChange={(e) => onChange({ toS: e.currentTarget.value })} aria-invalid={error !== undefined} data-testid="export-to" />
          <span className="muted">seconds, or m:ss</span>
        </div>
      )}
      {error && <InlineError message={error} testId="export-error-range" />}
    </fieldset>
  );
}
