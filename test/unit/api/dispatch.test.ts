/** dispatch(): method lookup, input validation against the contract, and errors as reply data. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../src/main/api/dispatch.ts';
import { METHOD_NAMES, type RequestContext, type StudioHandlers } from '../../../src/shared/api/contract.ts';
import { ApiError } from '../../../src/shared/api/errors.ts';
import type { ReplyEnvelope } from '../../../src/shared/api/envelope.ts';

/** Handlers that record their calls; each answers `{ method, input }` unless replaced. */
function recordingHandlers(overrides: Partial<Record<string, (input: unknown, ctx: RequestContext) => unknown>> = {}) {
  const calls: { method: string; input: unknown }[] = [];
  const handlers = Object.fromEntries(
    METHOD_NAMES.map((method) => [
      method,
      (input: unknown, ctx: RequestContext) => {
        calls.push({ method, input });
        const override = overrides[method];
        return override ? override(input, ctx) : { method, input };
      },
    ]),
  ) as unknown as StudioHandlers;
  return { handlers, calls };
}

const live = (): RequestContext => ({ signal: new AbortController().signal });

function expectError(reply: ReplyEnvelope, code: string, message?: RegExp): void {
  expect(reply.ok).toBe(false);
  if (reply.ok) return;
  expect(reply.error.code).toBe(code);
  if (message) expect(reply.error.message).toMatch(message);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('dispatch', () => {
  it('answers UNKNOWN_METHOD for names outside the contract, inherited names included', async () => {
    const { handlers, calls } = recordingHandlers();
    for (const name of ['project.explode', 'toString', '__proto__', 'constructor', 42, undefined]) {
      expectError(await dispatch(handlers, name, {}, live()), 'UNKNOWN_METHOD', /Unknown API method/);
    }
    expect(calls).toEqual([]);
  });

  it('cuts a long unknown name in the message to 100 characters', async () => {
    const reply = await dispatch(recordingHandlers().handlers, 'x'.repeat(5000), {}, live());
    expectError(reply, 'UNKNOWN_METHOD');
    if (!reply.ok) expect(reply.error.message.length).toBeLessThan(140);
  });

  it.each([
    ['project.create', { name: '' }, /\(name\).*must not be empty/],
    ['project.create', { name: '    ' }, /\(name\).*must not be empty/],
    ['project.create', { name: 'a\u0007b' }, /\(name\).*control characters/],
    ['project.create', { name: 'x'.repeat(121) }, /\(name\).*at most 120/],
    ['project.create', { name: 'ok', path: 'relative/file.splatproj' }, /\(path\).*must be absolute/],
    ['project.create', { name: 'ok', path: '/tmp/a\u0000b' }, /\(path\).*NUL/],
    ['project.open', { path: 'Documents/x.splatproj' }, /\(path\).*absolute/],
    ['project.open', {}, /\(path\)/],
    ['project.open', { path: '/a', extra: 1 }, /project\.open.*extra/],
    ['app.info', { sneaky: true }, /app\.info.*sneaky/],
    ['media.import', { name: 'a.png', bytes: [1, 2, 3] }, /\(bytes\)/],
    ['media.import', { name: 'a.png', bytes: 'AQID' }, /\(bytes\)/],
    ['media.import', { name: 'a.png', bytes: new Uint8Array(0) }, /\(bytes\).*empty/],
    ['media.rename', { id: '../etc', name: 'x' }, /\(id\).*Not a valid id/],
    ['media.remove', { id: 'a'.repeat(65) }, /\(id\)/],
    ['project.rename', 'just a string', /project\.rename.*object/],
  ] as const)('%s refuses %j with INVALID_INPUT naming the field', async (method, input, message) => {
    const { handlers, calls } = recordingHandlers();
    expectError(await dispatch(handlers, method, input, live()), 'INVALID_INPUT', message);
    expect(calls).toEqual([]);
  });

  it('reaches the handler with the parsed input: names trimmed, bytes kept as they came', async () => {
    const { handlers, calls } = recordingHandlers();
    const bytes = Uint8Array.of(1, 2, 3);
    const created = await dispatch(handlers, 'project.create', { name: '  My Portrait \t' }, live());
    const imported = await dispatch(handlers, 'media.import', { name: ' a.png ', bytes }, live());
    expect(created).toEqual({ ok: true, result: { method: 'project.create', input: { name: 'My Portrait' } } });
    expect(imported.ok).toBe(true);
    expect(calls[1]?.input).toEqual({ name: 'a.png', bytes });
    expect((calls[1]?.input as { bytes: Uint8Array }).bytes).toBe(bytes);
  });

  it('treats a missing input as {} for methods without input', async () => {
    const { handlers, calls } = recordingHandlers();
    expect((await dispatch(handlers, 'app.info', undefined, live())).ok).toBe(true);
    expect((await dispatch(handlers, 'project.current', null, live())).ok).toBe(true);
    expect(calls.map((c) => c.input)).toEqual([{}, {}]);
  });

  it('answers null when a handler returns undefined', async () => {
    const { handlers } = recordingHandlers({ 'project.close': () => undefined });
    expect(await dispatch(handlers, 'project.close', {}, live())).toEqual({ ok: true, result: null });
  });

  it('passes an ApiError from a handler through with its code, message and details', async () => {
    const { handlers } = recordingHandlers({
      'project.open': () => {
        throw new ApiError('PROJECT_TOO_NEW', 'Made by a newer studio', { found: 9, path: '/p.splatproj' });
      },
    });
    const reply = await dispatch(handlers, 'project.open', { path: '/p.splatproj' }, live());
    expect(reply).toEqual({ ok: false, error: { code: 'PROJECT_TOO_NEW', message: 'Made by a newer studio', details: { found: 9, path: '/p.splatproj' } } });
  });

  it('passes through an ApiError from a rejected promise too', async () => {
    const { handlers } = recordingHandlers({ 'history.undo': () => Promise.reject(new ApiError('NO_PROJECT_OPEN', 'none open')) });
    expect(await dispatch(handlers, 'history.undo', {}, live())).toEqual({ ok: false, error: { code: 'NO_PROJECT_OPEN', message: 'none open' } });
  });

  it('turns a plain Error or a thrown string into INTERNAL, keeping the message, and logs it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { handlers } = recordingHandlers({
      'projects.list': () => {
        throw new Error('disk on fire');
      },
      'project.current': () => Promise.reject('just a string'),
    });
    expectError(await dispatch(handlers, 'projects.list', {}, live()), 'INTERNAL', /disk on fire/);
    expectError(await dispatch(handlers, 'project.current', {}, live()), 'INTERNAL', /just a string/);
    expect(log).toHaveBeenCalledTimes(2);
  });

  it('answers CANCELLED without running the handler when the signal is already aborted', async () => {
    const { handlers, calls } = recordingHandlers();
    const controller = new AbortController();
    controller.abort();
    expectError(await dispatch(handlers, 'app.info', {}, { signal: controller.signal }), 'CANCELLED', /app\.info was cancelled/);
    expect(calls).toEqual([]);
  });

  it('validates before checking cancellation: bad input is INVALID_INPUT even when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expectError(await dispatch(recordingHandlers().handlers, 'project.create', { name: '' }, { signal: controller.signal }), 'INVALID_INPUT');
  });

  it('gives the handler the caller signal, so it can see a later cancel', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const { handlers } = recordingHandlers({
      'media.import': (_input, ctx) => {
        seen = ctx.signal;
        return new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new ApiError('CANCELLED', 'Import cancelled')));
        });
      },
    });
    const pending = dispatch(handlers, 'media.import', { name: 'a.wav', bytes: Uint8Array.of(1) }, { signal: controller.signal });
    controller.abort();
    expectError(await pending, 'CANCELLED', /Import cancelled/);
    expect(seen).toBe(controller.signal);
  });
});
