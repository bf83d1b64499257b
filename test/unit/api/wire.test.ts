/** The WebSocket binary framing: u32 header length | UTF-8 JSON header | attachments. */
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, type ClientMessage, type ServerMessage } from '../../../src/shared/api/wire.ts';

/** Builds a frame by hand, so malformed ones can be made. */
function rawFrame(header: string | Uint8Array, ...attachments: Uint8Array[]): Uint8Array {
  const head = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const size = 4 + head.byteLength + attachments.reduce((n, a) => n + a.byteLength, 0);
  const frame = new Uint8Array(size);
  new DataView(frame.buffer).setUint32(0, head.byteLength, true);
  frame.set(head, 4);
  let offset = 4 + head.byteLength;
  for (const a of attachments) {
    frame.set(a, offset);
    offset += a.byteLength;
  }
  return frame;
}

function headerOf(frame: Uint8Array): unknown {
  const length = new DataView(frame.buffer, frame.byteOffset).getUint32(0, true);
  return JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + length)));
}

describe('encodeFrame / decodeFrame round trip', () => {
  it('carries a message without bytes as its JSON alone', () => {
    const message: ClientMessage = { type: 'request', id: 7, method: 'app.info', input: {} };
    const frame = encodeFrame(message);
    const headerLength = new DataView(frame.buffer).getUint32(0, true);
    expect(frame.byteLength).toBe(4 + headerLength);
    expect(headerOf(frame)).toEqual(message);
    expect(decodeFrame(frame)).toEqual(message);
  });

  it('moves nested Uint8Arrays, zero-length ones included, into attachments in order', () => {
    const a = Uint8Array.of(1, 2, 3);
    const empty = new Uint8Array(0);
    const b = Uint8Array.of(250, 251);
    const message: ServerMessage = {
      type: 'reply',
      id: 3,
      ok: true,
      result: { thumb: { mime: 'image/webp', bytes: a }, list: [empty, { deep: [b] }], n: null },
    };
    const frame = encodeFrame(message);
    expect(headerOf(frame)).toEqual({
      type: 'reply',
      id: 3,
      ok: true,
      result: {
        thumb: { mime: 'image/webp', bytes: { $bin: 0, length: 3 } },
        list: [{ $bin: 1, length: 0 }, { deep: [{ $bin: 2, length: 2 }] }],
        n: null,
      },
    });
    // Attachments follow the header back to back: 3 + 0 + 2 bytes.
    expect([...frame.subarray(frame.byteLength - 5)]).toEqual([1, 2, 3, 250, 251]);
    const decoded = decodeFrame(frame) as { result: { thumb: { bytes: Uint8Array }; list: [Uint8Array, { deep: [Uint8Array] }] } };
    expect(decoded).toEqual(message);
    expect(decoded.result.thumb.bytes).toBeInstanceOf(Uint8Array);
    expect(decoded.result.list[0]).toBeInstanceOf(Uint8Array);
    expect(decoded.result.list[0].byteLength).toBe(0);
  });

  it('keeps a message with many attachments in its own order', () => {
    const parts = Array.from({ length: 300 }, (_, i) => Uint8Array.from({ length: i % 7 }, (_, j) => (i + j) & 0xff));
    const message: ClientMessage = { type: 'request', id: 1, method: 'x', input: { parts } };
    const decoded = decodeFrame(encodeFrame(message)) as { input: { parts: Uint8Array[] } };
    expect(decoded.input.parts).toHaveLength(300);
    decoded.input.parts.forEach((part, i) => expect([...part]).toEqual([...(parts[i] as Uint8Array)]));
  });

  it('round-trips unicode JSON (accents, CJK, emoji, escapes)', () => {
    const name = 'Portrait — Zoë 日本語 🎙️ "quoted" \\ tab\t';
    const message: ClientMessage = { type: 'request', id: 2, method: 'project.create', input: { name } };
    expect(decodeFrame(encodeFrame(message))).toEqual(message);
  });

  it('encodes the bytes a subarray view covers, not its whole buffer', () => {
    const backing = Uint8Array.of(9, 9, 1, 2, 3, 9);
    const view = backing.subarray(2, 5);
    const decoded = decodeFrame(encodeFrame({ type: 'event', event: 'e', payload: view })) as { payload: Uint8Array };
    expect([...decoded.payload]).toEqual([1, 2, 3]);
  });

  it('decodes attachments as views into the frame, not copies', () => {
    const frame = encodeFrame({ type: 'event', event: 'e', payload: { a: Uint8Array.of(5, 6), b: Uint8Array.of(7) } });
    const decoded = decodeFrame(frame) as { payload: { a: Uint8Array; b: Uint8Array } };
    expect(decoded.payload.a.buffer).toBe(frame.buffer);
    expect(decoded.payload.b.buffer).toBe(frame.buffer);
    expect(decoded.payload.a.byteOffset).toBe(frame.byteLength - 3);
    frame[frame.byteLength - 1] = 42;
    expect(decoded.payload.b[0]).toBe(42);
  });

  it('decodes a frame that is itself a view at an offset into a larger buffer', () => {
    const inner = encodeFrame({ type: 'event', event: 'e', payload: Uint8Array.of(1, 2) });
    const outer = new Uint8Array(inner.byteLength + 13);
    outer.set(inner, 5);
    const view = outer.subarray(5, 5 + inner.byteLength);
    const decoded = decodeFrame(view) as { payload: Uint8Array };
    expect([...decoded.payload]).toEqual([1, 2]);
    expect(decoded.payload.buffer).toBe(outer.buffer);
  });

  it('accepts references listed in another order than the layout, since each names its index', () => {
    const frame = rawFrame('{"b":{"$bin":1,"length":1},"a":{"$bin":0,"length":2}}', Uint8Array.of(1, 2), Uint8Array.of(3));
    const decoded = decodeFrame(frame) as { a: Uint8Array; b: Uint8Array };
    expect([...decoded.a]).toEqual([1, 2]);
    expect([...decoded.b]).toEqual([3]);
  });
});

