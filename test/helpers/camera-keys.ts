import { NEW_KEY_MOTION } from '../../src/shared/camera/camera-path.ts';
import type { CameraKeyframeInput } from '../../src/shared/project/types.ts';

/** An orbit key at `timeS` with every field set. */
export function orbitKey(timeS: number, overrides: Partial<CameraKeyframeInput> = {}): CameraKeyframeInput {
  return {
    timeS,
    mode: 'orbit',
    yawDeg: 10,
    pitchDeg: -5,
    distance: 2.7,
    position: null,
    target: [0, 0, 0],
    rollDeg: 0,
    fovDeg: 25,
    ...NEW_KEY_MOTION,
    ...overrides,
  };
}
