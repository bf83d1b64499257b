/**
 * The messages between the main process (EngineHost) and the engine process (serveEngine), and
 * the method-map types both sides share.
 *
 * Host -> engine: `request` {id, method, args}, `cancel` {id}.
 * Engine -> host: `ready` once at start, `progress` {id, value}, `result` {id, ok, value | error}.
 *
 * Messages cross by structured clone (Node's 'advanced' serialization, or Electron's
 * postMessage), so typed arrays keep their type. Everything received is validated here: the
 * other side may be a crashing process or a different build, and a bad message must be dropped,
 * never trusted or thrown on.
 */
import { API_ERROR_CODES, isApiErrorData, type ApiErrorData } from '../../../shared/api/errors.ts';

/**
 * A map from method name to its signature, e.g.
 * `interface EngineMethods { 'bake.clip': (args: BakeClipArgs) => Promise<BakeClipResult> }`.
 * Written as a self-referential constraint so plain interfaces (which have no index signature)
 * qualify.
 */
export type EngineMethodMap<M> = { [K in keyof M]: (args: never) => Promise<unknown> };

// Spelled with Parameters/ReturnType so they match types written the same way elsewhere.
export type ArgsOf<F extends (args: never) => unknown> = Parameters<F>[0];
export type ResultOf<F extends (args: never) => unknown> = Awaited<ReturnType<F>>;

/**
 * Exit code of an engine that died of an uncaught exception or unhandled rejection
 * (EX_SOFTWARE from sysexits.h), so the host can tell a bug from a kill or an exit(n).
 */
export const ENGINE_FAULT_EXIT_CODE = 70;

export interface RequestMessage {
  type: 'request';
  id: number;
  method: string;
  args: unknown;
}

export interface CancelMessage {
  type: 'cancel';
  id: number;
}

export type HostMessage = RequestMessage | CancelMessage;

export interface ReadyMessage {
  type: 'ready';
  /** The methods this engine serves, for diagnostics. */
  methods: string[];
}

export interface ProgressMessage {
  type: 'progress';
  id: number;
  /** Whatever the method reports (a fraction, `{ done, total }`, ...): structured-clonable. */
  value: unknown;
}

export type ResultMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ApiErrorData };

export type EngineMessage = ReadyMessage | ProgressMessage | ResultMessage;

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

function isRequestId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function asRecord(raw: unknown): Record<string, unknown> | null {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
}

function malformed<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

/** Validates a message the engine received from the host. */
export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  const m = asRecord(raw);
  if (!m) return malformed('not an object');
  if (!isRequestId(m.id)) return malformed('missing or invalid id');
  if (m.type === 'cancel') return { ok: true, message: { type: 'cancel', id: m.id } };
  if (m.type === 'request') {
    if (typeof m.method !== 'string' || m.method.length === 0) return malformed('request without a method name');
    return { ok: true, message: { type: 'request', id: m.id, method: m.method, args: m.args } };
  }
  return malformed(`unknown message type ${JSON.stringify(m.type)}`);
}

/** Validates a message the host received from the engine. */
export function parseEngineMessage(raw: unknown): Parsed<EngineMessage> {
  const m = asRecord(raw);
  if (!m) return malformed('not an object');
  if (m.type === 'ready') {
    const methods = Array.isArray(m.methods) ? m.methods.filter((name): name is string => typeof name === 'string') : [];
    return { ok: true, message: { type: 'ready', methods } };
  }
  if (!isRequestId(m.id)) return malformed('missing or invalid id');
  if (m.type === 'progress') return { ok: true, message: { type: 'progress', id: m.id, value: m.value } };
  if (m.type !== 'result') return malformed(`unknown message type ${JSON.stringify(m.type)}`);
  if (m.ok === true) return { ok: true, message: { type: 'result', id: m.id, ok: true, value: m.value } };
  if (m.ok !== false) return malformed('result without ok: true or false');
  // A failure with a garbled error still settles its call, so the caller is never left waiting.
  const error: ApiErrorData = isApiErrorData(m.error) ? m.error : garbledError(m.error);
  return { ok: true, message: { type: 'result', id: m.id, ok: false, error } };
}

function garbledError(error: unknown): ApiErrorData {
  const e = asRecord(error);
  const message = typeof e?.message === 'string' ? e.message : 'no message';
  const code = typeof e?.code === 'string' && !(API_ERROR_CODES as readonly string[]).includes(e.code) ? ` (code ${e.code})` : '';
  return { code: 'INTERNAL', message: `The engine failed with an unrecognised error${code}: ${message}` };
}

/** A short, safe description of a rejected message for the log (never the whole payload). */
export function describeMessage(raw: unknown): string {
  const m = asRecord(raw);
  if (!m) return raw === null ? 'null' : typeof raw;
  const keys = Object.keys(m).slice(0, 8).join(', ');
  return `{ ${keys} }${typeof m.type === 'string' ? ` of type ${JSON.stringify(m.type.slice(0, 40))}` : ''}`;
}