describe('decodeFrame refuses malformed frames', () => {
  it.each([0, 1, 3])('a frame of %i bytes', (n) => {
    expect(() => decodeFrame(new Uint8Array(n))).toThrow(/shorter than its header length/);
  });

  it('a header length past the end', () => {
    const frame = rawFrame('{}');
    new DataView(frame.buffer).setUint32(0, 3, true);
    expect(() => decodeFrame(frame)).toThrow(/header runs past the end/);
    new DataView(frame.buffer).setUint32(0, 0xffffffff, true);
    expect(() => decodeFrame(frame)).toThrow(/header runs past the end/);
  });

  it('an attachment running past the end', () => {
    expect(() => decodeFrame(rawFrame('{"x":{"$bin":0,"length":4}}', Uint8Array.of(1, 2)))).toThrow(/attachment runs past the end/);
  });

  it('a reference whose length disagrees with the bytes it gets', () => {
    // Lengths 1.5 + 0.5 add up to the 2 bytes present, but no attachment can have 1.5 bytes.
    const frame = rawFrame('[{"$bin":0,"length":1.5},{"$bin":1,"length":0.5}]', Uint8Array.of(1, 2));
    expect(() => decodeFrame(frame)).toThrow(/bad attachment reference/);
    const negative = rawFrame('[{"$bin":0,"length":-1},{"$bin":1,"length":1}]');
    expect(() => decodeFrame(negative)).toThrow(/Malformed frame/);
  });

  it('trailing bytes after the last attachment', () => {
    expect(() => decodeFrame(rawFrame('{"x":1}', Uint8Array.of(0)))).toThrow(/trailing bytes/);
    expect(() => decodeFrame(rawFrame('{"x":{"$bin":0,"length":1}}', Uint8Array.of(1, 2)))).toThrow(/trailing bytes/);
  });

  it('references with a gap, a duplicate, a negative or a fractional index', () => {
    const two = [Uint8Array.of(1), Uint8Array.of(2)];
    expect(() => decodeFrame(rawFrame('[{"$bin":0,"length":1},{"$bin":2,"length":1}]', ...two))).toThrow(/out of order/);
    expect(() => decodeFrame(rawFrame('[{"$bin":0,"length":1},{"$bin":0,"length":1}]', ...two))).toThrow(/out of order/);
    expect(() => decodeFrame(rawFrame('[{"$bin":1,"length":1}]', Uint8Array.of(1)))).toThrow(/out of order/);
    expect(() => decodeFrame(rawFrame('[{"$bin":-1,"length":1}]', Uint8Array.of(1)))).toThrow(/out of order/);
    expect(() => decodeFrame(rawFrame('[{"$bin":0.5,"length":1}]', Uint8Array.of(1)))).toThrow(/out of order/);
  });

  it('a header that is not valid UTF-8', () => {
    // 0xC3 starts a two-byte sequence; 0x28 cannot continue it.
    const header = Uint8Array.of(0x22, 0xc3, 0x28, 0x22);
    expect(() => decodeFrame(rawFrame(header))).toThrow(TypeError);
  });

  it('a header that is not JSON', () => {
    expect(() => decodeFrame(rawFrame('{"type":'))).toThrow(SyntaxError);
    expect(() => decodeFrame(rawFrame(''))).toThrow(SyntaxError);
  });
});
