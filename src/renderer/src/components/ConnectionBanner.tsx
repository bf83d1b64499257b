import { AlertIcon } from './icons.tsx';

/** Shown once the link to the studio is gone: nothing more will be saved until it is back. */
export function ConnectionBanner() {
  return (
    <div className="connection-banner" role="alert" data-testid="connection-lost">
      <AlertIcon size={16} />
      <p>
        <strong>Connection to the studio lost.</strong> Every change made before this moment is saved in the
        project file. Restart the studio, then open the address it prints.
      </p>
      <button type="button" className="btn btn-small" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
