/**
 * Shared types of the face pipeline. Units: source-image pixels unless a name says otherwise;
 * image axes x right, y down, pixel centres at +0.5 (DESIGN.md, Contracts: Cameras).
 */

/** Interleaved 8-bit image, row-major, `channels` bytes per pixel (RGB or RGBA). */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** [x, y, z]: x, y in image pixels; z relative depth in the same pixel scale, larger = farther. */
export type Point3 = [number, number, number];

/** 3x3 matrix, row-major, 9 numbers. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

/** 4x4 matrix, row-major, 16 numbers. */
export type Mat4 = number[];

/**
 * Head rotation: `matrix` maps head-space directions to camera space (its columns are the head's
 * +x right, +y down, +z backward-into-the-face axes seen from the camera), row-major.
 * matrix = Ry(yaw) · Rx(pitch) · Rz(roll), angles in radians, camera axes (x right, y down,
 * z forward): yaw > 0 turns the nose towards image -x (image left), pitch > 0 tips the nose down
 * (image +y), roll > 0 turns the face clockwise on screen (camera-estimate.ts, eulerFromMatrix).
 */
export interface HeadRotation {
  matrix: Mat3;
  yaw: number;
  pitch: number;
  roll: number;
}

/** One detected face. */
export interface Face {
  /** [x, y, width, height] in image pixels (Human's box around the mesh, clamped to the image). */
  box: [number, number, number, number];
  /** Overall confidence 0..1 (mesh score). */
  score: number;
  /** 478 points (468 face mesh + 10 iris; MediaPipe Face Mesh topology), z rescaled to pixels. */
  mesh: Point3[];
  rotation: HeadRotation;
  /** 3D distance between mesh points 234 and 454 (face width at the cheekbones/ears), pixels. */
  faceWidth: number;
  /** Identity embedding (Human's faceres description, 1024-d), only when asked for. */
  embedding?: Float32Array;
}
