/**
 * The time ruler: labelled ticks in minutes:seconds, frames ("12f") when zoomed in far enough
 * (timecode.ts rulerTicks), the loop range, and scrubbing: press and drag anywhere on it to move
 * the playhead, hearing the audio under it.
 */
import type { PointerEvent as ReactPointerEvent } from 'react';
import { TIMELINE_FPS, rulerTicks } from '../../../../shared/timeline/timecode.ts';
import { timeToX, xToTime, type TimeScale } from '../../state/editor-geometry.ts';

interface Props {
  scale: TimeScale;
  widthPx: number;
  loopRange: { startS: number; endS: number } | null;
  loopOn: boolean;
  onScrub: (timeS: number) => void;
  onScrubEnd: () => void;
}

export function Ruler({ scale, widthPx, loopRange, loopOn, onScrub, onScrubEnd }: Props) {
  const toS = xToTime(scale, widthPx);
  const ticks = widthPx > 0 ? rulerTicks(scale.scrollS, toS, scale.pxPerS, TIMELINE_FPS) : { major: [], minor: [] };

  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>): void => {
    if (e.button !== 0) return;
    const el = e.currentTarget;
    const left = el.getBoundingClientRect().left;
    const at = (clientX: number): number => Math.max(0, xToTime(scale, clientX - left));
    el.setPointerCapture(e.pointerId);
    onScrub(at(e.clientX));
    const move = (ev: PointerEvent): void => onScrub(at(ev.clientX));
    const up = (): void => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
      onScrubEnd();
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  };

  return (
    <div
      className="ruler"
      onPointerDown={onPointerDown}
      data-testid="ruler"
      data-px-per-s={scale.pxPerS}
      data-scroll-s={scale.scrollS}
      title="Click or drag to move the playhead"
    >
      {loopRange && (
        <span
          className={`ruler-loop ${loopOn ? 'is-on' : ''}`}
          style={{ left: timeToX(scale, loopRange.startS), width: (loopRange.endS - loopRange.startS) * scale.pxPerS }}
          data-testid="loop-range"
        />
      )}
      {ticks.minor.map((t) => (
        <span key={`m${t}`} className="ruler-tick ruler-tick-minor" style={{ left: timeToX(scale, t) }} />
      ))}
      {ticks.major.map((t) => (
        <span key={t.timeS} className="ruler-tick" style={{ left: timeToX(scale, t.timeS) }}>
          <span className="ruler-label">{t.label}</span>
        </span>
      ))}
    </div>
  );
}
