/**
 * Splat buffers as one byte string: the avatar blob in the project file and the binary the API
 * sends the renderer. The five arrays of DESIGN.md's layout, concatenated in this order, each
 * little-endian float32: means [N*3], scales [N*3], quats [N*4], opacities [N], colors [N*3].
 * N follows from the length (14 floats per splat).
 */
import { SPLAT_COMPONENTS, type SplatBuffers } from './types.ts';

const ORDER = ['means', 'scales', 'quats', 'opacities', 'colors'] as const;
/** Floats per splat over all five arrays. */
export const FLOATS_PER_SPLAT = ORDER.reduce((sum, key) => sum + SPLAT_COMPONENTS[key], 0);

export function splatsToBytes(splats: SplatBuffers): Uint8Array {
  const n = splats.opacities.length;
  const out = new Float32Array(n * FLOATS_PER_SPLAT);
  let offset = 0;
  for (const key of ORDER) {
    const array = splats[key];
    if (array.length !== n * SPLAT_COMPONENTS[key]) throw new RangeError(`splatsToBytes: ${key} has ${array.length} floats, want ${n * SPLAT_COMPONENTS[key]}`);
    out.set(array, offset);
    offset += array.length;
  }
  return new Uint8Array(out.buffer);
}

export function splatsFromBytes(bytes: Uint8Array): SplatBuffers {
  if (bytes.byteLength % (FLOATS_PER_SPLAT * 4) !== 0) {
    throw new RangeError(`splatsFromBytes: ${bytes.byteLength} bytes is not a whole number of splats (${FLOATS_PER_SPLAT * 4} bytes each)`);
  }
  // Copy once so every array is aligned and owns its memory.
  const floats = new Float32Array(new Uint8Array(bytes).buffer);
  const n = floats.length / FLOATS_PER_SPLAT;
  let offset = 0;
  const take = (key: (typeof ORDER)[number]): Float32Array => {
    const length = n * SPLAT_COMPONENTS[key];
    const view = floats.subarray(offset, offset + length);
    offset += length;
    return view;
  };
  return { means: take('means'), scales: take('scales'), quats: take('quats'), opacities: take('opacities'), colors: take('colors') };
}
