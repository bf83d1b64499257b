/**
 * Approximate camera of a head crop: fixed intrinsics, head rotation from the face mesh, and the
 * camera-to-head translation from the face's apparent size and position.
 *
 * Conventions (DESIGN.md, Contracts: Cameras): world = head space, metres-like units, origin near
 * the head centre, +x right, +y down, +z from the front camera into the face (so a frontal camera
 * looks along world +z). OpenCV camera (x right, y down, z forward). The view matrix is
 * world-to-camera, 4x4, row-major: p_cam = R p_world + t. A frontal face whose origin projects to
 * the crop centre gives view = [I | (0, 0, d)].
 *
 * Numbers (state them wherever the dataset is described: training/DATASET.md):
 * - fx = fy = FOCAL_PER_SIZE * size = 2.0 * size, cx = cy = size / 2: a horizontal and vertical
 *   field of view of 2 * atan(0.25) = 28.07 degrees, a portrait lens (about 86 mm full-frame).
 * - Head origin = midpoint of mesh points 234 and 454 (the face outline at the ears, cheekbone
 *   height): inside the head, roughly centred left-right and front-back.
 * - Physical face width |P454 - P234| = FACE_WIDTH_M = 0.15 m (adult bizygomatic-to-tragion face
 *   width; the canonical MediaPipe face spans about 15 cm there). Depth d = fx * 0.15 / width_px.
 */
import {
  add,
  apply3,
  cross,
  det3,
  dot,
  fromColumns,
  meanOf,
  mul3,
  normalize,
  pt,
  rotX,
  scale,
  sub,
  transpose3,
  type Vec3,
} from './geometry.ts';
import type { CropRect } from './crop.ts';
import type { HeadRotation, Mat3, Point3 } from './types.ts';

/** fx = fy = FOCAL_PER_SIZE * crop size (pixels): 28.07 degrees field of view. */
export const FOCAL_PER_SIZE = 2.0;
/** Assumed 3D distance between mesh points 234 and 454, metres. */
export const FACE_WIDTH_M = 0.15;

/** Mesh indices (MediaPipe Face Mesh topology, which Human's facemesh uses). */
export const MESH = {
  /** Face outline at the ears: subject's right (image left for a frontal face) and left. */
  cheekRight: 234,
  cheekLeft: 454,
  foreheadTop: 10,
  chin: 152,
  noseTip: 1,
  /** Symmetric pairs on rigid parts (eye corners, face outline, nose wings): [right, left]. */
  rigidPairs: [
    [33, 263],
    [133, 362],
    [234, 454],
    [127, 356],
    [93, 323],
    [98, 327],
  ] as const,
  /** Midline points, top (forehead) and bottom (nose base: rigid, unlike the chin, which moves with the jaw). */
  midlineTop: [10, 151] as const,
  midlineBottom: [2, 98, 327] as const,
};

/**
 * Pitch offset (radians) between the measured forehead-to-nose-base direction and the head's +y
 * axis, so that a face looking straight into the camera reads pitch 0. Measured: the median pitch
 * with this offset at 0 was +3.3 degrees over the 61 portraits of ../shared/data/portraits that
 * have a face (2026-11-21; mostly frontal photos and paintings).
 */
export const MIDLINE_PITCH_OFFSET = (3.3 * Math.PI) / 180;

/** Intrinsics of a square crop of `size` pixels. */
export function cropIntrinsics(size: number): { fx: number; fy: number; cx: number; cy: number } {
  return { fx: FOCAL_PER_SIZE * size, fy: FOCAL_PER_SIZE * size, cx: size / 2, cy: size / 2 };
}

/** Field of view (degrees) of cropIntrinsics: 2 atan(1 / (2 * FOCAL_PER_SIZE)). */
export function cropFovDegrees(): number {
  return (2 * Math.atan(1 / (2 * FOCAL_PER_SIZE)) * 180) / Math.PI;
}

/** Euler angles of matrix = Ry(yaw) Rx(pitch) Rz(roll). */
export function eulerFromMatrix(m: Mat3): { yaw: number; pitch: number; roll: number } {
  const pitch = Math.asin(Math.max(-1, Math.min(1, -m[5])));
  return { yaw: Math.atan2(m[2], m[8]), pitch, roll: Math.atan2(m[3], m[4]) };
}

