/**
 * The J/K/L shuttle of video editors (Premiere, Resolve, Avid), as a pure state machine from the
 * transport's rate and a key to what the transport should do next:
 *
 * - L plays forward at 1x; pressed again while playing forward, 2x, then 4x (the most).
 * - J plays in reverse at -1x; again, -2x, then -4x. Pressed while playing the other way, J or L
 *   starts again at 1x in its own direction.
 * - K stops. J or L pressed while K is held steps one frame back or forward instead.
 *
 * Rates other than 1 are silent (transport.ts): only 1x forward is audio-clocked and audible;
 * pitch-correct fast or reversed audio is out of scope for a preview.
 */

/** Shuttle speeds in each direction, in the order repeated presses reach them. */
export const SHUTTLE_SPEEDS: readonly number[] = [1, 2, 4];

export type ShuttleKey = 'j' | 'k' | 'l';

export type ShuttleCommand =
  /** Play at this rate (negative: reverse); 0 stops. */
  | { kind: 'rate'; rate: number }
  /** Stop and move the playhead one frame (-1 back, +1 forward). */
  | { kind: 'step'; frames: -1 | 1 };

/** The next speed in one direction: the first when not already going that way, else one faster (capped). */
function faster(rate: number, direction: 1 | -1): number {
  const speed = rate * direction;
  if (speed <= 0) return direction * SHUTTLE_SPEEDS[0]!;
  const next = SHUTTLE_SPEEDS.find((s) => s > speed + 1e-9) ?? SHUTTLE_SPEEDS[SHUTTLE_SPEEDS.length - 1]!;
  return direction * next;
}

/**
 * What a press of `key` does, given the transport's `rate` now (0 while stopped) and whether K
 * is held down.
 */
export function shuttleCommand(rate: number, key: ShuttleKey, kHeld = false): ShuttleCommand {
  if (key === 'k') return { kind: 'rate', rate: 0 };
  if (kHeld) return { kind: 'step', frames: key === 'l' ? 1 : -1 };
  return { kind: 'rate', rate: faster(rate, key === 'l' ? 1 : -1) };
}

/** How the transport bar shows a rate: '' at 1x or stopped, else '2×', '−1×', ... */
export function rateLabel(rate: number): string {
  if (rate === 0 || rate === 1) return '';
  return `${rate < 0 ? '−' : ''}${Math.abs(rate)}×`;
}
