/**
 * The 3DGS PLY: export/import round trip, hand-written ascii files, other property orders and
 * types, extra properties and elements, and every refusal with its message.
 */
import { describe, expect, it } from 'vitest';
import { LOGIT_LIMIT, PlyError, SH_C0, readSplatPly, writeSplatPly } from '../../../src/shared/splats/ply.ts';
import { allocateSplats, type SplatBuffers } from '../../../src/shared/splats/types.ts';
import { seededPrng } from '../../helpers/prng.ts';

function randomSplats(count: number, seed: number): SplatBuffers {
  const rng = seededPrng(seed);
  const splats = allocateSplats(count);
  for (let i = 0; i < count; i++) {
    splats.means.set([rng.next() * 2 - 1, rng.next() * 2 - 1, rng.next() * 4], 3 * i);
    splats.scales.set([0, 1, 2].map(() => Math.exp(-7 + 6 * rng.next())), 3 * i);
    const q = [0, 1, 2, 3].map(() => rng.next() * 2 - 1);
    const n = Math.hypot(...q);
    splats.quats.set(q.map((v) => v / n), 4 * i);
    splats.opacities[i] = 0.001 + 0.998 * rng.next();
    splats.colors.set([rng.next(), rng.next(), rng.next()], 3 * i);
  }
  return splats;
}

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A little-endian binary PLY with the given header property lines and rows of float values. */
function binaryPly(properties: Array<[type: string, name: string]>, rows: number[][], extraHeader = ''): Uint8Array {
  const header = `ply\nformat binary_little_endian 1.0\n${extraHeader}element vertex ${rows.length}\n${properties.map(([t, n]) => `property ${t} ${n}\n`).join('')}end_header\n`;
  const sizes: Record<string, number> = { float: 4, double: 8, uchar: 1, short: 2, int: 4 };
  const rowBytes = properties.reduce((sum, [t]) => sum + sizes[t]!, 0);
  const out = new Uint8Array(header.length + rows.length * rowBytes);
  out.set(encode(header));
  const view = new DataView(out.buffer);
  let offset = header.length;
  for (const row of rows) {
    properties.forEach(([type], k) => {
      const v = row[k]!;
      if (type === 'float') view.setFloat32(offset, v, true);
      else if (type === 'double') view.setFloat64(offset, v, true);
      else if (type === 'uchar') view.setUint8(offset, v);
      else if (type === 'short') view.setInt16(offset, v, true);
      else view.setInt32(offset, v, true);
      offset += sizes[type]!;
    });
  }
  return out;
}

