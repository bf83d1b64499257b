/**
 * Novel views for evaluation: a source view orbited about a world point, the bullet-time
 * trajectory of paper 3.3. Twin of orbit_view in training/splatportrait/geometry.py (yaw about
 * world y, then pitch about world x; moving the world by R^-1 about the centre is moving the
 * camera by R about it), so the Python and the Node evaluations look from the same places.
 */

/** Row-major 4x4 product a * b. */
function mul4(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r * 4 + k]! * b[k * 4 + c]!;
      out[r * 4 + c] = s;
    }
  }
  return out;
}

/** view (world-to-camera, row-major [16]) * C * R^T * C^-1 with R = Rx(pitch) * Ry(yaw). */
export function orbitView(view: ArrayLike<number>, yawDeg: number, pitchDeg = 0, centre: readonly [number, number, number] = [0, 0, 0]): Float32Array {
  const y = (yawDeg * Math.PI) / 180;
  const p = (pitchDeg * Math.PI) / 180;
  const ry = [Math.cos(y), 0, Math.sin(y), 0, 1, 0, -Math.sin(y), 0, Math.cos(y)];
  const rx = [1, 0, 0, 0, Math.cos(p), -Math.sin(p), 0, Math.sin(p), Math.cos(p)];
  const rot = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) rot[r * 3 + c]! += rx[r * 3 + k]! * ry[k * 3 + c]!;
  const rotT4 = [rot[0]!, rot[3]!, rot[6]!, 0, rot[1]!, rot[4]!, rot[7]!, 0, rot[2]!, rot[5]!, rot[8]!, 0, 0, 0, 0, 1];
  const [cx, cy, cz] = centre;
  const c = [1, 0, 0, cx, 0, 1, 0, cy, 0, 0, 1, cz, 0, 0, 0, 1];
  const ci = [1, 0, 0, -cx, 0, 1, 0, -cy, 0, 0, 1, -cz, 0, 0, 0, 1];
  return Float32Array.from(mul4(mul4(mul4(view, c), rotT4), ci));
}
