/**
 * Import and export of the standard 3D Gaussian Splatting PLY (the layout of Kerbl et al.'s
 * reference code, read by SuperSplat, Spark, gsplat and most viewers), as SplatBuffers.
 *
 * One `vertex` element, one row per splat, properties (float32 unless noted):
 *   x y z                 position, world
 *   nx ny nz              normals: unused by splats; exported as 0, ignored on import
 *   f_dc_0 f_dc_1 f_dc_2  degree-0 spherical harmonics: color = 0.5 + SH_C0 * f_dc
 *   f_rest_0 ...          higher SH bands: none exported; ignored on import (view-dependent
 *                         colour is not in SplatBuffers)
 *   opacity               logit: opacity = sigmoid(value)
 *   scale_0 scale_1 scale_2   natural log: scale = exp(value)
 *   rot_0 rot_1 rot_2 rot_3   quaternion w, x, y, z (normalised on import)
 *
 * Export writes binary_little_endian in that order. Import reads binary_little_endian and ascii,
 * in any property order, with any of the PLY scalar types and extra properties (skipped), and
 * other elements before or after `vertex` (skipped). Refusals throw PlyError naming the problem.
 *
 * Precision: positions, f_dc, logits, log-scales and rotations are float32 in the file, so a round
 * trip keeps positions bit for bit and unit quaternions within 1 float32 ulp (the import
 * renormalises), and the rest to float32 rounding through the conversions: color within 1e-7,
 * opacity within 1e-7, scale within 1e-6 relative (the log/logit and exp/sigmoid run in float64,
 * the file holds their float32 rounding, whose error exp amplifies by |log scale|). Opacities of exactly 0 or 1 and scales of 0 are
 * stored as logit +-LOGIT_LIMIT and log LOG_SCALE_MIN (finite numbers other tools can read) and
 * come back within 1e-13 of 0 and as 1 exactly.
 */
import { PlyError, TYPE_SIZES, parsePlyHeader, readScalar, type PlyElement, type PlyHeader, type PlyProperty } from './ply-header.ts';
import { allocateSplats, splatCount, type SplatBuffers } from './types.ts';

export { PlyError } from './ply-header.ts';

/** Degree-0 real spherical harmonic, 1 / (2 sqrt(pi)) (3DGS utils/sh_utils.py). */
export const SH_C0 = 0.28209479177387814;
/** Largest |logit| written for opacities of exactly 0 or 1: sigmoid(-30) < 1e-13. */
export const LOGIT_LIMIT = 30;
/** Smallest log-scale written for scales of 0: exp(-30) < 1e-13. */
export const LOG_SCALE_MIN = -30;

