/**
 * The golden test signals, TypeScript side. Twin: signals() in
 * training/splatportrait/audio/make_golden.py, which documents the recipes. The samples are stored
 * in the golden files, so the generators need not agree bit for bit (sin may differ by an ulp).
 */
import { seededPrng } from '../../helpers/prng.ts';

const SR = 16000;
const SECONDS = 0.5;

function quantise(x: ArrayLike<number>): Int16Array {
  return Int16Array.from({ length: x.length }, (_, i) => Math.min(32767, Math.max(-32768, Math.floor((x[i] as number) * 32767 + 0.5))));
}

export function goldenSignals(): Record<string, Int16Array> {
  const n = SR * SECONDS;
  const t = Float64Array.from({ length: n }, (_, i) => i / SR);
  const chirp = t.map((s) => 0.5 * Math.sin(2 * Math.PI * (100 * s + ((4000 - 100) * s * s) / (2 * SECONDS))));
  const tone = t.map((s) => (s < 0.25 ? 0.3 * Math.sin(2 * Math.PI * 440 * s) : 0));
  const rnd = seededPrng(1234);
  const noise = Float64Array.from({ length: n }, () => 0.25 * (2 * rnd.next() - 1));
  return {
    chirp: quantise(chirp),
    tone: quantise(tone),
    noise: quantise(noise),
    short: quantise(noise.subarray(0, 300)),
    one: quantise([0.5]),
  };
}
