/**
 * A gain control in decibels (-40..+12 dB, linear gain underneath) that shows its value while it
 * moves and commits once on release, so one slider gesture is one undoable edit.
 */
import { useState } from 'react';

const MIN_DB = -40;
const MAX_DB = 12;

export function gainToDb(gain: number): number {
  return gain <= 0 ? MIN_DB : Math.max(MIN_DB, Math.min(MAX_DB, 20 * Math.log10(gain)));
}

export function dbToGain(db: number): number {
  return db <= MIN_DB ? 0 : Math.pow(10, db / 20);
}

export function formatDb(gain: number): string {
  if (gain <= 0) return '−∞ dB';
  const db = 20 * Math.log10(gain);
  const rounded = Math.round(db * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : ''}${Math.abs(rounded).toFixed(1)} dB`;
}

interface Props {
  value: number;
  label: string;
  onCommit: (gain: number) => void;
  compact?: boolean;
  testId?: string;
}

export function GainSlider({ value, label, onCommit, compact, testId }: Props) {
  // A draft belongs to the value it moved from: a new value from outside (undo) replaces it.
  const [moved, setMoved] = useState<{ from: number; db: number } | null>(null);
  const draft = moved && moved.from === value ? moved.db : null;
  const setDraft = (db: number | null): void => setMoved(db === null ? null : { from: value, db });
  const shown = draft ?? gainToDb(value);
  const commit = (): void => {
    if (draft === null) return;
    const gain = Math.round(dbToGain(draft) * 1000) / 1000;
    if (Math.abs(gain - value) > 1e-6) onCommit(gain);
    else setDraft(null);
  };
  return (
    <span className={`gain ${compact ? 'gain-compact' : ''}`}>
      <input
        type="range"
        min={MIN_DB}
        max={MAX_DB}
        step={0.5}
        value={shown}
        aria-label={label}
        aria-valuetext={formatDb(dbToGain(shown))}
        title={`${label}: ${formatDb(dbToGain(shown))} (double-click: 0 dB)`}
        onChange={(e) => setDraft(Number(e.currentTarget.value))}
        onPointerUp={commit}
        onKeyUp={commit}
        onBlur={commit}
        onDoubleClick={() => value !== 1 && onCommit(1)}
        data-testid={testId}
      />
      {!compact && <output className="gain-value">{formatDb(dbToGain(shown))}</output>}
    </span>
  );
}
