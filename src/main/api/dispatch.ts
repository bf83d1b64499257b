/**
 * The one entry point both transports call: look up the method, validate the input against the
 * contract's schema, run the handler, and turn any outcome into a reply envelope.
 */
import { ApiError, toApiErrorData } from '../../shared/api/errors.ts';
import { isMethodName, studioApi, type RequestContext, type StudioHandlers } from '../../shared/api/contract.ts';
import type { ReplyEnvelope } from '../../shared/api/envelope.ts';

export async function dispatch(
  handlers: StudioHandlers,
  method: unknown,
  rawInput: unknown,
  ctx: RequestContext,
): Promise<ReplyEnvelope> {
  try {
    if (!isMethodName(method)) {
      throw new ApiError('UNKNOWN_METHOD', `Unknown API method: ${String(method).slice(0, 100)}`);
    }
    const parsed = studioApi[method].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
      throw new ApiError('INVALID_INPUT', `Invalid input for ${method}${where}: ${issue?.message ?? 'rejected'}`);
    }
    if (ctx.signal.aborted) throw new ApiError('CANCELLED', `${method} was cancelled`);
    const handler = handlers[method] as (input: unknown, ctx: RequestContext) => unknown;
    const result = await handler(parsed.data, ctx);
    return { ok: true, result: result ?? null };
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(`[api] ${String(method)} failed:`, error);
    return { ok: false, error: toApiErrorData(error) };
  }
}
