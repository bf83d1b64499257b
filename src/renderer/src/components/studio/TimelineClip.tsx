/**
 * One audio clip on a track, at its output-time place: its waveform (the visible part), name,
 * bake progress (retry after a failure), trim handles on both edges, and remove. Pointer presses
 * go to the timeline, which owns dragging and selection.
 */
import type { PointerEvent as ReactPointerEvent } from 'react';
import type { BakeStatus } from '../../../../shared/api/engine-types.ts';
import { bakeProgressView } from '../../state/bake-progress.ts';
import { CloseIcon } from '../icons.tsx';
import { ClipWaveform } from '../timeline/ClipWaveform.tsx';

/** Height of the waveform inside a clip, CSS pixels. */
const WAVE_H = 34;

interface Props {
  clipId: string;
  mediaId: string;
  name: string;
  /** Lane pixels of the clip's left edge and its width. */
  leftPx: number;
  widthPx: number;
  /** Media seconds at the clip's left edge and the clip's length in media seconds. */
  trimInS: number;
  lengthS: number;
  /** Visible lane width, to draw only the part of the waveform in view. */
  laneWidthPx: number;
  selected: boolean;
  dragging: boolean;
  /** Undefined until the back end has planned the clip's bake. */
  bake: BakeStatus | undefined;
  onPressBody: (e: ReactPointerEvent<Element>) => void;
  onPressLeft: (e: ReactPointerEvent<Element>) => void;
  onPressRight: (e: ReactPointerEvent<Element>) => void;
  onRemove: () => void;
  onRetry: () => void;
}

/** Media range worth drawing: what is in view plus half a view each side, on a coarse grid. */
function waveRange(p: Props): { startS: number; endS: number } | null {
  if (p.widthPx <= 0 || p.lengthS <= 0) return null;
  const pxPerMediaS = p.widthPx / p.lengthS;
  const margin = p.laneWidthPx / 2;
  const fromPx = Math.max(0, -p.leftPx - margin);
  const toPx = Math.min(p.widthPx, p.laneWidthPx - p.leftPx + margin);
  if (toPx <= fromPx) return null;
  // Snapped to a quarter view, so a small scroll does not ask for new peaks.
  const grid = Math.max(1, p.laneWidthPx / 4);
  const from = Math.max(0, Math.floor(fromPx / grid) * grid);
  const to = Math.min(p.widthPx, Math.ceil(toPx / grid) * grid);
  return { startS: p.trimInS + from / pxPerMediaS, endS: p.trimInS + to / pxPerMediaS };
}

export function TimelineClip(p: Props) {
  const view = bakeProgressView(p.bake);
  const percent = Math.round(view.fraction * 100);
  const range = waveRange(p);
  const narrow = p.widthPx < 60;
  return (
    <div
      className={`clip ${view.failed ? 'clip-failed' : ''} ${p.bake?.state === 'done' ? 'clip-baked' : ''} ${p.selected ? 'is-selected' : ''} ${p.dragging ? 'is-dragging' : ''} ${narrow ? 'clip-narrow' : ''}`}
      style={{ left: p.leftPx, width: Math.max(2, p.widthPx) }}
      title={`${p.name} · ${view.label}`}
      data-testid="timeline-clip"
      data-clip-id={p.clipId}
      data-name={p.name}
      data-selected={p.selected ? 'true' : 'false'}
      data-bake-state={p.bake?.state ?? 'unknown'}
      onPointerDown={p.onPressBody}
    >
      {range && (
        <ClipWaveform
          mediaId={p.mediaId}
          clipMediaStartS={p.trimInS}
          pxPerMediaS={p.widthPx / p.lengthS}
          wantStartS={range.startS}
          wantEndS={range.endS}
          height={WAVE_H}
        />
      )}
      <div className="clip-head">
        <span className="clip-name">{p.name}</span>
        <span className="clip-bake" data-testid="clip-bake-state">
          {view.label}
        </span>
        {view.failed && (
          <button type="button" className="btn btn-small clip-retry" onClick={p.onRetry} onPointerDown={(e) => e.stopPropagation()} data-testid="clip-retry">
            Retry
          </button>
        )}
        <button
          type="button"
          className="icon-btn icon-btn-small clip-remove"
          aria-label={`Remove ${p.name} from the timeline`}
          title="Remove from the timeline"
          onClick={p.onRemove}
          onPointerDown={(e) => e.stopPropagation()}
          data-testid="clip-remove"
        >
          <CloseIcon size={12} />
        </button>
      </div>
      <span className="clip-trim clip-trim-left" onPointerDown={p.onPressLeft} title="Drag to trim the start" data-testid="clip-trim-left" />
      <span className="clip-trim clip-trim-right" onPointerDown={p.onPressRight} title="Drag to trim the end" data-testid="clip-trim-right" />
      <span
        className="clip-progress"
        role="progressbar"
        aria-label={`Bake of ${p.name}`}
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
