import type { ApiErrorData } from './errors.ts';

/** The reply to one request, the same on every transport. Errors are data, not exceptions. */
export type ReplyEnvelope<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorData };
