/** An in-place text field: Enter or leaving the field commits, Escape cancels. */
import { useRef, useState } from 'react';

interface Props {
  initial: string;
  label: string;
  onCommit: (value: string) => void;
  onCancel: () => void;
  className?: string;
  testId?: string;
}

export function RenameInput({ initial, label, onCommit, onCancel, className, testId }: Props) {
  const [value, setValue] = useState(initial);
  // Enter commits and then blur fires as the field unmounts: act only once.
  const done = useRef(false);
  const finish = (commit: boolean): void => {
    if (done.current) return;
    done.current = true;
    const trimmed = value.trim();
    if (commit && trimmed && trimmed !== initial) onCommit(trimmed);
    else onCancel();
  };
  return (
    <input
      className={`input input-inline ${className ?? ''}`}
      aria-label={label}
      data-testid={testId}
      value={value}
      maxLength={120}
      autoFocus
      onFocus={(e) => e.currentTarget.select()}
      onChange={(e) => setValue(e.target.value)}
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') finish(true);
        else if (e.key === 'Escape') finish(false);
      }}
      onBlur={() => finish(true)}
    />
  );
}