/** matrix = Ry(yaw) Rx(pitch) Rz(roll) (the inverse of eulerFromMatrix). */
export function matrixFromEuler(yaw: number, pitch: number, roll: number): Mat3 {
  const ry: Mat3 = [Math.cos(yaw), 0, Math.sin(yaw), 0, 1, 0, -Math.sin(yaw), 0, Math.cos(yaw)];
  const rz: Mat3 = [Math.cos(roll), -Math.sin(roll), 0, Math.sin(roll), Math.cos(roll), 0, 0, 0, 1];
  return mul3(mul3(ry, rotX(pitch)), rz);
}

/**
 * Head rotation (head space -> camera space) from a mesh with z in the same pixel scale as x, y.
 * x axis: sum of the left-minus-right vectors of rigid symmetric pairs; y axis: forehead top to
 * nose base, made orthogonal to x, then turned by MIDLINE_PITCH_OFFSET about x; z = x cross y.
 * Orthonormal, det +1 by construction. Sign meanings: yaw > 0 turns the nose towards image -x,
 * pitch > 0 tips the nose down (towards image +y), roll > 0 turns the face clockwise on screen.
 */
export function headRotation(mesh: readonly Point3[]): HeadRotation {
  let xs: Vec3 = [0, 0, 0];
  for (const [r, l] of MESH.rigidPairs) xs = add(xs, sub(pt(mesh, l), pt(mesh, r)));
  const x = normalize(xs);
  const down = sub(meanOf(mesh, MESH.midlineBottom), meanOf(mesh, MESH.midlineTop));
  const y0 = normalize(sub(down, scale(x, dot(down, x))));
  const z0 = cross(x, y0);
  // The measured midline is the head's y axis turned by MIDLINE_PITCH_OFFSET about x.
  const base = fromColumns(x, y0, z0);
  const matrix = mul3(base, rotX(-MIDLINE_PITCH_OFFSET));
  return { matrix, ...eulerFromMatrix(matrix) };
}

/** 3D face width (pixels) between mesh points 234 and 454. */
export function faceWidth3d(mesh: readonly Point3[]): number {
  const d = sub(pt(mesh, MESH.cheekLeft), pt(mesh, MESH.cheekRight));
  return Math.hypot(d[0], d[1], d[2]);
}

/** Head origin in image pixels (x, y) and its depth-free image position: midpoint of 234 and 454. */
export function headOrigin(mesh: readonly Point3[]): Vec3 {
  return meanOf(mesh, [MESH.cheekRight, MESH.cheekLeft]);
}

export interface CropCamera {
  /** World(head)-to-camera 4x4, row-major, OpenCV. */
  view: number[];
  intrinsics: { fx: number; fy: number; cx: number; cy: number };
  rotation: HeadRotation;
  /** Camera-space position of the head origin (= translation of `view`), metres-like units. */
  translation: Vec3;
  /** Metres per source pixel at the head origin's depth (FACE_WIDTH_M / face width px). */
  metresPerPixel: number;
}

/**
 * Camera of a crop for one face: rotation from the mesh, depth from the face width, lateral
 * offset from where the head origin falls in the crop. `mesh` in source pixels, `crop` the
 * square crop in source pixels, `size` the output (model input) side in pixels.
 */
export function estimateCropCamera(mesh: readonly Point3[], crop: CropRect, size: number, rotation = headRotation(mesh)): CropCamera {
  const intrinsics = cropIntrinsics(size);
  const k = size / crop.size; // output pixels per source pixel
  const widthOut = faceWidth3d(mesh) * k;
  if (!(widthOut > 0)) throw new Error('face width is zero: degenerate mesh');
  const depth = (intrinsics.fx * FACE_WIDTH_M) / widthOut;
  const o = headOrigin(mesh);
  const u = (o[0] - crop.x) * k;
  const v = (o[1] - crop.y) * k;
  const translation: Vec3 = [(depth * (u - intrinsics.cx)) / intrinsics.fx, (depth * (v - intrinsics.cy)) / intrinsics.fy, depth];
  const r = rotation.matrix;
  const view = [r[0], r[1], r[2], translation[0], r[3], r[4], r[5], translation[1], r[6], r[7], r[8], translation[2], 0, 0, 0, 1];
  return { view, intrinsics, rotation, translation, metresPerPixel: FACE_WIDTH_M / faceWidth3d(mesh) };
}

/**
 * Head-space 3D coordinates of a mesh (metres-like), using its own depth: the inverse of what
 * estimateCropCamera assumes (weak perspective about the head origin). Used to check cameras by
 * re-projection and to build a per-clip canonical face.
 */
