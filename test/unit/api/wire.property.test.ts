/**
 * Property-style round trip of the binary framing: seeded random nested messages (objects,
 * arrays, unicode strings, numbers, byte arrays of 0..64 bytes) decode to what was encoded.
 */
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../../src/shared/api/wire.ts';
import { seededPrng, type Prng } from '../../helpers/prng.ts';

const KEY_CHARS = ['a', 'b', 'name', 'é', '日', '🎧', '_', 'x1', 'length', 'bin'];
const STRING_PIECES = ['', 'a', ' ', 'Zoë', '日本', '🎙️', '"', '\\', '\n', '\u0001', '$bin'];

function randomValue(rng: Prng, depth: number, counter: { bytes: number }): unknown {
  const leaves = ['string', 'number', 'bool', 'null', 'bytes'];
  // The root is always a container, so most messages hold several values.
  const kinds = depth === 0 ? ['array', 'object'] : depth >= 4 ? leaves : [...leaves, 'array', 'object'];
  switch (rng.pick(kinds)) {
    case 'string':
      return Array.from({ length: rng.int(0, 5) }, () => rng.pick(STRING_PIECES)).join('');
    case 'number':
      // Integers and finite doubles: JSON carries both exactly (no NaN or Infinity in JSON).
      return rng.next() < 0.5 ? rng.int(-1e9, 1e9) : (rng.next() - 0.5) * 1e6;
    case 'bool':
      return rng.next() < 0.5;
    case 'null':
      return null;
    case 'bytes':
      counter.bytes++;
      return rng.bytes(rng.int(0, 64));
    case 'array':
      return Array.from({ length: rng.int(0, 5) }, () => randomValue(rng, depth + 1, counter));
    default: {
      const out: Record<string, unknown> = {};
      const keys = rng.int(0, 5);
      for (let i = 0; i < keys; i++) out[`${rng.pick(KEY_CHARS)}${i}`] = randomValue(rng, depth + 1, counter);
      return out;
    }
  }
}

describe('wire framing, seeded random messages', () => {
  it('decodes 500 random nested messages to what was encoded', () => {
    let totalAttachments = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const rng = seededPrng(seed);
      const counter = { bytes: 0 };
      const payload = randomValue(rng, 0, counter);
      const message = { type: 'event' as const, event: `seed-${seed}`, payload };
      const decoded = decodeFrame(encodeFrame(message));
      // toStrictEqual also checks that each attachment came back as a Uint8Array.
      expect(decoded, `seed ${seed}`).toStrictEqual(message);
      totalAttachments += counter.bytes;
    }
    // Guards the generator: the property is only worth something if bytes were in the messages.
    expect(totalAttachments).toBeGreaterThan(500);
  });

  it('refuses every truncation and every one-byte extension of a random frame', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rng = seededPrng(seed);
      const payload = { bytes: rng.bytes(rng.int(1, 16)), more: [rng.bytes(rng.int(0, 8))] };
      const frame = encodeFrame({ type: 'event', event: 'e', payload });
      for (let cut = 0; cut < frame.byteLength; cut++) {
        expect(() => decodeFrame(frame.subarray(0, cut)), `seed ${seed} cut ${cut}`).toThrow();
      }
      const longer = new Uint8Array(frame.byteLength + 1);
      longer.set(frame);
      expect(() => decodeFrame(longer), `seed ${seed} extended`).toThrow(/trailing bytes/);
    }
  });
});
