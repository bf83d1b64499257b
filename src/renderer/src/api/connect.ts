/**
 * Picks the transport: the Electron preload bridge when it exists, else the loopback web host's
 * WebSocket on the page's own origin. The web host's token travels as an HttpOnly cookie set when
 * the page first loaded, so nothing secret lives in this code.
 */
import { BRIDGE_GLOBAL, type StudioBridge } from '../../../shared/api/bridge.ts';
import { BridgeStudioClient } from './bridge-client.ts';
import type { ConnectedStudio } from './connection.ts';
import { WebSocketStudioClient, type SocketConstructor } from './ws-client.ts';

/** The WebSocket endpoint of the host that served this page. */
export function studioSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api`;
}

export async function connectStudio(): Promise<ConnectedStudio> {
  const bridge = (window as unknown as Record<string, StudioBridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge) return new BridgeStudioClient(bridge);
  // The DOM's handler types name full Event objects; the client reads only `data`, `code` and
  // `reason`, which the real events carry, so the browser's constructor fits SocketLike.
  const client = new WebSocketStudioClient(studioSocketUrl(window.location), WebSocket as unknown as SocketConstructor);
  await client.ready;
  return client;
}