export function meshToHead(mesh: readonly Point3[], rotation: HeadRotation): Vec3[] {
  const o = headOrigin(mesh);
  const s = FACE_WIDTH_M / faceWidth3d(mesh);
  const rt = transpose3(rotation.matrix);
  return mesh.map((p) => apply3(rt, scale(sub(p, o), s)));
}

/** Project head-space points through view and intrinsics: pixel coordinates and camera depth. */
export function projectPoints(points: readonly Vec3[], view: readonly number[], k: { fx: number; fy: number; cx: number; cy: number }): [number, number, number][] {
  const v = (i: number): number => view[i]!;
  return points.map((p) => {
    const xc = v(0) * p[0] + v(1) * p[1] + v(2) * p[2] + v(3);
    const yc = v(4) * p[0] + v(5) * p[1] + v(6) * p[2] + v(7);
    const zc = v(8) * p[0] + v(9) * p[1] + v(10) * p[2] + v(11);
    return [k.fx * (xc / zc) + k.cx, k.fy * (yc / zc) + k.cy, zc];
  });
}

/** True when a 3x3 is a rotation within tol (orthonormal, det +1). */
export function isRotation(m: Mat3, tol = 1e-6): boolean {
  const cols: Vec3[] = [
    [m[0], m[3], m[6]],
    [m[1], m[4], m[7]],
    [m[2], m[5], m[8]],
  ];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (Math.abs(dot(cols[i]!, cols[j]!) - (i === j ? 1 : 0)) > tol) return false;
  return Math.abs(det3(m) - 1) < tol;
}

/**
 * Temporal smoothing of per-frame views (4x4 row-major, world-to-camera): the rotation is a
 * centred moving average over 2 * radius + 1 frames (window shrinks at the ends; averaged matrix
 * re-orthonormalised by Gram-Schmidt on its first two columns, exact enough for the small spreads
 * within a few frames). The translation is kept per frame: it comes from the 2D position and size
 * of the face, which are precise, and averaging it lags fast head moves (measured on
 * liveportrait_s13, whose head jumps up to 30 px per frame at 256: a 5-frame average of the
 * translation put the re-projected face 10-20 px off). The rotation's frame-to-frame jitter (about
 * 1 degree of pitch, from the mesh's depth estimate) is what this removes.
 */
export function smoothViews(views: readonly number[][], radius = 1): number[][] {
  const n = views.length;
  return views.map((v, i) => {
    const lo = Math.max(0, i - radius);
    const hi = Math.min(n - 1, i + radius);
    const acc = new Array<number>(16).fill(0);
    for (let k = lo; k <= hi; k++) for (let e = 0; e < 16; e++) acc[e] = acc[e]! + views[k]![e]!;
    const a = (e: number): number => acc[e]!;
    const x = normalize([a(0), a(4), a(8)]);
    const yr: Vec3 = [a(1), a(5), a(9)];
    const y = normalize(sub(yr, scale(x, dot(yr, x))));
    const z = cross(x, y);
    return [x[0], y[0], z[0], v[3]!, x[1], y[1], z[1], v[7]!, x[2], y[2], z[2], v[11]!, 0, 0, 0, 1];
  });
}

/**
 * Head-space 3D coordinates of a mesh seen through a crop camera: each point is unprojected at
 * depth t_z + (its mesh depth relative to the head origin) * metresPerPixel, along its own pixel
 * ray, then taken to head space (R^T (X - t)). The mesh's x, y are perspective image positions, so
 * this inverts the camera exactly for the points' own frame (meshToHead, orthographic, does not).
 */
export function meshToHeadPerspective(mesh: readonly Point3[], crop: CropRect, size: number, camera: CropCamera): Vec3[] {
  const k = size / crop.size;
  const o = headOrigin(mesh);
  const { fx, fy, cx, cy } = camera.intrinsics;
  const t = camera.translation;
  const r = camera.rotation.matrix;
  const rt = transpose3(r);
  return mesh.map((p) => {
    const zc = t[2] + (p[2] - o[2]) * camera.metresPerPixel;
    const u = (p[0] - crop.x) * k;
    const v = (p[1] - crop.y) * k;
    const xc: Vec3 = [((u - cx) / fx) * zc, ((v - cy) / fy) * zc, zc];
    return apply3(rt, sub(xc, t));
  });
}
