/**
 * A synthetic face for the geometry tests: the landmarks the pose estimate reads, placed in head
 * space (metres: +x the subject's left as seen on screen, +y down, +z into the face) and imaged
 * by a known rotation, scale and position with z in the same pixel scale (what detect.ts gives).
 */
import { FACE_WIDTH_M, MESH, MIDLINE_PITCH_OFFSET } from '../../../src/main/engine/face/camera-estimate.ts';
import { apply3 } from '../../../src/main/engine/face/geometry.ts';
import type { Mat3, Point3 } from '../../../src/main/engine/face/types.ts';

type Vec3 = [number, number, number];

/** Head-space points of the synthetic face, 478 of them (unused indices at the origin). */
export function syntheticHeadPoints(): Vec3[] {
  const p: Vec3[] = Array.from({ length: 478 }, () => [0, 0, 0] as Vec3);
  const half = FACE_WIDTH_M / 2;
  const pairs: [number, number, Vec3][] = [
    [33, 263, [0.045, -0.01, -0.07]],
    [133, 362, [0.015, -0.01, -0.075]],
    [234, 454, [half, 0, 0]],
    [127, 356, [0.072, -0.03, -0.01]],
    [93, 323, [0.07, 0.02, -0.01]],
    [98, 327, [0.015, 0.04, -0.095]],
  ];
  for (const [r, l, v] of pairs) {
    p[r] = [-v[0], v[1], v[2]];
    p[l] = [v[0], v[1], v[2]];
  }
  // Midline: forehead top (10, 151) and nose base (2); the measured direction leans by the offset
  // the estimator removes, so this face is exactly frontal in head space.
  const top = -0.07;
  const bottom = 0.04;
  p[10] = [0, top, -0.08];
  p[151] = [0, top, -0.08];
  const zBottom = -0.08 + (bottom - top) * Math.tan(MIDLINE_PITCH_OFFSET);
  // mean of (2, 98, 327) must sit at (0, bottom, zBottom): 98/327 are at z = -0.095.
  p[2] = [0, bottom, 3 * zBottom - 2 * -0.095];
  p[MESH.noseTip] = [0, 0.02, -0.11];
  p[MESH.chin] = [0, 0.12, -0.07];
  return p;
}

/** Image the head points: pixel = centre + pxPerMetre * R p (orthographic, z in pixels too). */
export function imageFace(points: readonly Vec3[], rotation: Mat3, pxPerMetre: number, centre: [number, number, number]): Point3[] {
  return points.map((q) => {
    const r = apply3(rotation, q);
    return [centre[0] + pxPerMetre * r[0], centre[1] + pxPerMetre * r[1], centre[2] + pxPerMetre * r[2]];
  });
}
