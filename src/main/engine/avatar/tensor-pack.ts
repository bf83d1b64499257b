/**
 * A few named float32 tensors in one self-describing blob, so an avatar's decoder features (and
 * any other graph outputs a model pack names) are stored without a schema change per pack.
 *
 * Layout, little-endian: u32 header byte length H, then H bytes of UTF-8 JSON
 * `{ "tensors": [{ "name", "shape": [..], "offset" (bytes from the data start), "length" (floats) }] }`,
 * zero padding to a multiple of 4, then the float32 data of every tensor in order.
 */
import { ApiError } from '../../../shared/api/errors.ts';

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

interface Entry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export function encodeTensors(tensors: readonly NamedTensor[]): Uint8Array {
  let offset = 0;
  const entries: Entry[] = tensors.map((t) => {
    const length = t.shape.reduce((a, b) => a * b, 1);
    if (length !== t.data.length) throw new RangeError(`encodeTensors: ${t.name} has ${t.data.length} floats, shape ${t.shape.join('x')} needs ${length}`);
    const entry = { name: t.name, shape: t.shape, offset, length };
    offset += length * 4;
    return entry;
  });
  const header = new TextEncoder().encode(JSON.stringify({ tensors: entries }));
  const dataStart = align4(4 + header.length);
  const out = new Uint8Array(dataStart + offset);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  tensors.forEach((t, i) => out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), dataStart + (entries[i] as Entry).offset));
  return out;
}

export function decodeTensors(bytes: Uint8Array): NamedTensor[] {
  const corrupt = (why: string) => new ApiError('PROJECT_CORRUPT', `Stored avatar tensors are damaged (${why}). Regenerate the avatar.`);
  if (bytes.byteLength < 4) throw corrupt('too short');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) throw corrupt('header runs past the end');
  let entries: Entry[];
  try {
    entries = (JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as { tensors: Entry[] }).tensors;
  } catch {
    throw corrupt('unreadable header');
  }
  const dataStart = align4(4 + headerLength);
  return entries.map((e) => {
    const start = dataStart + e.offset;
    if (start + e.length * 4 > bytes.byteLength) throw corrupt(`${e.name} runs past the end`);
    // Copy: the source may not sit on a 4-byte boundary.
    const data = new Float32Array(new Uint8Array(bytes.subarray(start, start + e.length * 4)).buffer);
    return { name: e.name, shape: e.shape, data };
  });
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
