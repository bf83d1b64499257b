/**
 * Messages of the WebSocket transport, and their binary framing.
 *
 * Frame layout (little-endian):
 *   u32 headerLength | header: UTF-8 JSON | attachment 0 | attachment 1 | ...
 * Every Uint8Array in a message is moved out of the JSON into an attachment and replaced by
 * `{ "$bin": index, "length": n }`, so audio and images cross without base64.
 */
import type { ApiErrorData } from './errors.ts';

export type ClientMessage =
  | { type: 'request'; id: number; method: string; input: unknown }
  | { type: 'cancel'; id: number };

export type ServerMessage =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: ApiErrorData }
  | { type: 'event'; event: string; payload: unknown };

interface BinaryRef {
  $bin: number;
  length: number;
}

function isBinaryRef(value: unknown): value is BinaryRef {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.$bin === 'number' && typeof v.length === 'number' && Object.keys(v).length === 2;
}

function extract(value: unknown, attachments: Uint8Array[]): unknown {
  if (value instanceof Uint8Array) {
    attachments.push(value);
    return { $bin: attachments.length - 1, length: value.byteLength } satisfies BinaryRef;
  }
  if (Array.isArray(value)) return value.map((v) => extract(v, attachments));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = extract(v, attachments);
    return out;
  }
  return value;
}

function restore(value: unknown, attachments: Uint8Array[]): unknown {
  if (isBinaryRef(value)) {
    const bytes = attachments[value.$bin];
    if (bytes === undefined || bytes.byteLength !== value.length) throw new Error('Malformed frame: bad attachment reference');
    return bytes;
  }
  if (Array.isArray(value)) return value.map((v) => restore(v, attachments));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = restore(v, attachments);
    return out;
  }
  return value;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeFrame(message: ClientMessage | ServerMessage): Uint8Array {
  const attachments: Uint8Array[] = [];
  const header = encoder.encode(JSON.stringify(extract(message, attachments)));
  const total = 4 + header.byteLength + attachments.reduce((n, a) => n + a.byteLength, 0);
  const frame = new Uint8Array(total);
  new DataView(frame.buffer).setUint32(0, header.byteLength, true);
  frame.set(header, 4);
  let offset = 4 + header.byteLength;
  for (const a of attachments) {
    frame.set(a, offset);
    offset += a.byteLength;
  }
  return frame;
}

/** Decodes a frame; throws on anything malformed. Attachments are views into `frame` (no copy). */
export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new Error('Malformed frame: shorter than its header length');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > frame.byteLength) throw new Error('Malformed frame: header runs past the end');
  const header: unknown = JSON.parse(decoder.decode(frame.subarray(4, 4 + headerLength)));
  const refs: BinaryRef[] = [];
  collectRefs(header, refs);
  refs.sort((a, b) => a.$bin - b.$bin);
  const attachments: Uint8Array[] = [];
  let offset = 4 + headerLength;
  for (const [i, ref] of refs.entries()) {
    if (ref.$bin !== i) throw new Error('Malformed frame: attachments out of order');
    if (offset + ref.length > frame.byteLength) throw new Error('Malformed frame: attachment runs past the end');
    attachments.push(frame.subarray(offset, offset + ref.length));
    offset += ref.length;
  }
  if (offset !== frame.byteLength) throw new Error('Malformed frame: trailing bytes');
  return restore(header, attachments);
}

function collectRefs(value: unknown, refs: BinaryRef[]): void {
  if (isBinaryRef(value)) refs.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectRefs(v, refs));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((v) => collectRefs(v, refs));
}
