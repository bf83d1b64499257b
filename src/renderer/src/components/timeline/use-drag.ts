/**
 * Pointer drags on the timeline: captures the pointer on press, reports the horizontal distance
 * moved on every move and once at release. A press that moves less than CLICK_PX is a click, so
 * selecting never nudges anything.
 */
import { useLayoutEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';

const CLICK_PX = 3;

export interface DragHandlers {
  /** Every move past the click threshold: pixels from the press, and the live event (Alt: no snapping). */
  onMove?: (dxPx: number, e: PointerEvent) => void;
  /** Release after a drag. */
  onEnd?: (dxPx: number, e: PointerEvent) => void;
  /** Release without a drag. */
  onClick?: (e: PointerEvent) => void;
  /** Escape or a lost capture: the drag is dropped, nothing is sent. */
  onCancel?: () => void;
}

export function useDrag(handlers: DragHandlers): (e: ReactPointerEvent<Element>) => void {
  const current = useRef(handlers);
  useLayoutEffect(() => {
    current.current = handlers;
  });
  return (e) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    const target = e.currentTarget as Element;
    const startX = e.clientX;
    const pointerId = e.pointerId;
    let dragging = false;
    target.setPointerCapture?.(pointerId);
    const move = (ev: PointerEvent): void => {
      if (ev.pointerId !== pointerId) return;
      const dx = ev.clientX - startX;
      if (!dragging && Math.abs(dx) < CLICK_PX) return;
      dragging = true;
      current.current.onMove?.(dx, ev);
    };
    const finish = (ev: PointerEvent): void => {
      if (ev.pointerId !== pointerId) return;
      cleanup();
      if (ev.type === 'pointercancel') current.current.onCancel?.();
      else if (dragging) current.current.onEnd?.(ev.clientX - startX, ev);
      else current.current.onClick?.(ev);
    };
    const key = (ev: KeyboardEvent): void => {
      if (ev.key !== 'Escape') return;
      ev.preventDefault();
      cleanup();
      if (dragging) current.current.onCancel?.();
    };
    const cleanup = (): void => {
      target.removeEventListener('pointermove', move as EventListener);
      target.removeEventListener('pointerup', finish as EventListener);
      target.removeEventListener('pointercancel', finish as EventListener);
      window.removeEventListener('keydown', key, true);
      if (target.hasPointerCapture?.(pointerId)) target.releasePointerCapture(pointerId);
    };
    target.addEventListener('pointermove', move as EventListener);
    target.addEventListener('pointerup', finish as EventListener);
    target.addEventListener('pointercancel', finish as EventListener);
    window.addEventListener('keydown', key, true);
  };
}
