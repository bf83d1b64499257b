import type { ReactNode } from 'react';

/** One label/value pair of a `<dl className="props">` list in the inspector. */
export function PropRow({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="prop-row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
