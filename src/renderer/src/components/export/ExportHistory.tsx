/** The project's earlier exports (export.history), newest first: status, when, where, how. */
import type { ExportRecord } from '../../../../shared/api/contract.ts';
import { formatCount, formatWhen } from '../../format/format.ts';
import { FORMAT_FACTS } from './export-formats.ts';

const STATUS_LABELS: Record<ExportRecord['status'], string> = { running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };

export function ExportHistory({ records }: { records: readonly ExportRecord[] }) {
  return (
    <section className="export-history" aria-label="Export history">
      <h3 className="section-title">History</h3>
      {records.length === 0 ? (
        <p className="export-hint" data-testid="export-history-empty">
          No exports of this project yet.
        </p>
      ) : (
        <ul className="export-history-list" data-testid="export-history">
          {records.map((r) => (
            <li key={r.id} className="export-history-row" data-testid="export-history-row" data-status={r.status} data-path={r.outputPath}>
              <span className={`export-status export-status-${r.status}`}>{STATUS_LABELS[r.status]}</span>
              <div className="export-history-main">
                <span className="export-history-path" title={r.outputPath}>
                  {r.outputPath}
                </span>
                <span className="export-history-meta">
                  {formatWhen(r.startedAt)} · {r.settings.width}×{r.settings.height} · {r.settings.fps} fps · {FORMAT_FACTS[r.settings.format].label}
                  {r.frames !== null ? ` · ${formatCount(r.frames)} frames` : ''}
                </span>
                {r.error && <span className="export-history-error">{r.error}</span>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
