/**
 * Kochanek-Bartels splines (Kochanek & Bartels 1984, "Interpolating splines with local tension,
 * continuity, and bias control", SIGGRAPH '84): cubic Hermite segments whose tangents at each key
 * come from its neighbours, shaped by tension t, continuity c and bias b in [-1, 1].
 *
 * At key i, with chords d0 = P[i] - P[i-1] and d1 = P[i+1] - P[i] (KB eqs. 8 and 9):
 *   incoming ("source")      TS = (1-t)(1-c)(1+b)/2 d0 + (1-t)(1+c)(1-b)/2 d1
 *   outgoing ("destination") TD = (1-t)(1+c)(1+b)/2 d0 + (1-t)(1-c)(1-b)/2 d1
 * For keys at unequal intervals (N0 before key i, N1 after it) the paper scales them (sec. 4):
 *   TD *= 2 N1 / (N0 + N1),  TS *= 2 N0 / (N0 + N1),
 * which makes the time derivative continuous at the key whenever c = 0. With t = c = b = 0 this
 * is Catmull-Rom; with unequal intervals the Catmull-Rom tangent becomes (P[i+1] - P[i-1]) /
 * (N0 + N1) per unit of time. Tangents here are per unit of the segment parameter u in [0, 1].
 *
 * Values are vectors (number arrays of one length). At the ends of a key list a phantom key
 * mirrors the one neighbour there is (P[-1] = 2 P[0] - P[1], at the same interval), so the end
 * tangent is the chord: linear data stays exactly linear.
 */

export interface KbParams {
  /** -1..1; higher tightens the curve at the key (1 = zero tangent). */
  tension: number;
  /** -1..1; non-zero gives a corner (different incoming and outgoing tangents). */
  continuity: number;
  /** -1..1; positive weights the chord from the previous key (overshoot), negative the chord to the next (undershoot). */
  bias: number;
}

export interface KbKey extends KbParams {
  timeS: number;
  value: readonly number[];
}

export const CATMULL_ROM: Readonly<KbParams> = Object.freeze({ tension: 0, continuity: 0, bias: 0 });

/** Cubic Hermite: p0 at u = 0, p1 at u = 1, tangents m0 and m1 per unit of u. */
export function hermite(p0: readonly number[], p1: readonly number[], m0: readonly number[], m1: readonly number[], u: number): number[] {
  const u2 = u * u;
  const u3 = u2 * u;
  const h00 = 2 * u3 - 3 * u2 + 1;
  const h10 = u3 - 2 * u2 + u;
  const h01 = -2 * u3 + 3 * u2;
  const h11 = u3 - u2;
  return p0.map((v, k) => h00 * v + h10 * m0[k]! + h01 * p1[k]! + h11 * m1[k]!);
}

interface Tangents {
  incoming: number[];
  outgoing: number[];
}

/** KB tangents at `key` (per unit of u) given the chords to its neighbours and the intervals. */
export function kbTangents(prev: readonly number[], key: readonly number[], next: readonly number[], intervalBefore: number, intervalAfter: number, params: KbParams): Tangents {
  const { tension: t, continuity: c, bias: b } = params;
  const inA = ((1 - t) * (1 - c) * (1 + b)) / 2;
  const inB = ((1 - t) * (1 + c) * (1 - b)) / 2;
  const outA = ((1 - t) * (1 + c) * (1 + b)) / 2;
  const outB = ((1 - t) * (1 - c) * (1 - b)) / 2;
  const sum = intervalBefore + intervalAfter;
  const inScale = (2 * intervalBefore) / sum;
  const outScale = (2 * intervalAfter) / sum;
  const incoming = key.map((v, k) => inScale * (inA * (v - prev[k]!) + inB * (next[k]! - v)));
  const outgoing = key.map((v, k) => outScale * (outA * (v - prev[k]!) + outB * (next[k]! - v)));
  return { incoming, outgoing };
}

function mirror(about: readonly number[], other: readonly number[]): number[] {
  return about.map((v, k) => 2 * v - other[k]!);
}

/**
 * The KB segment from key a (u = 0) to key b (u = 1). prev and next are the keys before a and
 * after b, or null at the ends of the list (a mirrored phantom key is used). The tension,
 * continuity and bias of a shape its outgoing tangent, those of b its incoming one.
 */
export function kbSegment(prev: KbKey | null, a: KbKey, b: KbKey, next: KbKey | null, u: number): number[] {
  const interval = b.timeS - a.timeS;
  const prevValue = prev ? prev.value : mirror(a.value, b.value);
  const before = prev ? a.timeS - prev.timeS : interval;
  const nextValue = next ? next.value : mirror(b.value, a.value);
  const after = next ? next.timeS - b.timeS : interval;
  const m0 = kbTangents(prevValue, a.value, b.value, before, interval, a).outgoing;
  const m1 = kbTangents(a.value, b.value, nextValue, interval, after, b).incoming;
  return hermite(a.value, b.value, m0, m1, u);
}

/**
 * The spline through keys (sorted by time, strictly increasing) at timeS; before the first key
 * its value, after the last the last's.
 */
export function kbAt(keys: readonly KbKey[], timeS: number): number[] {
  if (keys.length === 0) throw new RangeError('kbAt needs at least one key');
  const first = keys[0]!;
  const last = keys[keys.length - 1]!;
  if (timeS <= first.timeS) return [...first.value];
  if (timeS >= last.timeS) return [...last.value];
  let i = 0;
  while (keys[i + 1]!.timeS <= timeS) i++;
  const a = keys[i]!;
  const b = keys[i + 1]!;
  return kbSegment(keys[i - 1] ?? null, a, b, keys[i + 2] ?? null, (timeS - a.timeS) / (b.timeS - a.timeS));
}
