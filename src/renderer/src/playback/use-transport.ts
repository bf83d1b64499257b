/** React views of the transport: whether it plays and at what rate (re-render on change), and a per-frame callback. */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { Transport } from './transport.ts';

export function usePlaying(transport: Transport): boolean {
  return useSyncExternalStore(
    (fn) => transport.on('change', fn),
    () => transport.isPlaying(),
  );
}

/** The rate playing now (Transport.getRate: 1 normal, 2/4 fast, negative reverse, 0 stopped). */
export function usePlayRate(transport: Transport): number {
  return useSyncExternalStore(
    (fn) => transport.on('change', fn),
    () => transport.getRate(),
  );
}

/** Calls `onFrame` with the output time on every animation frame while mounted (DOM writes only, no state). */
export function useFrameTime(transport: Transport, onFrame: (timeS: number) => void): void {
  const handler = useRef(onFrame);
  useEffect(() => {
    handler.current = onFrame;
  });
  useEffect(() => {
    let frame = 0;
    const loop = (): void => {
      handler.current(transport.getTimeS());
      frame = requestAnimationFrame(loop);
    };
    frame = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(frame);
  }, [transport]);
}