const STANDARD: Array<[string, string]> = ['x', 'y', 'z', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3'].map((n) => ['float', n]);

function expectPlyError(bytes: Uint8Array, message: RegExp): void {
  expect(() => readSplatPly(bytes)).toThrow(PlyError);
  expect(() => readSplatPly(bytes)).toThrow(message);
}

describe('3DGS PLY export and import', () => {
  it('round trips within float32 rounding of the log/logit conversions', () => {
    const splats = randomSplats(500, 7);
    const back = readSplatPly(writeSplatPly(splats));
    expect(back.means).toEqual(splats.means); // stored as is: bit for bit
    for (let k = 0; k < 500 * 4; k++) expect(Math.abs(back.quats[k]! - splats.quats[k]!)).toBeLessThanOrEqual(1.2e-7); // 1 ulp near 1
    for (let k = 0; k < 500 * 3; k++) {
      // f_dc float32 error (1.8 * 6e-8) * SH_C0 plus the colour's own rounding.
      expect(Math.abs(back.colors[k]! - splats.colors[k]!)).toBeLessThan(1e-7);
      // exp(log s) with log s in float32: relative error |log s| * 6e-8 <= 4.2e-7 for s >= e^-7.
      expect(Math.abs(back.scales[k]! / splats.scales[k]! - 1)).toBeLessThan(1e-6);
    }
    // sigmoid'(x) <= 1/4 times the logit's float32 rounding (|x| <= 7 here: < 2.1e-7 * 0.25).
    for (let i = 0; i < 500; i++) expect(Math.abs(back.opacities[i]! - splats.opacities[i]!)).toBeLessThan(1e-7);
  });

  it('writes the standard header: float properties in 3DGS order, zero normals', () => {
    const bytes = writeSplatPly(randomSplats(3, 1));
    const text = new TextDecoder().decode(bytes.subarray(0, 600));
    const header = text.slice(0, text.indexOf('end_header'));
    expect(header).toContain('format binary_little_endian 1.0\n');
    expect(header).toContain('element vertex 3\n');
    const props = [...header.matchAll(/property float (\w+)/g)].map((m) => m[1]);
    expect(props).toEqual(['x', 'y', 'z', 'nx', 'ny', 'nz', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3']);
    const body = new DataView(bytes.buffer, text.indexOf('end_header\n') + 'end_header\n'.length);
    expect([body.getFloat32(12, true), body.getFloat32(16, true), body.getFloat32(20, true)]).toEqual([0, 0, 0]);
    expect(bytes.length).toBe(text.indexOf('end_header\n') + 11 + 3 * 17 * 4);
  });

  it('stores opacities 0 and 1 and zero scales as finite numbers that come back as 0, 1 and ~0', () => {
    const splats = randomSplats(2, 3);
    splats.opacities.set([0, 1]);
    splats.scales.set([0, 0.5, 0], 0);
    const bytes = writeSplatPly(splats);
    const view = new DataView(bytes.buffer, bytes.length - 2 * 17 * 4);
    expect(view.getFloat32(9 * 4, true)).toBe(-LOGIT_LIMIT);
    expect(view.getFloat32(17 * 4 + 9 * 4, true)).toBe(LOGIT_LIMIT);
    const back = readSplatPly(bytes);
    expect(back.opacities[0]).toBeLessThan(1e-13);
    expect(back.opacities[1]).toBe(1);
    expect(back.scales[0]).toBeLessThan(1e-13);
    expect(back.scales[2]).toBeLessThan(1e-13);
  });

  it('reads a hand-written ascii PLY, with comments, CRLF and an unnormalised rotation', () => {
    const text = [
      'ply',
      'format ascii 1.0',
      'comment written by hand',
      'obj_info a test',
      'element vertex 2',
      'property float x',
      'property float y',
      'property float z',
      'property float nx',
      'property float ny',
      'property float nz',
      'property float f_dc_0',
      'property float f_dc_1',
      'property float f_dc_2',
      'property float opacity',
      'property float scale_0',
      'property float scale_1',
      'property float scale_2',
      'property float rot_0',
      'property float rot_1',
      'property float rot_2',
      'property float rot_3',
      'end_header',
      '0.5 -1 2   0 0 0   0 0.5 0.25 2 0 0 0 1 0 0 0',
      '1e-1 2 3.5 0 0 1 -1.7724538509055159 0 1.7724538509055159 -3 -1 -2 -3 2 0 0 0',
      '',
    ].join('\r\n');
    const splats = readSplatPly(encode(text));
    expect([...splats.means]).toEqual([0.5, -1, 2, Math.fround(0.1), 2, 3.5]);
    expect(splats.opacities[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 7);
    expect(splats.opacities[1]).toBeCloseTo(1 / (1 + Math.exp(3)), 7);
    expect(splats.colors[1]).toBeCloseTo(0.5 + SH_C0 * 0.5, 7);
    // f_dc = -sqrt(pi): 0.5 + SH_C0 * f_dc = 0 exactly; f_dc = +sqrt(pi) gives 1.
    expect(splats.colors[3]).toBeCloseTo(0, 7);
    expect(splats.colors[5]).toBeCloseTo(1, 7);
    expect(splats.scales[3]).toBeCloseTo(Math.exp(-1), 7);
    expect([...splats.quats.subarray(0, 4)]).toEqual([1, 0, 0, 0]);
    expect([...splats.quats.subarray(4, 8)]).toEqual([1, 0, 0, 0]); // (2, 0, 0, 0) normalised
  });

  it('reads other property orders and types, extra properties and other elements', () => {
    const properties: Array<[string, string]> = [
      ['double', 'rot_3'],
      ['float', 'opacity'],
      ['uchar', 'red'],
      ['double', 'z'],
      ['float', 'f_dc_2'],
      ['short', 'label'],
      ['float', 'scale_2'],
      ['float', 'x'],
      ['float', 'rot_0'],
      ['float', 'f_rest_0'],
      ['float', 'f_dc_1'],
      ['float', 'scale_1'],
      ['double', 'y'],
      ['float', 'rot_2'],
      ['float', 'f_dc_0'],
      ['int', 'id'],
      ['float', 'scale_0'],
      ['float', 'rot_1'],
    ];
    const row = (i: number): number[] => [0, 0.5 + i, 200, 3 + i, 1, -7, Math.log(0.03), i, 0, 9, 0, Math.log(0.02), 1 - 2 * i, 1, 0, 42, Math.log(0.01), 0];
    const bytes = binaryPly(properties, [row(0), row(1)], 'comment extra stuff\n');
    const splats = readSplatPly(bytes);
    expect([...splats.means]).toEqual([0, 1, 3, 1, -1, 4]);
    expect(splats.scales[0]).toBeCloseTo(0.01, 7);
    expect(splats.scales[1]).toBeCloseTo(0.02, 7);
    expect(splats.scales[2]).toBeCloseTo(0.03, 7);
    expect(splats.opacities[1]).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 7);
    expect(splats.colors[2]).toBeCloseTo(0.5 + SH_C0, 7);
    // rot (w=0, x=0, y=1, z=0): the quaternion keeps its w-first order.
    expect([...splats.quats.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
  });

  it('skips elements before and after the vertex element, list properties included', () => {
    const vertexRow = [1, 2, 3, 0, 0, 0, 0, -4, -4, -4, 1, 0, 0, 0];
    const header =
      'ply\nformat binary_little_endian 1.0\nelement camera 1\nproperty list uchar float params\n' +
      `element vertex 1\n${STANDARD.map(([t, n]) => `property ${t} ${n}\n`).join('')}element face 1\nproperty list uchar int vertex_indices\nend_header\n`;
    const out = new Uint8Array(header.length + 1 + 3 * 4 + 14 * 4 + 1 + 3 * 4);
    out.set(encode(header));
    const view = new DataView(out.buffer);
    let o = header.length;
    view.setUint8(o, 3);
    o += 1 + 12;
    for (const v of vertexRow) {
      view.setFloat32(o, v, true);
      o += 4;
    }
    view.setUint8(o, 3);
    const splats = readSplatPly(out);
    expect([...splats.means]).toEqual([1, 2, 3]);
  });

  describe('refusals', () => {
    it('not a PLY', () => {
      expectPlyError(encode('\x89PNG\r\n\x1a\nabc'), /not a PLY file/);
      expectPlyError(new Uint8Array(0), /not a PLY file/);
      expectPlyError(encode('ply\nformat ascii 1.0\nelement vertex 1\n'), /no "end_header"/);
    });

    it('binary big endian, unknown formats and keywords', () => {
      expectPlyError(encode('ply\nformat binary_big_endian 1.0\nend_header\n'), /binary_big_endian is not supported/);
      expectPlyError(encode('ply\nformat utf16 1.0\nend_header\n'), /unknown PLY format "utf16"/);
      expectPlyError(encode('ply\nformat ascii 2.0\nend_header\n'), /unsupported PLY version "2.0"/);
      expectPlyError(encode('ply\nelement vertex 0\nend_header\n'), /no format line/);
      expectPlyError(encode('ply\nformat ascii 1.0\nelement vertex 1\nproperty quad x\nend_header\n'), /unknown property type "quad"/);
      expectPlyError(encode('ply\nformat ascii 1.0\nvertices 3\nend_header\n'), /unknown keyword "vertices"/);
    });

    it('missing required properties, named', () => {
      const props = STANDARD.filter(([, n]) => n !== 'opacity' && n !== 'rot_2');
      expectPlyError(binaryPly(props, []), /lacks the splat properties opacity, rot_2/);
      expectPlyError(encode('ply\nformat ascii 1.0\nelement face 0\nproperty list uchar int vertex_indices\nend_header\n'), /no "vertex" element/);
    });

    it('list properties in the vertex element', () => {
      const header = `ply\nformat binary_little_endian 1.0\nelement vertex 1\n${STANDARD.map(([t, n]) => `property ${t} ${n}\n`).join('')}property list uchar float extra\nend_header\n`;
      expectPlyError(encode(header), /list properties \(extra\)/);
    });

    it('truncated data: vertex count against data length', () => {
      const full = binaryPly(STANDARD, [new Array(14).fill(0), new Array(14).fill(0)]);
      expect(() => readSplatPly(full)).not.toThrow();
      expectPlyError(full.subarray(0, full.length - 1), /truncated: the header declares 2 vertices of 56 bytes \(112 bytes\), the file has 111 bytes/);
      const ascii = `ply\nformat ascii 1.0\nelement vertex 3\n${STANDARD.map(([t, n]) => `property ${t} ${n}\n`).join('')}end_header\n${'0 '.repeat(14)}\n`;
      expectPlyError(encode(ascii), /declares 3 "vertex" rows, the file ends after 1/);
    });

    it('ascii rows with the wrong number of values or non-numbers', () => {
      const head = `ply\nformat ascii 1.0\nelement vertex 1\n${STANDARD.map(([t, n]) => `property ${t} ${n}\n`).join('')}end_header\n`;
      expectPlyError(encode(head + '0 0 0\n'), /row 1 has 3 values, the header declares 14/);
      expectPlyError(encode(head + '0 0 0 0 0 0 0 0 0 0 abc 0 0 0\n'), /"abc" is not a number \(property rot_0\)/);
    });
  });
});
