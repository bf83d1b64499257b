/** A stand-in for the browser's WebSocket: records what the client sends, lets tests play the server. */
import { decodeFrame, encodeFrame, type ClientMessage, type ServerMessage } from '../../../src/shared/api/wire.ts';
import type { SocketLike } from '../../../src/renderer/src/api/ws-client.ts';

export class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = [];
  binaryType = 'blob';
  readyState = 0;
  readonly url: string;
  readonly sent: ClientMessage[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(url: string) {
    this.url = url;
    FakeSocket.instances.push(this);
  }

  send(data: Uint8Array<ArrayBuffer>): void {
    if (this.readyState !== 1) throw new Error('send() before open');
    this.sent.push(decodeFrame(data) as ClientMessage);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }

  // ---- The server's side ----

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** Delivers a message as the browser would with binaryType 'arraybuffer': a bare ArrayBuffer. */
  deliver(message: ServerMessage): void {
    const frame = encodeFrame(message);
    this.onmessage?.({ data: frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) });
  }

  deliverRaw(data: unknown): void {
    this.onmessage?.({ data });
  }

  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({ code, reason });
  }

  lastRequest(): Extract<ClientMessage, { type: 'request' }> {
    const last = [...this.sent].reverse().find((m) => m.type === 'request');
    if (!last || last.type !== 'request') throw new Error('no request sent');
    return last;
  }
}
