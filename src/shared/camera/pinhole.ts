/**
 * Pinhole cameras in the conventions of DESIGN.md ("Cameras"): OpenCV view convention (x right,
 * y down, z forward), `view` world-to-camera as a row-major 4x4, intrinsics fx, fy, cx, cy in
 * pixels for `width` x `height`, pixel centres at +0.5. The shape is the rasterizer's camera
 * (src/native-gpu/include/splat/params.h, struct Camera), as plain data.
 */

export interface PinholeCamera {
  /** Image size, pixels (>= 1). */
  width: number;
  height: number;
  /** Focal lengths, pixels. */
  fx: number;
  fy: number;
  /** Principal point, pixels from the top-left corner of the image (not of a pixel centre). */
  cx: number;
  cy: number;
  /** [16] world-to-camera, row-major: camera = view * [world, 1]. */
  view: number[];
  /** Clip planes, world units along the camera's z (0 < near < far). */
  near: number;
  far: number;
}

export interface Intrinsics {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
}

/**
 * Square-pixel intrinsics from the vertical field of view: fy = (height / 2) / tan(fovY / 2),
 * fx = fy, principal point at the image centre.
 */
export function intrinsicsFromFovY(fovYDeg: number, width: number, height: number): Intrinsics {
  if (!(fovYDeg > 0 && fovYDeg < 180)) throw new RangeError(`field of view must be in (0, 180) degrees, got ${fovYDeg}`);
  const fy = (0.5 * height) / Math.tan((fovYDeg * Math.PI) / 360);
  return { fx: fy, fy, cx: 0.5 * width, cy: 0.5 * height };
}

/** The vertical field of view of fy at this height, degrees. */
export function fovYFromIntrinsics(fy: number, height: number): number {
  return (2 * Math.atan((0.5 * height) / fy) * 180) / Math.PI;
}

/** The identity view: the camera at the world origin, axes along the world's. */
export const IDENTITY_VIEW: readonly number[] = Object.freeze([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/** camera-space point = view * [p, 1] (the last row of view is 0 0 0 1). */
export function worldToCamera(view: ArrayLike<number>, p: readonly [number, number, number]): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (let r = 0; r < 3; r++) out[r] = view[4 * r]! * p[0] + view[4 * r + 1]! * p[1] + view[4 * r + 2]! * p[2] + view[4 * r + 3]!;
  return out;
}

/** Pixel coordinates (column, row; centres at +0.5) of a camera-space point in front of the camera. */
export function projectToPixel(camera: Intrinsics, p: readonly [number, number, number]): [number, number] {
  return [(camera.fx * p[0]) / p[2] + camera.cx, (camera.fy * p[1]) / p[2] + camera.cy];
}

/** The camera centre in world coordinates: -R^T t for view = [R | t]. */
export function cameraCentre(view: ArrayLike<number>): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) out[c] = -(view[c]! * view[3]! + view[4 + c]! * view[7]! + view[8 + c]! * view[11]!);
  return out;
}
