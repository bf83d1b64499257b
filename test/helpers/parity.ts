/**
 * The parity vectors a model pack records at export (parity.json + parity.bin, written by
 * training/splatportrait/export.py), and the closeness measure their tests use.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GraphName } from '../../src/main/engine/models/model-pack.ts';

export const MODELS_DIR = resolve(import.meta.dirname, '../../resources/models');

export interface TensorRef {
  shape: number[];
  offset: number;
  length: number;
}
export interface Parity {
  bin: string;
  tolerance: { atol: number; rtol: number };
  models: Record<GraphName, { inputs: Record<string, TensorRef>; outputs: Record<string, TensorRef> }>;
}

/** Names of the shipped packs that have `file` (e.g. model.json or parity.json). */
export function shippedPackNames(file: string): string[] {
  return existsSync(MODELS_DIR) ? readdirSync(MODELS_DIR).filter((d) => existsSync(join(MODELS_DIR, d, file))) : [];
}

export function readParity(dir: string): { parity: Parity; tensor: (ref: TensorRef) => Float32Array } {
  const parity = JSON.parse(readFileSync(join(dir, 'parity.json'), 'utf8')) as Parity;
  const bin = readFileSync(join(dir, parity.bin));
  // Copy: a slice of the file may not sit on a 4-byte boundary.
  const tensor = (ref: TensorRef): Float32Array => new Float32Array(new Uint8Array(bin.subarray(ref.offset, ref.offset + ref.length * 4)).buffer);
  return { parity, tensor };
}

/** Largest |got - want| - (atol + rtol |want|) over the elements: <= 0 means within tolerance. */
export function maxExcess(got: ArrayLike<number>, want: ArrayLike<number>, tol: { atol: number; rtol: number }): number {
  let worst = -Infinity;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)) - (tol.atol + tol.rtol * Math.abs(want[i] as number)));
  }
  return worst;
}
