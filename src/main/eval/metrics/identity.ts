/**
 * Identity metrics of the quality evaluation harness (issue 8): how close a rendered face's
 * embedding is to the source portrait's, and averaging per-frame scores that may be missing.
 */

/** Cosine of the angle between two embeddings, in [-1, 1]; throws on a length mismatch or a zero vector. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cosineSimilarity: vectors differ in length (${a.length} and ${b.length})`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  if (!(aa > 0) || !(bb > 0)) throw new Error('cosineSimilarity: zero (or empty) vector');
  return Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb)));
}

/** Mean of the finite values, skipping null (a frame without a face) and NaN; null when none is left. */
export function meanOrNull(values: readonly (number | null)[]): number | null {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    sum += v;
    count++;
  }
  return count ? sum / count : null;
}
