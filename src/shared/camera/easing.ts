/**
 * Easing of a camera segment: remaps its local parameter u in [0, 1] (the segment's share of
 * elapsed time) before interpolation. Every curve is monotone with f(0) = 0 and f(1) = 1, so a
 * segment still starts at its key and ends at the next one; quadratic ramps, as in the
 * ease-in/ease-out of classic keyframe editors (Penner's easing equations, quadratic family).
 */
import type { CameraEasing } from '../project/types.ts';

export const CAMERA_EASINGS: readonly CameraEasing[] = ['none', 'ease-in', 'ease-out', 'ease-in-out'];

export function ease(easing: CameraEasing, u: number): number {
  const x = Math.min(1, Math.max(0, u));
  switch (easing) {
    case 'none':
      return x;
    case 'ease-in':
      return x * x;
    case 'ease-out':
      return 1 - (1 - x) * (1 - x);
    case 'ease-in-out':
      return x < 0.5 ? 2 * x * x : 1 - 2 * (1 - x) * (1 - x);
  }
}
