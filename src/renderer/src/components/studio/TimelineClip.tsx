/**
 * One audio clip on a track, at its output-time place: its waveform (the visible part; where the
 * time warp holds the audio silent, a hatched gap instead), name, bake progress (retry after a
 * failure), trim handles on both edges, and remove. Pointer presses go to the timeline, which
 * owns dragging and selection.
 */
import type { PointerEvent as ReactPointerEvent } from 'react';
import type { BakeStatus } from '../../../../shared/api/engine-types.ts';
import { bakeProgressView } from '../../state/bake-progress.ts';
import type { ClipAudioPiece } from '../../state/editor-model.ts';
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
  /** The clip's span cut where the time warp silences it (editor-model.ts clipAudioPieces). */
  pieces: readonly ClipAudioPiece[];
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

/** Lane pixels of a stretch of the clip, and the media it shows. */
interface WaveSpan {
  leftPx: number;
  widthPx: number;
  mediaStartS: number;
  mediaLengthS: number;
}

/** Media range worth drawing: what is in view plus half a view each side, on a coarse grid. */
function waveRange(span: WaveSpan, laneWidthPx: number): { startS: number; endS: number } | null {
  if (span.widthPx <= 0 || span.mediaLengthS <= 0) return null;
  const pxPerMediaS = span.widthPx / span.mediaLengthS;
  const margin = laneWidthPx / 2;
  const fromPx = Math.max(0, -span.leftPx - margin);
  const toPx = Math.min(span.widthPx, laneWidthPx - span.leftPx + margin);
  if (toPx <= fromPx) return null;
  // Snapped to a quarter view, so a small scroll does not ask for new peaks.
  const grid = Math.max(1, laneWidthPx / 4);
  const from = Math.max(0, Math.floor(fromPx / grid) * grid);
  const to = Math.min(span.widthPx, Math.ceil(toPx / grid) * grid);
  return { startS: span.mediaStartS + from / pxPerMediaS, endS: span.mediaStartS + to / pxPerMediaS };
}

/** One stretch of the clip: its waveform where the audio sounds, a gap where the time warp holds it. */
function ClipPiece({ mediaId, piece, clipLeftPx, pxPerS, laneWidthPx }: { mediaId: string; piece: ClipAudioPiece; clipLeftPx: number; pxPerS: number; laneWidthPx: number }) {
  const offsetPx = piece.offsetS * pxPerS;
  const widthPx = piece.lengthS * pxPerS;
  if (!piece.audible) {
    return <span className="clip-warp-gap" style={{ left: offsetPx, width: widthPx }} title="The time warp holds this clip's audio silent here" data-testid="clip-warp-gap" />;
  }
  const span = { leftPx: clipLeftPx + offsetPx, widthPx, mediaStartS: piece.mediaStartS, mediaLengthS: piece.mediaLengthS };
  const range = waveRange(span, laneWidthPx);
  if (!range) return null;
  return (
    <span className="clip-wave-piece" style={{ left: offsetPx, width: widthPx }}>
      <ClipWaveform mediaId={mediaId} clipMediaStartS={piece.mediaStartS} pxPerMediaS={widthPx / piece.mediaLengthS} wantStartS={range.startS} wantEndS={range.endS} height={WAVE_H} />
    </span>
  );
}

export function TimelineClip(p: Props) {
  const view = bakeProgressView(p.bake);
  const percent = Math.round(view.fraction * 100);
  const outLengthS = p.pieces.reduce((sum, piece) => sum + piece.lengthS, 0);
  const pxPerS = outLengthS > 0 ? p.widthPx / outLengthS : 0;
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
      {p.pieces.map((piece) => (
        <ClipPiece key={piece.offsetS} mediaId={p.mediaId} piece={piece} clipLeftPx={p.leftPx} pxPerS={pxPerS} laneWidthPx={p.laneWidthPx} />
      ))}
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
