/**
 * The audio front-end spec: the numbers of resources/audio-frontend/logmel-v1.json, validated.
 * src/shared reads no files, so callers pass the parsed JSON (main: readFileSync + JSON.parse;
 * the renderer: fetch). Twin: LogMelSpec / parse_spec in training/splatportrait/audio/logmel.py
 * (same fields, snake_case there); test/unit/audio/spec.test.ts and
 * test/python/audio/test_logmel.py check both accept the shipped file and refuse the same faults.
 */

export const LOGMEL_SPEC_NAME = 'logmel-v1';

export interface LogMelSpec {
  readonly name: string;
  /** Input sample rate, Hz (16000). */
  readonly sampleRate: number;
  /** FFT size, samples; a power of two (512). */
  readonly nFft: number;
  /** Hann window length, samples (400 = 25 ms). */
  readonly winLength: number;
  /** Frame step, samples (160 = 10 ms, so 100 frames/s). */
  readonly hopLength: number;
  /** FFT buffer slot of the first windowed sample, (nFft - winLength) / 2 (56). */
  readonly windowOffset: number;
  /** Mel bands (80). */
  readonly nMels: number;
  /** Lowest and highest filter edge, Hz (55, 7600). */
  readonly fmin: number;
  readonly fmax: number;
  /** Mel energies below this are clamped before ln (1e-10). */
  readonly logFloor: number;
  /** Fixed normalisation: out = (ln(mel) - normMean) / normStd. */
  readonly normMean: number;
  readonly normStd: number;
}

function field(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !(key in cur)) throw new Error(`audio front-end spec: missing field '${path}'`);
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function num(obj: unknown, path: string): number {
  const v = field(obj, path);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`audio front-end spec: ${path} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

function posInt(obj: unknown, path: string): number {
  const v = num(obj, path);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`audio front-end spec: ${path} must be a positive integer, got ${v}`);
  return v;
}

/** The rules this implementation computes; any other value is refused, not approximated. */
const FIXED: ReadonlyArray<readonly [string, string | number | boolean]> = [
  ['stft.window', 'hann_periodic'],
  ['stft.center', true],
  ['stft.pad_mode', 'reflect'],
  ['stft.power', 2],
  ['mel.scale', 'slaney'],
  ['mel.norm', 'slaney'],
  ['log.base', 'e'],
  ['input.channels', 1],
  ['input.dither', 0],
  ['input.preemphasis', 0],
];

/** Validates a parsed spec object (the JSON file's shape). Twin: parse_spec in logmel.py. */
export function parseLogMelSpec(obj: unknown): LogMelSpec {
  const name = field(obj, 'name');
  if (name !== LOGMEL_SPEC_NAME) throw new Error(`audio front-end spec: this module computes '${LOGMEL_SPEC_NAME}', got name ${JSON.stringify(name)}`);
  for (const [path, want] of FIXED) {
    const got = field(obj, path);
    if (got !== want) throw new Error(`audio front-end spec: ${path} must be ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  const spec: LogMelSpec = {
    name,
    sampleRate: posInt(obj, 'input.sample_rate'),
    nFft: posInt(obj, 'stft.n_fft'),
    winLength: posInt(obj, 'stft.win_length'),
    hopLength: posInt(obj, 'stft.hop_length'),
    windowOffset: num(obj, 'stft.window_offset'),
    nMels: posInt(obj, 'mel.n_mels'),
    fmin: num(obj, 'mel.fmin'),
    fmax: num(obj, 'mel.fmax'),
    logFloor: num(obj, 'log.floor'),
    normMean: num(obj, 'normalise.mean'),
    normStd: num(obj, 'normalise.std'),
  };
  if ((spec.nFft & (spec.nFft - 1)) !== 0) throw new Error(`audio front-end spec: stft.n_fft must be a power of two, got ${spec.nFft}`);
  if (spec.winLength > spec.nFft || spec.winLength % 2 !== 0) throw new Error(`audio front-end spec: stft.win_length must be even and <= n_fft, got ${spec.winLength}`);
  if (spec.windowOffset !== (spec.nFft - spec.winLength) / 2) throw new Error('audio front-end spec: stft.window_offset must be (n_fft - win_length) / 2');
  if (!(spec.fmin >= 0 && spec.fmin < spec.fmax && spec.fmax <= spec.sampleRate / 2)) {
    throw new Error(`audio front-end spec: need 0 <= fmin < fmax <= sample_rate / 2, got ${spec.fmin}, ${spec.fmax}`);
  }
  if (num(obj, 'stft.frames_per_second') !== spec.sampleRate / spec.hopLength) throw new Error('audio front-end spec: stft.frames_per_second must be sample_rate / hop_length');
  if (!(spec.logFloor > 0 && spec.normStd > 0)) throw new Error('audio front-end spec: log.floor and normalise.std must be > 0');
  return spec;
}

/** One-sided FFT bins per frame: nFft / 2 + 1 (257). */
export function fftBins(spec: LogMelSpec): number {
  return spec.nFft / 2 + 1;
}
