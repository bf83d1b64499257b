/**
 * The slow twin of src/shared/audio/logmel.ts: per-sample reflect, an O(n^2) direct DFT with its
 * angle reduced exactly ((j * k) mod n, so no large-argument cos / sin), and the dense filterbank.
 * Returns float64 so tests can compare before the float32 cast. Twin: slow_logmel in
 * training/splatportrait/audio/logmel.py.
 */
import { frameCount, hannPeriodic, reflectIndex } from '../../../src/shared/audio/logmel.ts';
import { melFilterbank } from '../../../src/shared/audio/mel-filters.ts';
import { fftBins, type LogMelSpec } from '../../../src/shared/audio/spec.ts';

/** One-sided direct DFT of a real sequence: [n / 2 + 1] re, im. */
export function directDft(x: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const bins = Math.floor(n / 2) + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (2 * Math.PI * ((j * k) % n)) / n;
      sr += (x[j] as number) * Math.cos(a);
      si -= (x[j] as number) * Math.sin(a);
    }
    re[k] = sr;
    im[k] = si;
  }
  return { re, im };
}

/** [T * nMels] float64, same layout as LogMelFeatures.data. */
export function slowLogMel(samples: Float32Array | Float64Array, spec: LogMelSpec): Float64Array {
  const n = samples.length;
  const frames = frameCount(n, spec);
  const bins = fftBins(spec);
  const w = hannPeriodic(spec.winLength);
  const fb = melFilterbank(spec);
  const out = new Float64Array(frames * spec.nMels);
  for (let k = 0; k < frames; k++) {
    const buf = new Float64Array(spec.nFft);
    for (let j = 0; j < spec.winLength; j++) {
      buf[spec.windowOffset + j] = (samples[reflectIndex(k * spec.hopLength - spec.winLength / 2 + j, n)] as number) * (w[j] as number);
    }
    const { re, im } = directDft(buf);
    for (let m = 0; m < spec.nMels; m++) {
      let acc = 0;
      for (let b = 0; b < bins; b++) acc += (fb[m * bins + b] as number) * ((re[b] as number) ** 2 + (im[b] as number) ** 2);
      out[k * spec.nMels + m] = (Math.log(Math.max(acc, spec.logFloor)) - spec.normMean) / spec.normStd;
    }
  }
  return out;
}