/** The vertex properties a splat needs, in the order they are exported (normals go after xyz). */
export const REQUIRED_PROPERTIES = ['x', 'y', 'z', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3'] as const;
const EXPORTED_PROPERTIES = ['x', 'y', 'z', 'nx', 'ny', 'nz', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3'] as const;

type Required = (typeof REQUIRED_PROPERTIES)[number];

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function logit(p: number): number {
  if (p <= 0) return -LOGIT_LIMIT;
  if (p >= 1) return LOGIT_LIMIT;
  return Math.max(-LOGIT_LIMIT, Math.min(LOGIT_LIMIT, Math.log(p / (1 - p))));
}

/** Writes the splats as a binary little-endian 3DGS PLY. */
export function writeSplatPly(splats: SplatBuffers): Uint8Array {
  const count = splatCount(splats);
  const header =
    ['ply', 'format binary_little_endian 1.0', 'comment Splat-Portrait Studio: 3D Gaussian splats', `element vertex ${count}`]
      .concat(EXPORTED_PROPERTIES.map((name) => `property float ${name}`), ['end_header'])
      .join('\n') + '\n';
  const headerBytes = new TextEncoder().encode(header);
  const rowBytes = EXPORTED_PROPERTIES.length * 4;
  const out = new Uint8Array(headerBytes.length + count * rowBytes);
  out.set(headerBytes, 0);
  const view = new DataView(out.buffer, headerBytes.length);
  const { means, scales, quats, opacities, colors } = splats;
  for (let i = 0; i < count; i++) {
    const row = [
      means[3 * i]!,
      means[3 * i + 1]!,
      means[3 * i + 2]!,
      0,
      0,
      0,
      (colors[3 * i]! - 0.5) / SH_C0,
      (colors[3 * i + 1]! - 0.5) / SH_C0,
      (colors[3 * i + 2]! - 0.5) / SH_C0,
      logit(opacities[i]!),
      Math.max(LOG_SCALE_MIN, Math.log(scales[3 * i]!)),
      Math.max(LOG_SCALE_MIN, Math.log(scales[3 * i + 1]!)),
      Math.max(LOG_SCALE_MIN, Math.log(scales[3 * i + 2]!)),
      quats[4 * i]!,
      quats[4 * i + 1]!,
      quats[4 * i + 2]!,
      quats[4 * i + 3]!,
    ];
    for (let k = 0; k < row.length; k++) view.setFloat32(i * rowBytes + 4 * k, row[k]!, true);
  }
  return out;
}

/** Reads a 3DGS PLY (binary little-endian or ascii) into splat buffers. Throws PlyError. */
export function readSplatPly(bytes: Uint8Array): SplatBuffers {
  const header = parsePlyHeader(bytes);
  const vertex = header.elements.find((e) => e.name === 'vertex');
  if (!vertex) throw new PlyError('PLY file has no "vertex" element (the splats)');
  const lists = vertex.properties.filter((p) => p.kind === 'list').map((p) => p.name);
  if (lists.length > 0) throw new PlyError(`PLY vertex element has list properties (${lists.join(', ')}): not a splat file`);
  const names = new Set(vertex.properties.map((p) => p.name));
  const missing = REQUIRED_PROPERTIES.filter((name) => !names.has(name));
  if (missing.length > 0) throw new PlyError(`PLY vertex element lacks the splat properties ${missing.join(', ')}`);

  const columns = vertex.properties.map((p) => (REQUIRED_PROPERTIES as readonly string[]).indexOf(p.name));
  const raw = new Float64Array(vertex.count * REQUIRED_PROPERTIES.length);
  const store = (row: number, property: number, value: number): void => {
    const column = columns[property]!;
    if (column >= 0) raw[row * REQUIRED_PROPERTIES.length + column] = value;
  };
  if (header.format === 'binary_little_endian') readBinaryVertices(bytes, header, vertex, store);
  else readAsciiVertices(bytes, header, vertex, store);
  return toSplats(raw, vertex.count);
}

/** Converts the file's values (logits, logs, SH) into splat buffers. */
function toSplats(raw: Float64Array, count: number): SplatBuffers {
  const width = REQUIRED_PROPERTIES.length;
  const at = (i: number, name: Required): number => raw[i * width + REQUIRED_PROPERTIES.indexOf(name)]!;
  const splats = allocateSplats(count);
  for (let i = 0; i < count; i++) {
    splats.means.set([at(i, 'x'), at(i, 'y'), at(i, 'z')], 3 * i);
    // 3DGS clamps the SH colour at 0 (gaussian_renderer: clamp_min(sh2rgb + 0.5, 0)).
    splats.colors.set([0, 1, 2].map((c) => Math.max(0, 0.5 + SH_C0 * at(i, `f_dc_${c}` as Required))), 3 * i);
    splats.opacities[i] = sigmoid(at(i, 'opacity'));
    splats.scales.set([at(i, 'scale_0'), at(i, 'scale_1'), at(i, 'scale_2')].map(Math.exp), 3 * i);
    const q = [at(i, 'rot_0'), at(i, 'rot_1'), at(i, 'rot_2'), at(i, 'rot_3')];
    const norm = Math.hypot(...q);
    // A zero (or non-finite) rotation has no direction: take the identity.
    splats.quats.set(norm > 0 && Number.isFinite(norm) ? q.map((v) => v / norm) : [1, 0, 0, 0], 4 * i);
  }
  return splats;
}

type Store = (row: number, property: number, value: number) => void;

function scalarBytes(properties: PlyProperty[]): number {
  let size = 0;
  for (const p of properties) if (p.kind === 'scalar') size += TYPE_SIZES[p.type];
  return size;
}

function readBinaryVertices(bytes: Uint8Array, header: PlyHeader, vertex: PlyElement, store: Store): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = header.bodyOffset;
  // Skip the elements before `vertex` (their rows may hold lists: walk them).
  for (const element of header.elements) {
    if (element === vertex) break;
    for (let row = 0; row < element.count; row++) {
      for (const p of element.properties) {
        if (p.kind === 'scalar') {
          offset += TYPE_SIZES[p.type];
          continue;
        }
        if (offset + TYPE_SIZES[p.countType] > bytes.length) throw truncated(element, bytes.length - header.bodyOffset);
        offset += TYPE_SIZES[p.countType] + readScalar(view, offset, p.countType) * TYPE_SIZES[p.itemType];
      }
    }
    if (offset > bytes.length) throw truncated(element, bytes.length - header.bodyOffset);
  }
  const rowBytes = scalarBytes(vertex.properties);
  const needed = vertex.count * rowBytes;
  if (offset + needed > bytes.length) {
    throw new PlyError(
      `PLY file is truncated: the header declares ${vertex.count} vertices of ${rowBytes} bytes (${needed} bytes), the file has ${bytes.length - offset} bytes of vertex data`,
    );
  }
  const offsets: number[] = [];
  let rowOffset = 0;
  for (const p of vertex.properties) {
    offsets.push(rowOffset);
    if (p.kind === 'scalar') rowOffset += TYPE_SIZES[p.type];
  }
  for (let row = 0; row < vertex.count; row++) {
    const base = offset + row * rowBytes;
    vertex.properties.forEach((p, k) => {
      if (p.kind === 'scalar') store(row, k, readScalar(view, base + offsets[k]!, p.type));
    });
  }
}

function truncated(element: PlyElement, bodyBytes: number): PlyError {
  return new PlyError(`PLY file is truncated: its ${bodyBytes} bytes of data end inside the "${element.name}" element`);
}

function readAsciiVertices(bytes: Uint8Array, header: PlyHeader, vertex: PlyElement, store: Store): void {
  const body = new TextDecoder('utf-8').decode(bytes.subarray(header.bodyOffset));
  const lines = body.split('\n');
  let line = 0;
  for (const element of header.elements) {
    for (let row = 0; row < element.count; row++, line++) {
      // Blank lines (a trailing CRLF, an empty last line) carry no row.
      while (line < lines.length && lines[line]!.trim() === '') line++;
      if (line >= lines.length) {
        throw new PlyError(`PLY file is truncated: the header declares ${element.count} "${element.name}" rows, the file ends after ${row}`);
      }
      if (element !== vertex) continue;
      const words = lines[line]!.trim().split(/\s+/);
      if (words.length !== element.properties.length) {
        throw new PlyError(`PLY ascii vertex row ${row + 1} has ${words.length} values, the header declares ${element.properties.length} properties`);
      }
      words.forEach((word, k) => {
        const value = Number(word);
        if (Number.isNaN(value) && word.toLowerCase() !== 'nan') {
          throw new PlyError(`PLY ascii vertex row ${row + 1}: "${word}" is not a number (property ${element.properties[k]!.name})`);
        }
        store(row, k, value);
      });
    }
    if (element === vertex) return;
  }
}
