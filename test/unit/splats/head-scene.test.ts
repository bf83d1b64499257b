/**
 * The procedural head: deterministic, valid splat buffers, and a head in the world axes of
 * src/shared/camera/orbit-camera.ts (rendered by the reference at low resolution: from the front
 * camera, the centre column reads hair, skin, shirt from top to bottom).
 */
import { describe, expect, it } from 'vitest';
import { orbitCamera } from '../../../src/shared/camera/orbit-camera.ts';
import { HEAD_SCENE_CAMERA, headScene } from '../../../src/shared/splats/head-scene.ts';
import { splatCount } from '../../../src/shared/splats/types.ts';
import { rasterizeReference } from '../../reference/rasterize-reference.ts';

describe('headScene', () => {
  it('makes 65,536 valid splats by default, the same ones for the same seed', () => {
    const a = headScene();
    expect(splatCount(a)).toBe(65_536);
    const b = headScene({ seed: 1 });
    expect(Buffer.from(b.means.buffer)).toEqual(Buffer.from(a.means.buffer));
    expect(Buffer.from(b.colors.buffer)).toEqual(Buffer.from(a.colors.buffer));
    const c = headScene({ seed: 2 });
    expect(Buffer.from(c.means.buffer)).not.toEqual(Buffer.from(a.means.buffer));
    let worstNorm = 0;
    for (let i = 0; i < 65_536; i++) worstNorm = Math.max(worstNorm, Math.abs(Math.hypot(...a.quats.subarray(4 * i, 4 * i + 4)) - 1));
    expect(worstNorm).toBeLessThan(1e-6);
    expect(a.opacities.every((o) => o >= 0 && o <= 1)).toBe(true);
    expect(a.scales.every((v) => v > 0)).toBe(true);
    expect(a.colors.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(a.means.every((v) => Math.abs(v) < 0.5)).toBe(true);
  });

  it('makes any count, including 0 and 1', () => {
    expect(splatCount(headScene({ count: 0 }))).toBe(0);
    expect(splatCount(headScene({ count: 1 }))).toBe(1);
    expect(splatCount(headScene({ count: 5000 }))).toBe(5000);
    expect(() => headScene({ count: -1 })).toThrow(RangeError);
  });

  it('is a head seen upright from the front camera: hair above skin above shirt', () => {
    const splats = headScene({ count: 20_000 });
    const camera = orbitCamera({ ...HEAD_SCENE_CAMERA, width: 48, height: 48 });
    const image = rasterizeReference(splats, camera, { color: [0, 0, 0] });
    const column = (y: number): number[] => [...image.rgb.subarray(3 * (y * 48 + 24), 3 * (y * 48 + 24) + 3)];
    const kind = ([r, g, b]: number[]): string => (r! > 0.45 && r! > b! + 0.15 ? 'skin' : b! > r! + 0.05 ? 'shirt' : r! + g! + b! < 0.6 && r! > b! ? 'hair' : 'other');
    const kinds = Array.from({ length: 48 }, (_, y) => (image.alpha[y * 48 + 24]! > 0.9 ? kind(column(y)) : 'empty'));
    const first = (k: string): number => kinds.indexOf(k);
    expect(kinds[0]).toBe('empty'); // sky above the hair
    expect(first('hair')).toBeGreaterThan(0);
    expect(first('skin')).toBeGreaterThan(first('hair'));
    expect(first('shirt')).toBeGreaterThan(kinds.lastIndexOf('skin') - 12);
    expect(kinds[47]).toBe('shirt');
    // Symmetric about the vertical axis: the coverage of the left and right halves matches.
    let left = 0;
    let right = 0;
    for (let y = 0; y < 48; y++) for (let x = 0; x < 24; x++) {
      left += image.alpha[y * 48 + x]!;
      right += image.alpha[y * 48 + 47 - x]!;
    }
    expect(Math.abs(left - right) / (left + right)).toBeLessThan(0.03);
  });
});
