/**
 * Mel filterbank of logmel-v1: Slaney mel scale (linear below 1 kHz, logarithmic above) and
 * Slaney area normalisation, the filters librosa.filters.mel builds with htk=False, norm='slaney'.
 * Twin: hz_to_mel / mel_to_hz / mel_filterbank in training/splatportrait/audio/logmel.py; the
 * golden files carry Python's filterbank at full precision and test/unit/audio/golden.test.ts
 * checks this one against it to 1e-9 (and test/python/audio the other way round).
 */
import { fftBins, type LogMelSpec } from './spec.ts';

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP; // 15
const LOGSTEP = Math.log(6.4) / 27;

/** Hz -> Slaney mel. Twin: hz_to_mel in logmel.py. */
export function hzToMel(f: number): number {
  return f < MIN_LOG_HZ ? f / F_SP : MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOGSTEP;
}

/** Slaney mel -> Hz. Twin: mel_to_hz in logmel.py. */
export function melToHz(m: number): number {
  return m < MIN_LOG_MEL ? F_SP * m : MIN_LOG_HZ * Math.exp(LOGSTEP * (m - MIN_LOG_MEL));
}

/** Dense filterbank, row-major [nMels, nFft / 2 + 1] float64. Twin: mel_filterbank in logmel.py. */
export function melFilterbank(spec: LogMelSpec): Float64Array {
  const bins = fftBins(spec);
  const lo = hzToMel(spec.fmin);
  const hi = hzToMel(spec.fmax);
  // Same arithmetic, same order as the Python twin.
  const edges = Array.from({ length: spec.nMels + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (spec.nMels + 1)));
  const fb = new Float64Array(spec.nMels * bins);
  for (let m = 0; m < spec.nMels; m++) {
    const e0 = edges[m] as number;
    const e1 = edges[m + 1] as number;
    const e2 = edges[m + 2] as number;
    const enorm = 2 / (e2 - e0);
    for (let k = 0; k < bins; k++) {
      const f = (k * spec.sampleRate) / spec.nFft;
      const w = Math.max(0, Math.min((f - e0) / (e1 - e0), (e2 - f) / (e2 - e1)));
      fb[m * bins + k] = w * enorm;
    }
  }
  return fb;
}

/** A filterbank row kept as its non-zero span: weights for bins start .. start + weights.length - 1. */
export interface SparseFilter {
  readonly start: number;
  readonly weights: Float64Array;
}

/** The dense filterbank's rows without their zero tails (each filter spans a few bins). */
export function sparseFilters(dense: Float64Array, nMels: number, bins: number): SparseFilter[] {
  const out: SparseFilter[] = [];
  for (let m = 0; m < nMels; m++) {
    const row = dense.subarray(m * bins, (m + 1) * bins);
    let a = 0;
    while (a < bins && row[a] === 0) a++;
    let b = bins;
    while (b > a && row[b - 1] === 0) b--;
    out.push({ start: a, weights: row.slice(a, b) });
  }
  return out;
}
