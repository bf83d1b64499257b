import type { ReactNode } from 'react';

interface Props {
  /** Pressed: `is-on` in the class and aria-pressed. */
  on: boolean;
  title: string;
  onClick: () => void;
  testId: string;
  /** Classes kept whether pressed or not. */
  className?: string;
  ariaLabel?: string;
  children: ReactNode;
}

/** A button that shows whether it is pressed (segmented choices, toggles). */
export function ToggleButton({ on, title, onClick, testId, className = '', ariaLabel, children }: Props) {
  return (
    <button type="button" className={[className, on ? 'is-on' : ''].filter(Boolean).join(' ')} aria-pressed={on} title={title} aria-label={ariaLabel} onClick={onClick} data-testid={testId}>
      {children}
    </button>
  );
}
