/**
 * The one place that converts between our camera convention and OpenGL / three.js
 * (DESIGN.md "Cameras": "One module converts to three.js; nothing else converts").
 *
 * Ours (OpenCV): world = head space, x right, y down, z forward (into the face); camera axes
 * x right, y down, z = viewing direction; `view` is world-to-camera, row-major 4x4.
 *
 * OpenGL / three.js / Nerfstudio: camera axes x right, y up, looking down -z; matrices are
 * camera-to-world.
 *
 * Decision (issue 6): the GL world is our world turned 180 degrees about x, F = diag(1, -1, -1),
 * so the head stands y-up in three.js and the front camera looks down -z, as three.js cameras
 * and OrbitControls expect. F is a proper rotation (det +1), so nothing changes handedness. In
 * the preview, put everything that is in head space (splats, path, frustums) under one root
 * object whose matrix is CV_TO_GL_WORLD (equivalently rotation.x = pi, or scale(1, -1, -1)).
 * Nerfstudio's camera_path.json uses the same GL world.
 *
 * Conversions: camera-to-world in GL  = F * inverse(view) * F   (F on the left maps the world,
 * on the right maps the camera axes: OpenCV camera (y down, z forward) to GL (y up, z back)).
 */

export type Vec3 = [number, number, number];

/** CV world -> GL world, 4x4; symmetric, so row- and column-major read the same. */
export const CV_TO_GL_WORLD: readonly number[] = Object.freeze([1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1]);

/** A point in head space (OpenCV axes) -> the GL world. Its own inverse. */
export function cvPointToGl(p: readonly [number, number, number]): Vec3 {
  return [p[0], -p[1], -p[2]];
}

/** A point in the GL world -> head space (OpenCV axes). */
export function glPointToCv(p: readonly [number, number, number]): Vec3 {
  return [p[0], -p[1], -p[2]];
}

export function transpose4(m: readonly number[]): number[] {
  const out = new Array<number>(16);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) out[4 * c + r] = m[4 * r + c]!;
  return out;
}

/** Inverse of a rigid 4x4 [R | t; 0 0 0 1] (row-major in, row-major out): [R^T | -R^T t]. */
export function invertRigid(m: readonly number[]): number[] {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[4 * r + c] = m[4 * c + r]!;
    out[4 * r + 3] = -(m[r]! * m[3]! + m[4 + r]! * m[7]! + m[8 + r]! * m[11]!);
  }
  out[15] = 1;
  return out;
}

/** F * m * F for F = diag(1, -1, -1, 1): negate the entries whose row and column differ in flip. */
function conjugateByFlip(m: readonly number[]): number[] {
  const sign = [1, -1, -1, 1];
  // + 0 turns -0 into 0, so zeros print as 0 in JSON and compare equal with toEqual.
  return m.map((v, i) => v * sign[i >> 2]! * sign[i & 3]! + 0);
}

/**
 * OpenCV world-to-camera view (row-major) -> GL camera-to-world in the GL world, ROW-major
 * (Nerfstudio's camera_path.json layout: numpy's flatten() of the 4x4).
 */
export function viewToGlCameraToWorldRowMajor(view: readonly number[]): number[] {
  return conjugateByFlip(invertRigid(view));
}

/** Inverse of viewToGlCameraToWorldRowMajor: GL camera-to-world (row-major) -> OpenCV view (row-major). */
export function glCameraToWorldRowMajorToView(m: readonly number[]): number[] {
  return invertRigid(conjugateByFlip(m));
}

/**
 * OpenCV world-to-camera view (row-major) -> GL camera-to-world in the GL world, COLUMN-major:
 * ready for three.js `Matrix4.fromArray` and a camera's `matrix` / `matrixWorld` (with the camera
 * a child of the scene, not of the CV_TO_GL_WORLD root).
 */
export function viewToGlCameraMatrix(view: readonly number[]): number[] {
  return transpose4(viewToGlCameraToWorldRowMajor(view));
}

/** Inverse of viewToGlCameraMatrix: three.js camera matrixWorld elements (column-major) -> OpenCV view (row-major). */
export function glCameraMatrixToView(m: readonly number[]): number[] {
  return glCameraToWorldRowMajorToView(transpose4(m));
}
