import { ImportIcon } from '../icons.tsx';

/** Covers the studio while files are dragged over it. */
export function DropOverlay() {
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-target">
        <ImportIcon size={32} />
        <p className="drop-title">Drop to import</p>
        <p className="muted">Portraits (images) and speech (audio)</p>
      </div>
    </div>
  );
}
