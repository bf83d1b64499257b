/** One audio clip on a track: its name, how far its bake has come (retry after a failure), and remove. */
import type { BakeStatus } from '../../../../shared/api/engine-types.ts';
import { bakeProgressView } from '../../state/bake-progress.ts';
import { CloseIcon } from '../icons.tsx';

interface Props {
  name: string;
  /** Position and length on the lane, as CSS percentages. */
  left: string;
  width: string;
  /** Undefined until the back end has planned the clip's bake. */
  bake: BakeStatus | undefined;
  onRemove: () => void;
  onRetry: () => void;
}

export function TimelineClip({ name, left, width, bake, onRemove, onRetry }: Props) {
  const view = bakeProgressView(bake);
  const percent = Math.round(view.fraction * 100);
  return (
    <div
      className={`clip ${view.failed ? 'clip-failed' : ''} ${bake?.state === 'done' ? 'clip-baked' : ''}`}
      style={{ left, width }}
      title={`${name} · ${view.label}`}
      data-testid="timeline-clip"
      data-name={name}
      data-bake-state={bake?.state ?? 'unknown'}
    >
      <span className="clip-name">{name}</span>
      <span className="clip-bake" data-testid="clip-bake-state">
        {view.label}
      </span>
      {view.failed && (
        <button type="button" className="btn btn-small clip-retry" onClick={onRetry} data-testid="clip-retry">
          Retry
        </button>
      )}
      <button
        type="button"
        className="icon-btn icon-btn-small clip-remove"
        aria-label={`Remove ${name} from the timeline`}
        title="Remove from the timeline"
        onClick={onRemove}
        data-testid="clip-remove"
      >
        <CloseIcon size={12} />
      </button>
      <span
        className="clip-progress"
        role="progressbar"
        aria-label={`Bake of ${name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid="clip-progress"
      >
        <span className="clip-progress-fill" style={{ width: `${percent}%` }} />
      </span>
    </div>
  );
}
