/**
 * The export frame inside the preview canvas (the safe frame) and the canvas's field of view
 * that keeps the frame's own vertical field of view at the camera's `fovDeg`: what lies inside
 * the safe frame is what an export of that aspect ratio shows.
 */

export interface FrameRect {
  /** CSS pixels from the canvas's top-left corner. */
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The largest rectangle of `aspect` (width / height) centred in a canvas of width x height. */
export function safeFrameRect(width: number, height: number, aspect: number): FrameRect {
  if (!(width > 0 && height > 0 && aspect > 0)) return { left: 0, top: 0, width: Math.max(0, width), height: Math.max(0, height) };
  if (width / height >= aspect) {
    const w = height * aspect;
    return { left: (width - w) / 2, top: 0, width: w, height };
  }
  const h = width / aspect;
  return { left: 0, top: (height - h) / 2, width, height: h };
}

/**
 * Vertical field of view of the whole canvas (degrees) when the safe frame must see `fovDeg`
 * vertically: equal when the frame spans the canvas's height, wider when the frame is
 * letterboxed (tan scales with the canvas-to-frame height ratio).
 */
export function canvasFovDeg(fovDeg: number, width: number, height: number, aspect: number): number {
  const frame = safeFrameRect(width, height, aspect);
  if (!(frame.height > 0) || frame.height >= height) return fovDeg;
  const half = Math.tan((fovDeg * Math.PI) / 360) * (height / frame.height);
  return (2 * Math.atan(half) * 180) / Math.PI;
}
