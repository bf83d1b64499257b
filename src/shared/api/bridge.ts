/**
 * What the Electron preload exposes on `window.studioBridge` through contextBridge, and nothing
 * else. The renderer's client wraps it into a `StudioClient`; over the web host the same client
 * interface is built on a WebSocket instead.
 */
import type { ReplyEnvelope } from './envelope.ts';

export const BRIDGE_GLOBAL = 'studioBridge';

/** IPC channel names used by the preload and the Electron main process. */
export const IPC_CHANNELS = {
  /** invoke(requestId: number, method: string, input: unknown) -> ReplyEnvelope */
  request: 'studio:request',
  /** send(requestId: number): abort that request */
  cancel: 'studio:cancel',
  /** main -> renderer: (event: string, payload: unknown) */
  event: 'studio:event',
} as const;

export interface StudioBridge {
  request(requestId: number, method: string, input: unknown): Promise<ReplyEnvelope>;
  cancel(requestId: number): void;
  /** Subscribes to back-end events; returns the unsubscribe function. */
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}
