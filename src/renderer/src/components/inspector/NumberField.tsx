/**
 * A number in the inspector: typed or stepped with the arrow keys, committed on Enter or when
 * focus leaves (one undoable edit), Escape restores. Shows "mixed" when several items differ.
 */
import { useState } from 'react';

interface Props {
  label: string;
  value: number | null;
  onCommit: (value: number) => void;
  step?: number;
  min?: number;
  max?: number;
  /** Decimals shown. */
  digits?: number;
  unit?: string;
  testId?: string;
}

export function NumberField({ label, value, onCommit, step = 1, min, max, digits = 2, unit, testId }: Props) {
  const shown = value === null ? '' : String(Number(value.toFixed(digits)));
  // A draft belongs to the value it was typed over: a new value from outside (undo) replaces it.
  const [typed, setTyped] = useState<{ over: string; text: string } | null>(null);
  const draft = typed && typed.over === shown ? typed.text : null;
  const setDraft = (text: string | null): void => setTyped(text === null ? null : { over: shown, text });
  const commit = (): void => {
    if (draft === null) return;
    const parsed = Number(draft.replace(',', '.').replace('−', '-'));
    setDraft(null);
    if (draft.trim() === '' || !Number.isFinite(parsed)) return;
    const clamped = Math.min(max ?? Infinity, Math.max(min ?? -Infinity, parsed));
    if (value === null || Math.abs(clamped - value) > Math.pow(10, -digits - 1)) onCommit(clamped);
  };
  return (
    <label className="num-field">
      <span className="num-label">{label}</span>
      <span className="num-box">
        <input
          type="number"
          inputMode="decimal"
          step={step}
          min={min}
          max={max}
          value={draft ?? shown}
          placeholder={value === null ? 'mixed' : undefined}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setDraft(null);
          }}
          data-testid={testId}
        />
        {unit && <span className="num-unit">{unit}</span>}
      </span>
    </label>
  );
}

/** The one value shared by all items, or null when they differ. */
export function common<T>(items: readonly T[], get: (item: T) => number): number | null {
  if (items.length === 0) return null;
  const first = get(items[0]!);
  return items.every((i) => Math.abs(get(i) - first) < 1e-9) ? first : null;
}

export function commonOf<T, V>(items: readonly T[], get: (item: T) => V): V | null {
  if (items.length === 0) return null;
  const first = get(items[0]!);
  return items.every((i) => get(i) === first) ? first : null;
}
