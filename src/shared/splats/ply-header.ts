/**
 * The header of a PLY file (Paul Bourke's "PLY - Polygon File Format", the format 3DGS tools
 * write): the magic line `ply`, `format <ascii|binary_little_endian|binary_big_endian> 1.0`,
 * `comment`/`obj_info` lines, `element <name> <count>` each followed by its
 * `property <type> <name>` or `property list <count type> <item type> <name>` lines, and
 * `end_header`. Lines end in LF (CRLF accepted). Pure: bytes in, a description out.
 */

/** Refusal of a PLY file, with a message that says what is wrong with it. */
export class PlyError extends Error {
  override name = 'PlyError';
}

export type PlyFormat = 'ascii' | 'binary_little_endian';

/** Scalar types of the PLY spec, with the sized aliases many writers use. */
export type PlyScalarType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

const TYPE_NAMES: Record<string, PlyScalarType> = {
  char: 'int8',
  int8: 'int8',
  uchar: 'uint8',
  uint8: 'uint8',
  short: 'int16',
  int16: 'int16',
  ushort: 'uint16',
  uint16: 'uint16',
  int: 'int32',
  int32: 'int32',
  uint: 'uint32',
  uint32: 'uint32',
  float: 'float32',
  float32: 'float32',
  double: 'float64',
  float64: 'float64',
};

/** Bytes of each scalar type in a binary file. */
export const TYPE_SIZES: Record<PlyScalarType, number> = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8 };

export type PlyProperty = { kind: 'scalar'; name: string; type: PlyScalarType } | { kind: 'list'; name: string; countType: PlyScalarType; itemType: PlyScalarType };

export interface PlyElement {
  name: string;
  count: number;
  properties: PlyProperty[];
}

export interface PlyHeader {
  format: PlyFormat;
  elements: PlyElement[];
  /** Byte offset of the body (just after the `end_header` line). */
  bodyOffset: number;
}

/** The longest header read; real headers are a few hundred bytes. */
const MAX_HEADER_BYTES = 1 << 16;

function scalarType(name: string, line: number): PlyScalarType {
  const type = TYPE_NAMES[name];
  if (!type) throw new PlyError(`PLY header line ${line}: unknown property type "${name}"`);
  return type;
}

export function parsePlyHeader(bytes: Uint8Array): PlyHeader {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'ply\n' && magic !== 'ply\r') throw new PlyError('not a PLY file: it does not start with the line "ply"');

  // The header is ASCII; find the end of its `end_header` line.
  const limit = Math.min(bytes.length, MAX_HEADER_BYTES);
  let text = '';
  let bodyOffset = -1;
  let lineStart = 0;
  for (let k = 0; k < limit; k++) {
    if (bytes[k] !== 0x0a) continue;
    if (k - lineStart > 1024) throw new PlyError('not a PLY file: its header has a line longer than 1024 bytes');
    const line = String.fromCharCode(...bytes.subarray(lineStart, k)).replace(/\r$/, '');
    text += line + '\n';
    lineStart = k + 1;
    if (line.trim() === 'end_header') {
      bodyOffset = k + 1;
      break;
    }
  }
  if (bodyOffset < 0) throw new PlyError(`PLY header has no "end_header" line within ${limit} bytes`);

  let format: PlyFormat | null = null;
  const elements: PlyElement[] = [];
  const lines = text.split('\n');
  for (let n = 1; n < lines.length; n++) {
    const words = lines[n]!.trim().split(/\s+/);
    const keyword = words[0];
    const lineNo = n + 1;
    if (keyword === '' || keyword === 'comment' || keyword === 'obj_info' || keyword === 'end_header') continue;
    if (keyword === 'format') {
      const name = words[1];
      if (name === 'binary_big_endian') throw new PlyError('PLY format binary_big_endian is not supported: convert the file to binary_little_endian or ascii');
      if (name !== 'ascii' && name !== 'binary_little_endian') throw new PlyError(`unknown PLY format "${name ?? ''}" (expected ascii or binary_little_endian)`);
      if (words[2] !== '1.0') throw new PlyError(`unsupported PLY version "${words[2] ?? ''}" (expected 1.0)`);
      format = name;
    } else if (keyword === 'element') {
      const count = Number(words[2]);
      if (words.length !== 3 || !Number.isSafeInteger(count) || count < 0) throw new PlyError(`PLY header line ${lineNo}: bad element line "${lines[n]}"`);
      elements.push({ name: words[1]!, count, properties: [] });
    } else if (keyword === 'property') {
      const element = elements.at(-1);
      if (!element) throw new PlyError(`PLY header line ${lineNo}: a property before any element`);
      if (words[1] === 'list') {
        if (words.length !== 5) throw new PlyError(`PLY header line ${lineNo}: bad list property "${lines[n]}"`);
        element.properties.push({ kind: 'list', name: words[4]!, countType: scalarType(words[2]!, lineNo), itemType: scalarType(words[3]!, lineNo) });
      } else {
        if (words.length !== 3) throw new PlyError(`PLY header line ${lineNo}: bad property "${lines[n]}"`);
        element.properties.push({ kind: 'scalar', name: words[2]!, type: scalarType(words[1]!, lineNo) });
      }
    } else {
      throw new PlyError(`PLY header line ${lineNo}: unknown keyword "${keyword ?? ''}"`);
    }
  }
  if (!format) throw new PlyError('PLY header has no format line');
  return { format, elements, bodyOffset };
}

/** Reads one scalar of a binary little-endian body. */
export function readScalar(view: DataView, offset: number, type: PlyScalarType): number {
  switch (type) {
    case 'int8':
      return view.getInt8(offset);
    case 'uint8':
      return view.getUint8(offset);
    case 'int16':
      return view.getInt16(offset, true);
    case 'uint16':
      return view.getUint16(offset, true);
    case 'int32':
      return view.getInt32(offset, true);
    case 'uint32':
      return view.getUint32(offset, true);
    case 'float32':
      return view.getFloat32(offset, true);
    case 'float64':
      return view.getFloat64(offset, true);
  }
}
