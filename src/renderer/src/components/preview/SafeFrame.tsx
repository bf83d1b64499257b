/**
 * The export frame over the preview: everything outside the frame of the export's aspect ratio
 * is darkened, the frame gets a thin outline (view-frame.ts safeFrameRect; the camera's field of
 * view applies to this frame, so what is inside is what the export shows).
 */
import { useEffect, useRef, useState } from 'react';
import { safeFrameRect } from '../../preview/view-frame.ts';

export function SafeFrame({ aspect }: { aspect: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const rect = safeFrameRect(size.width, size.height, aspect);
  return (
    <div ref={box} className="splat-safe-frame" aria-hidden="true">
      {size.width > 0 && (
        <div
          className="splat-safe-frame-rect"
          data-testid="preview-safe-frame"
          data-aspect={aspect.toFixed(4)}
          style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }}
        />
      )}
    </div>
  );
}
