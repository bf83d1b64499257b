/** The timeline's horizontal scroll bar: the thumb shows the visible part of the whole timeline. */
import type { PointerEvent as ReactPointerEvent } from 'react';

interface Props {
  totalS: number;
  visibleS: number;
  scrollS: number;
  onScroll: (scrollS: number) => void;
}

export function ScrollBar({ totalS, visibleS, scrollS, onScroll }: Props) {
  const fraction = Math.min(1, visibleS / Math.max(totalS, 1e-6));
  const left = Math.min(1 - fraction, scrollS / Math.max(totalS, 1e-6));
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>): void => {
    if (e.button !== 0) return;
    const track = e.currentTarget;
    const rect = track.getBoundingClientRect();
    const thumbLeft = rect.left + left * rect.width;
    const thumbWidth = fraction * rect.width;
    // A press on the thumb drags it; elsewhere, the view jumps so the thumb centres there.
    const grab = e.clientX >= thumbLeft && e.clientX <= thumbLeft + thumbWidth ? e.clientX - thumbLeft : thumbWidth / 2;
    const to = (clientX: number): number => ((clientX - grab - rect.left) / rect.width) * totalS;
    track.setPointerCapture(e.pointerId);
    onScroll(to(e.clientX));
    const move = (ev: PointerEvent): void => onScroll(to(ev.clientX));
    const up = (): void => {
      track.removeEventListener('pointermove', move);
      track.removeEventListener('pointerup', up);
    };
    track.addEventListener('pointermove', move);
    track.addEventListener('pointerup', up);
  };
  return (
    <div className="tl-scrollbar" onPointerDown={onPointerDown} aria-hidden="true">
      <span className="tl-scrollbar-thumb" style={{ left: `${left * 100}%`, width: `${Math.max(fraction * 100, 2)}%` }} />
    </div>
  );
}
