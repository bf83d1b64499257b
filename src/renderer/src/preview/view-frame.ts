/**
 * The export frame inside the preview canvas (the safe frame) and the canvas's field of view
 * that keeps the field of view across the frame's shorter side at the camera's `fovDeg`: what lies inside
 * the safe frame is what an export of that aspect ratio shows. The rule lives in
 * src/shared/camera/projection.ts, which the export's pinhole cameras use too.
 */
export { canvasFovDeg, canvasProjection, safeFrameRect, type CanvasProjection, type FrameRect } from '../../../shared/camera/projection.ts';
