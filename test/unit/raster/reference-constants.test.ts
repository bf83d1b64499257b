/**
 * The reference's constants are twins of src/native-gpu/include/splat/params.h (STYLE.md 9): this
 * reads the header and checks every `constexpr` there has a twin of the same name and value in
 * test/reference/rasterize-reference.ts (as float32 where the header says float).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as reference from '../../reference/rasterize-reference.ts';

const HEADER = resolve(import.meta.dirname, '../../../src/native-gpu/include/splat/params.h');

interface HeaderConstant {
  type: 'int' | 'float';
  name: string;
  value: number;
}

/** A C++ literal expression of the header: numbers with an optional f suffix, joined by / or *. */
function evaluateLiteral(expression: string, type: 'int' | 'float'): number {
  const tokens = expression.trim().split(/\s*([*/])\s*/);
  const literal = (text: string): number => {
    if (!/^[0-9.]+(e[-+]?[0-9]+)?f?$/i.test(text)) throw new Error(`params.h: cannot read the literal "${text}"`);
    const value = Number(text.replace(/f$/i, ''));
    return type === 'float' ? Math.fround(value) : value;
  };
  let value = literal(tokens[0]!);
  for (let k = 1; k < tokens.length; k += 2) {
    const operand = literal(tokens[k + 1]!);
    value = tokens[k] === '/' ? value / operand : value * operand;
    if (type === 'float') value = Math.fround(value);
  }
  return value;
}

function headerConstants(): HeaderConstant[] {
  const text = readFileSync(HEADER, 'utf8');
  return [...text.matchAll(/constexpr\s+(int|float)\s+(\w+)\s*=\s*([^;]+);/g)].map((m) => ({
    type: m[1] as 'int' | 'float',
    name: m[2]!,
    value: evaluateLiteral(m[3]!, m[1] as 'int' | 'float'),
  }));
}

describe('reference constants and params.h', () => {
  it('reads the literals the header uses', () => {
    expect(evaluateLiteral('1.0f / 255.0f', 'float')).toBe(Math.fround(Math.fround(1) / Math.fround(255)));
    expect(evaluateLiteral('1e-4f', 'float')).toBe(Math.fround(1e-4));
    expect(evaluateLiteral('16', 'int')).toBe(16);
    expect(() => evaluateLiteral('ALPHA_MIN * 2', 'float')).toThrow(/ALPHA_MIN/);
  });

  it('every constant of the header has a twin of the same value', () => {
    const constants = headerConstants();
    expect(constants.map((c) => c.name)).toEqual(
      expect.arrayContaining(['TILE', 'LOW_PASS', 'SIGMA_EXTENT', 'ALPHA_MAX', 'ALPHA_MIN', 'T_MIN', 'JACOBIAN_CLAMP', 'DEPTH_ALPHA_EPS']),
    );
    const twins = reference as unknown as Record<string, unknown>;
    for (const { name, type, value } of constants) {
      const twin = twins[name];
      expect(typeof twin, `${name} has no twin in rasterize-reference.ts`).toBe('number');
      // The reference keeps the exact decimal (float64); the header's float is its rounding.
      expect(type === 'float' ? Math.fround(twin as number) : twin, name).toBe(value);
    }
  });
});
