/**
 * What the evaluation reads off a frame with the app's face pipeline (Human, inside its npm
 * package): the mouth opening from the 478-point mesh and the identity embedding (faceres).
 * Each frame is detected on its own (still mode): frames of different methods are interleaved,
 * so Human's video tracking would carry one method's face into another's frame.
 */
import { detectFaces } from '../engine/face/detect.ts';
import { mouthOpening } from './metrics/lip-sync.ts';

export interface FaceProbe {
  /** Inner-lip gap / face height; NaN when no face was found. */
  opening: number;
  /** Identity embedding; null when no face was found. */
  embedding: Float32Array | null;
}

export async function probeFace(rgb: Uint8Array, width: number, height: number): Promise<FaceProbe> {
  const faces = await detectFaces({ width, height, channels: 3, data: rgb }, { embedding: true });
  const face = faces[0];
  if (!face) return { opening: Number.NaN, embedding: null };
  return { opening: mouthOpening(face.mesh), embedding: face.embedding ?? null };
}

/** Float RGB 0..1 -> bytes (the levels a PNG of the frame would hold). */
export function toRgb8(rgb: Float32Array): Uint8Array {
  return Uint8Array.from(rgb, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
}

/** Bytes -> float RGB 0..1. */
export function toUnitFloat(rgb: Uint8Array): Float32Array {
  return Float32Array.from(rgb, (v) => v / 255);
}

/**
 * Missing values (NaN: frames where no face was found) filled by linear interpolation between
 * the nearest found neighbours, held flat at the ends, so a lag search sees an aligned series.
 * All missing: returned as is.
 */
export function fillGaps(series: readonly number[]): number[] {
  const out = series.slice();
  const known = out.flatMap((v, i) => (Number.isFinite(v) ? [i] : []));
  if (known.length === 0) return out;
  let k = 0; // index into known of the first found frame after i
  for (let i = 0; i < out.length; i++) {
    while (k < known.length && known[k]! <= i) k++;
    if (Number.isFinite(out[i])) continue;
    const prev = k > 0 ? known[k - 1]! : undefined;
    const next = k < known.length ? known[k]! : undefined;
    if (prev === undefined) out[i] = out[next!]!;
    else if (next === undefined) out[i] = out[prev]!;
    else out[i] = out[prev]! + ((out[next]! - out[prev]!) * (i - prev)) / (next - prev);
  }
  return out;
}
