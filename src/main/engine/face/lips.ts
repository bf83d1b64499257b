/**
 * The lip landmarks of the 478-point MediaPipe face mesh (outer and inner contours) and the mouth
 * box around them. Twin: LIPS, MOUTH_PAD and box_from_points in training/splatportrait/data/mouth.py
 * (the training loss and training/lip_motion.py use the same region).
 */
export const LIPS = [
  61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 185, 40, 39, 37, 0, 267, 269, 270, 409,
  78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 191, 80, 81, 82, 13, 312, 311, 310, 415,
] as const;
/** Padding of the lip box, a fraction of its width / height per side. */
export const MOUTH_PAD = 0.2;

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function boxFromPoints(points: readonly (readonly [number, number])[], pad: number): Box {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const px = (x1 - x0) * pad;
  const py = (y1 - y0) * pad;
  return { x0: x0 - px, y0: y0 - py, x1: x1 + px, y1: y1 + py };
}

/** The padded lip box of 478 landmarks. */
export function mouthBox(landmarks: readonly (readonly [number, number])[]): Box {
  return boxFromPoints(LIPS.map((i) => landmarks[i] as readonly [number, number]), MOUTH_PAD);
}
