import { useState } from 'react';
import { useEngineStatus } from '../hooks/use-engine-status.ts';
import { AlertIcon, CloseIcon } from './icons.tsx';

/** Fallback wording; the back end's message names what happened. */
const CRASHED = 'The engine stopped unexpectedly. Your project is safe; try again.';

/** Shown while the engine process is down after a crash; it goes when the engine is back. */
export function EngineBanner() {
  const status = useEngineStatus();
  // A crash is dismissed once; the next one (another restart count) shows again.
  const [dismissed, setDismissed] = useState<number | null>(null);
  if (status?.state !== 'crashed' || dismissed === status.restarts) return null;
  return (
    <div className="engine-banner" role="alert" data-testid="engine-banner">
      <AlertIcon size={16} />
      <p>{status.message ?? CRASHED}</p>
      <button type="button" className="icon-btn icon-btn-small" aria-label="Dismiss" onClick={() => setDismissed(status.restarts)}>
        <CloseIcon size={14} />
      </button>
    </div>
  );
}
