/** A running (or just ended) export: a bar, frames done of total, speed, time left, and Cancel. */
import type { ExportProgress } from '../../../../shared/api/contract.ts';
import { progressFraction, progressLine } from './export-estimate.ts';

interface Props {
  progress: ExportProgress | null;
  running: boolean;
  onCancel: () => void;
}

export function ExportProgressBar({ progress, running, onCancel }: Props) {
  const fraction = progress ? progressFraction(progress) : 0;
  const state = progress?.state ?? 'preparing';
  return (
    <div className="export-progress" data-testid="export-progress" data-state={state} data-frames-done={progress?.framesDone ?? 0} data-frames-total={progress?.framesTotal ?? 0}>
      <div
        className={`export-bar ${state === 'baking' ? 'export-bar-baking' : ''} ${state === 'done' ? 'export-bar-done' : ''}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
        aria-label="Export progress"
      >
        <div className="export-bar-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
      <div className="export-progress-line">
        <span data-testid="export-progress-text">{progress ? progressLine(progress) : 'Starting…'}</span>
        {running && (
          <button type="button" className="btn btn-small btn-danger-ghost" onClick={onCancel} data-testid="export-cancel">
            Cancel
          </button>
        )}
      </div>
    </div>
  );
}
