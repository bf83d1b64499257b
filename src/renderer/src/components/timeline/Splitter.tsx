/**
 * A drag handle on a seam between studio panels: reports the panel's new size while dragging
 * (the caller clamps and stores it). Double-click restores the default size.
 */
import type { CSSProperties, PointerEvent as ReactPointerEvent } from 'react';

interface Props {
  /** 'x' resizes a column, 'y' the timeline row. */
  axis: 'x' | 'y';
  /** +1 when dragging right/down grows the panel, -1 when it shrinks it. */
  direction: 1 | -1;
  size: number;
  onResize: (size: number) => void;
  onReset: () => void;
  label: string;
  className: string;
  style: CSSProperties;
}

export function Splitter({ axis, direction, size, onResize, onReset, label, className, style }: Props) {
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>): void => {
    if (e.button !== 0) return;
    e.preventDefault();
    const el = e.currentTarget;
    const start = axis === 'x' ? e.clientX : e.clientY;
    const startSize = size;
    el.setPointerCapture(e.pointerId);
    el.classList.add('is-dragging');
    const move = (ev: PointerEvent): void => onResize(startSize + direction * ((axis === 'x' ? ev.clientX : ev.clientY) - start));
    const up = (): void => {
      el.classList.remove('is-dragging');
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  };
  return (
    <div
      className={`splitter splitter-${axis} ${className}`}
      style={style}
      role="separator"
      aria-orientation={axis === 'x' ? 'vertical' : 'horizontal'}
      aria-label={label}
      title={`${label} (double-click: default size)`}
      onPointerDown={onPointerDown}
      onDoubleClick={onReset}
      data-testid={`splitter-${className}`}
    />
  );
}
