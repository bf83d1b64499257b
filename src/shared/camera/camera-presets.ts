/**
 * Camera presets that write keyframes (issue 6), all in orbit mode around the base view's target
 * (dolly-in's rises with it), keeping its roll and field of view. Orbit parameters are
 * interpolated directly (camera-path.ts), and every preset's keys are evenly spaced and linear in
 * those parameters, so the Catmull-Rom path between them is exactly linear: no overshoot past the
 * stated extents.
 *
 *   bullet    the bullet-effect sweep of the paper (sec. 3.4): yaw from -45 to +45 degrees and
 *             pitch from -12.5 to +12.5 degrees around the base view, through the base view at
 *             the middle (keys at the start, middle and end);
 *   orbit     a full 360 degree turn of yaw around the target (five keys, a quarter turn apart);
 *   dolly-in  the distance from the base's to 80 percent of it, eased in and out, while the
 *             target rises (along the picture's up) by what the frame loses at the top, so the
 *             frame's top edge stays where it was at the target's depth: a push-in to a 1.25x
 *             closer view that keeps the base's headroom and crops from the bottom. Issue 7: the
 *             source view has little headroom (the head origin is at cheekbone height and the
 *             top of the hair about 1.0 of the frame's 1.2 face widths above it), so the old
 *             push-in about the target to 60 percent cut the hair and the chin;
 *   static    one key: the base view.
 */
import type { CameraKeyframeInput } from '../project/types.ts';
import { keyFromState, type CameraState } from './camera-path.ts';

export type CameraPreset = 'bullet' | 'orbit' | 'dolly-in' | 'static';

export const CAMERA_PRESETS: readonly CameraPreset[] = ['bullet', 'orbit', 'dolly-in', 'static'];

/** What a creator reads for each preset (menus, and the camera path's label in the undo history). */
export const CAMERA_PRESET_LABELS: Readonly<Record<CameraPreset, string>> = {
  bullet: 'Bullet sweep (yaw ±45°, pitch ±12.5°)',
  orbit: 'Orbit (full turn)',
  'dolly-in': 'Dolly in',
  static: 'Static shot',
};

/** The label of a camera path made from a preset ("Bullet sweep preset"). */
export function presetPathLabel(preset: CameraPreset): string {
  return `${CAMERA_PRESET_LABELS[preset].split(' (')[0]} preset`;
}

/** The paper's bullet-effect extents, degrees either side of the base view. */
export const BULLET_YAW_DEG = 45;
export const BULLET_PITCH_DEG = 12.5;
/**
 * dolly-in ends at this fraction of the base distance. From the source view, with the top edge
 * fixed 1.2 face widths above the head origin, the end frame reaches 2 * 0.8 * 1.2 - 1.2 = 0.72
 * face widths below it: the chin (about 0.6 below, renders of the demo and real portraits) stays in.
 */
export const DOLLY_IN_FRACTION = 0.8;

const MAX_PITCH_DEG = 89.9;

export interface PresetOptions {
  /** Output time of the first key, seconds. */
  startS: number;
  /** Length of the move, seconds (> 0 unless the preset is 'static'). */
  durationS: number;
  /** The view the move starts from or centres on (usually the current view). */
  base: CameraState;
}

export function presetKeys(preset: CameraPreset, options: PresetOptions): CameraKeyframeInput[] {
  const { startS, durationS, base } = options;
  const origin = keyFromState(base, startS, 'orbit');
  if (preset === 'static') return [origin];
  if (!(durationS > 0)) throw new RangeError(`a ${preset} preset needs a positive duration, got ${durationS}`);
  const at = (fraction: number, change: Partial<CameraKeyframeInput>): CameraKeyframeInput => {
    const key = { ...origin, ...change, timeS: startS + fraction * durationS, target: [...(change.target ?? origin.target)] as CameraKeyframeInput['target'] };
    key.pitchDeg = Math.min(MAX_PITCH_DEG, Math.max(-MAX_PITCH_DEG, key.pitchDeg));
    return key;
  };
  switch (preset) {
    case 'bullet':
      return [-1, 0, 1].map((side) =>
        at((side + 1) / 2, { yawDeg: origin.yawDeg + side * BULLET_YAW_DEG, pitchDeg: origin.pitchDeg + side * BULLET_PITCH_DEG }),
      );
    case 'orbit':
      return [0, 1, 2, 3, 4].map((quarter) => at(quarter / 4, { yawDeg: origin.yawDeg + 90 * quarter }));
    case 'dolly-in': {
      // Half the frame's height at the target's depth is distance * tan(fov / 2); the end frame's
      // is DOLLY_IN_FRACTION of it, so the target rises by the difference along the picture's up
      // (minus the view's down row, roll included). Target and distance are both linear in the
      // segment parameter, so the top edge stays put all the way, not only at the ends.
      const rise = origin.distance * Math.tan((origin.fovDeg * Math.PI) / 360) * (1 - DOLLY_IN_FRACTION);
      const down = [base.view[4]!, base.view[5]!, base.view[6]!];
      const target = origin.target.map((v, k) => v - rise * down[k]!) as CameraKeyframeInput['target'];
      return [at(0, { easing: 'ease-in-out' }), at(1, { distance: origin.distance * DOLLY_IN_FRACTION, target })];
    }
  }
}
