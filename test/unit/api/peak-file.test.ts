/** Fine peaks (src/main/media/fine-peaks.ts) and their cache file (peak-cache.ts), against slow references. */
import { describe, expect, it } from 'vitest';
import { FinePeakBuilder, peakByte, SAMPLES_PER_PEAK, slicePeaks } from '../../../src/main/media/fine-peaks.ts';
import { decodePeakFile, encodePeakFile, PEAK_HEADER_BYTES } from '../../../src/main/media/peak-cache.ts';

function noise(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[i] = (s / 2 ** 31) * 2.2 - 1.1; // a little past full scale: clipped to 255
  }
  return out;
}

describe('FinePeakBuilder', () => {
  it('equals max |x| per 32 samples whatever the chunking, with a short last block', () => {
    const samples = noise(32 * 50 + 7);
    const reference = Array.from({ length: 51 }, (_, j) => peakByte(Math.max(...Array.from(samples.subarray(j * 32, (j + 1) * 32), Math.abs))));
    for (const chunk of [1, 31, 32, 33, 1000, samples.length]) {
      const builder = new FinePeakBuilder(10); // a low size hint: the buffer grows
      for (let i = 0; i < samples.length; i += chunk) builder.push(samples.subarray(i, i + chunk));
      expect([...builder.finish()], `chunks of ${chunk}`).toEqual(reference);
      expect(builder.samples).toBe(samples.length);
    }
  });
});

describe('slicePeaks', () => {
  const fine = Uint8Array.from({ length: 100 }, (_, i) => (i * 37) % 256);
  it('a slice is the max of the fine peaks it overlaps; finer slices repeat; past the end is 0', () => {
    expect([...slicePeaks(fine, 0, 0.2, 1)]).toEqual([Math.max(...fine)]);
    expect([...slicePeaks(fine, 0.002, 0.006, 2)]).toEqual([fine[1], fine[2]]);
    expect([...slicePeaks(fine, 0.002, 0.003, 4)]).toEqual([fine[1], fine[1], fine[1], fine[1]]);
    expect([...slicePeaks(fine, 0.003, 0.007, 2)]).toEqual([Math.max(fine[1]!, fine[2]!), Math.max(fine[2]!, fine[3]!)]);
    expect([...slicePeaks(fine, 0.198, 0.206, 4)]).toEqual([fine[99], 0, 0, 0]);
    expect(() => slicePeaks(fine, 1, 1, 4)).toThrow(RangeError);
  });
});

describe('peak cache file', () => {
  it('round-trips, and refuses every damaged form', () => {
    const peaks = Uint8Array.from({ length: 40 }, (_, i) => i * 5);
    const file = encodePeakFile(peaks, 40 * SAMPLES_PER_PEAK - 3);
    expect(file.length).toBe(PEAK_HEADER_BYTES + 40);
    expect(decodePeakFile(file)).toEqual(peaks);
    expect(decodePeakFile(file.subarray(0, file.length - 1))).toBeNull(); // truncated
    expect(decodePeakFile(file.subarray(0, 10))).toBeNull();
    const flipped = file.slice();
    flipped[PEAK_HEADER_BYTES + 3] = flipped[PEAK_HEADER_BYTES + 3]! ^ 1; // checksum
    expect(decodePeakFile(flipped)).toBeNull();
    const magic = file.slice();
    magic[0] = 0;
    expect(decodePeakFile(magic)).toBeNull();
    const version = file.slice();
    new DataView(version.buffer).setUint32(4, 2, true);
    expect(decodePeakFile(version)).toBeNull();
  });
});
