/**
 * The one rule that turns a camera's field of view and an output frame into a projection, for the
 * export (the rasterizer's pinhole camera at the output size) and for the live preview (a three.js
 * PerspectiveCamera over the whole canvas, with the export frame as the safe frame inside it), so
 * that what lies inside the preview's safe frame is exactly what the exported video shows
 * (issue 7).
 *
 * The rule: a CameraState's `fovDeg` is the field of view across the output frame's SHORTER side
 * (its height in landscape and square frames, its width in portrait ones). Square pixels,
 * principal point at the frame's centre, no skew:
 *
 *   fy = fx = (min(width, height) / 2) / tan(fovDeg / 2),   cx = width / 2,   cy = height / 2
 *
 * So the avatar's square source crop (28.07 degrees both ways, camera-estimate.ts) always fits the
 * frame, filling its shorter side: a 16:9 frame shows more at the sides (47.9 degrees across), a
 * 9:16 frame more above and below (47.9 degrees down), and a vertical clip never cuts the head at
 * the sides. For landscape and square frames this is the vertical field of view of three.js;
 * Nerfstudio's camera_path.json stores the vertical one, so its import and export convert
 * (verticalFovDeg, fovFromVerticalDeg).
 *
 * The preview's canvas need not have the export's aspect ratio: the safe frame is the largest
 * rectangle of that aspect centred in the canvas, and the canvas's own camera has the frame's focal
 * length (in canvas pixels) and the same centre, so the canvas simply sees more around the frame.
 * Both sides clip at CAMERA_NEAR and CAMERA_FAR.
 */
import { intrinsicsFromFovY, type Intrinsics, type PinholeCamera } from './pinhole.ts';

/** Clip planes of the export and the preview, world units (the head is about 1 unit across). */
export const CAMERA_NEAR = 0.01;
export const CAMERA_FAR = 100;

const DEG = Math.PI / 180;

/** The vertical field of view (degrees) of a frame of width x height that sees `fovDeg` across its shorter side. */
export function verticalFovDeg(fovDeg: number, width: number, height: number): number {
  if (width >= height) return fovDeg;
  return (2 * Math.atan(Math.tan((fovDeg * DEG) / 2) * (height / width))) / DEG;
}

/** verticalFovDeg's inverse: the shorter side's field of view of a frame that sees `verticalDeg` vertically. */
export function fovFromVerticalDeg(verticalDeg: number, width: number, height: number): number {
  if (width >= height) return verticalDeg;
  return (2 * Math.atan(Math.tan((verticalDeg * DEG) / 2) * (width / height))) / DEG;
}

/** Intrinsics (pixels) of a frame of width x height that sees `fovDeg` across its shorter side. */
export function frameIntrinsics(fovDeg: number, width: number, height: number): Intrinsics {
  return intrinsicsFromFovY(verticalFovDeg(fovDeg, width, height), width, height);
}

/** The horizontal field of view (degrees) of a frame of width x height that sees `fovDeg` across its shorter side. */
export function horizontalFovDeg(fovDeg: number, width: number, height: number): number {
  return (2 * Math.atan(Math.tan((verticalFovDeg(fovDeg, width, height) * DEG) / 2) * (width / height))) / DEG;
}

/** A camera's pose (world-to-camera `view`, OpenCV) and field of view as the pinhole camera of a width x height frame. */
export function framePinhole(camera: { view: readonly number[]; fovDeg: number }, width: number, height: number): PinholeCamera {
  return { width, height, ...frameIntrinsics(camera.fovDeg, width, height), view: [...camera.view], near: CAMERA_NEAR, far: CAMERA_FAR };
}

export interface FrameRect {
  /** CSS pixels from the canvas's top-left corner. */
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The largest rectangle of `aspect` (width / height) centred in a canvas of width x height: the safe frame. */
export function safeFrameRect(width: number, height: number, aspect: number): FrameRect {
  if (!(width > 0 && height > 0 && aspect > 0)) return { left: 0, top: 0, width: Math.max(0, width), height: Math.max(0, height) };
  if (width / height >= aspect) {
    const w = height * aspect;
    return { left: (width - w) / 2, top: 0, width: w, height };
  }
  const h = width / aspect;
  return { left: 0, top: (height - h) / 2, width, height: h };
}

/** What the preview's three.js PerspectiveCamera needs to show an export frame inside its canvas. */
export interface CanvasProjection {
  /** PerspectiveCamera.fov: the vertical field of view of the whole canvas, degrees. */
  fovYDeg: number;
  /** PerspectiveCamera.aspect: the canvas's width / height. */
  aspect: number;
  near: number;
  far: number;
  /** The export frame inside the canvas (CSS pixels). */
  frame: FrameRect;
}

/**
 * The canvas camera (width x height CSS pixels) whose safe frame of aspect `frameAspect` sees
 * `fovDeg` across its shorter side: the frame's intrinsics (frameIntrinsics at the frame's size in
 * canvas pixels) extended to the whole canvas about the same centre.
 */
export function canvasProjection(fovDeg: number, width: number, height: number, frameAspect: number): CanvasProjection {
  const frame = safeFrameRect(width, height, frameAspect);
  const base = { aspect: height > 0 ? width / height : 1, near: CAMERA_NEAR, far: CAMERA_FAR, frame };
  if (!(frame.height > 0 && frame.width > 0 && height > 0)) return { ...base, fovYDeg: fovDeg };
  const { fy } = frameIntrinsics(fovDeg, frame.width, frame.height);
  return { ...base, fovYDeg: (2 * Math.atan((0.5 * height) / fy)) / DEG };
}

/** canvasProjection's fovYDeg alone. */
export function canvasFovDeg(fovDeg: number, width: number, height: number, frameAspect: number): number {
  return canvasProjection(fovDeg, width, height, frameAspect).fovYDeg;
}
