/**
 * Electron IPC transport of the studio API: requests in, reply envelopes out, cancellation by
 * request id, back-end events pushed to the window. The renderer is untrusted input: every
 * message is checked for its sender before anything else, and dispatch() validates the rest.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { IPC_CHANNELS } from '../../shared/api/bridge.ts';
import type { EventName, StudioEvents, StudioHandlers } from '../../shared/api/contract.ts';
import type { ReplyEnvelope } from '../../shared/api/envelope.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { Emitter } from '../../shared/events/emitter.ts';
import { dispatch } from '../api/dispatch.ts';
import type { UrlCheck } from './renderer-url.ts';

/** Every back-end event goes to the window; a new event in the contract fails typecheck here until listed. */
const FORWARDED_EVENTS = {
  'project.changed': true,
  'menu.command': true,
  'bake.progress': true,
  'export.progress': true,
  'engine.status': true,
} as const satisfies Record<EventName, true>;

export interface StudioIpcOptions {
  handlers: StudioHandlers;
  events: Emitter<StudioEvents>;
  /** True for our renderer's URL (renderer-url.ts). */
  isTrustedUrl: UrlCheck;
  /** The window events go to; null while there is none. */
  getWindow(): BrowserWindow | null;
}

/** Registers the IPC handlers; returns the function that removes them and aborts pending requests. */
export function registerStudioIpc(options: StudioIpcOptions): () => void {
  const pending = new Map<string, AbortController>();
  const watchedSenders = new Set<number>();

  const abortSender = (senderId: number, reason: ApiError) => {
    for (const [key, controller] of pending) {
      if (key.startsWith(`${senderId}:`)) controller.abort(reason);
    }
  };

  const onRequest = async (
    event: IpcMainInvokeEvent,
    requestId: unknown,
    method: unknown,
    input: unknown,
  ): Promise<ReplyEnvelope> => {
    if (!isTrustedFrame(event.senderFrame, options.isTrustedUrl)) {
      return refuse('ACCESS_DENIED', 'Requests are accepted only from the studio window');
    }
    if (!isRequestId(requestId)) return refuse('INVALID_INPUT', 'The request id must be a safe integer');
    const key = `${event.sender.id}:${requestId}`;
    if (pending.has(key)) return refuse('INVALID_INPUT', `Request id ${requestId} is already in flight`);
    if (!watchedSenders.has(event.sender.id)) {
      const senderId = event.sender.id;
      watchedSenders.add(senderId);
      event.sender.once('destroyed', () => {
        watchedSenders.delete(senderId);
        abortSender(senderId, new ApiError('DISCONNECTED', 'The studio window was closed'));
      });
    }
    const controller = new AbortController();
    pending.set(key, controller);
    try {
      return await dispatch(options.handlers, method, input, { signal: controller.signal });
    } finally {
      pending.delete(key);
    }
  };

  const onCancel = (event: IpcMainEvent, requestId: unknown) => {
    if (!isTrustedFrame(event.senderFrame, options.isTrustedUrl) || !isRequestId(requestId)) return;
    pending.get(`${event.sender.id}:${requestId}`)?.abort(new ApiError('CANCELLED', 'The request was cancelled'));
  };

  ipcMain.handle(IPC_CHANNELS.request, onRequest);
  ipcMain.on(IPC_CHANNELS.cancel, onCancel);
  const unsubscribes = (Object.keys(FORWARDED_EVENTS) as EventName[]).map((name) =>
    options.events.on(name, (payload) => forward(options, name, payload)),
  );

  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.request);
    ipcMain.removeListener(IPC_CHANNELS.cancel, onCancel);
    for (const unsubscribe of unsubscribes) unsubscribe();
    for (const controller of pending.values()) controller.abort(new ApiError('DISCONNECTED', 'The studio is shutting down'));
    pending.clear();
  };
}

function forward<E extends EventName>(options: StudioIpcOptions, name: E, payload: StudioEvents[E]): void {
  const win = options.getWindow();
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
  // Never push project data into a page that is not ours (navigation is blocked; this is the second lock).
  if (!options.isTrustedUrl(win.webContents.getURL())) return;
  win.webContents.send(IPC_CHANNELS.event, name, payload);
}

/** Only our page's top frame may call; a subframe or a navigated-away frame may not. */
function isTrustedFrame(frame: WebFrameMain | null, isTrustedUrl: UrlCheck): boolean {
  try {
    return frame !== null && frame.parent === null && isTrustedUrl(frame.url);
  } catch {
    // A frame disposed mid-request throws on access.
    return false;
  }
}

function isRequestId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function refuse(code: 'ACCESS_DENIED' | 'INVALID_INPUT', message: string): ReplyEnvelope {
  return { ok: false, error: { code, message } };
}
