/** The notification area, bottom right: import progress, results and errors. */
import { useSyncExternalStore } from 'react';
import { useStudio } from '../state/studio-context.ts';
import type { Toast } from '../state/toasts.ts';
import { AlertIcon, CheckIcon, CloseIcon, InfoIcon, SpinnerIcon } from './icons.tsx';
import '../styles/toasts.css';

function ToastIcon({ kind }: { kind: Toast['kind'] }) {
  if (kind === 'progress') return <SpinnerIcon />;
  if (kind === 'success') return <CheckIcon />;
  if (kind === 'error') return <AlertIcon />;
  return <InfoIcon />;
}

export function Toasts() {
  const { toasts } = useStudio();
  const items = useSyncExternalStore(toasts.subscribe, toasts.getSnapshot);
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite" data-testid="toasts">
      {items.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={t.kind}>
          <span className="toast-icon">
            <ToastIcon kind={t.kind} />
          </span>
          <p className="toast-body">
            {t.title && <strong className="toast-title">{t.title}</strong>}
            <span className="toast-message">{t.message}</span>
          </p>
          {t.kind !== 'progress' && (
            <button type="button" className="icon-btn icon-btn-small" aria-label="Dismiss notification" onClick={() => toasts.dismiss(t.id)}>
              <CloseIcon size={14} />
            </button>
          )}
        </div>
      ))}
    </section>
  );
}
