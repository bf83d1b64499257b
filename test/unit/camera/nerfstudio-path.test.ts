/** Nerfstudio camera_path.json: round trip, layout, timing rules and the errors bad files get. */
import { describe, expect, it } from 'vitest';
import { cameraAt } from '../../../src/shared/camera/camera-path.ts';
import { viewToGlCameraToWorldRowMajor } from '../../../src/shared/camera/gl-convention.ts';
import { fromNerfstudioCameraPath, toNerfstudioCameraPath } from '../../../src/shared/camera/nerfstudio-path.ts';
import { IDENTITY_VIEW } from '../../../src/shared/camera/pinhole.ts';
import type { CameraKeyframeInput } from '../../../src/shared/project/types.ts';

function key(fields: Partial<CameraKeyframeInput> & { timeS: number }): CameraKeyframeInput {
  return {
    mode: 'orbit', yawDeg: 0, pitchDeg: 0, distance: 2.5, position: null, target: [0, 0, 0], rollDeg: 0, fovDeg: 25,
    interpolation: 'smooth', tension: 0, continuity: 0, bias: 0, easing: 'none', clipId: null, ...fields,
  };
}

const keys = [
  key({ timeS: 0.5, yawDeg: -40, pitchDeg: 10, rollDeg: 5 }),
  key({ timeS: 1.25, yawDeg: 10, pitchDeg: -5, distance: 2, fovDeg: 30, target: [0, 0.05, 0.1] }),
  key({ timeS: 2, mode: 'free', position: [1.5, -0.2, 1], target: [0, 0, 0], rollDeg: -170 }),
  key({ timeS: 3, yawDeg: 200, pitchDeg: 0, rollDeg: 170, fovDeg: 20 }),
];
const options = { width: 1920, height: 1080, fps: 25, durationS: 4 };

type Entry = Record<string, unknown>;
interface Exported extends Entry {
  keyframes?: Entry[];
  camera_path?: Entry[];
  default_transition_sec?: number;
}

/** The export as a file would hold it (through JSON text). */
function exported(): Exported {
  return JSON.parse(JSON.stringify(toNerfstudioCameraPath(keys, options))) as Exported;
}

describe('toNerfstudioCameraPath', () => {
  it('writes the fields Nerfstudio reads, camera_path at fps over the duration', () => {
    const json = exported();
    expect(json).toMatchObject({ camera_type: 'perspective', render_width: 1920, render_height: 1080, fps: 25, seconds: 4, is_cycle: false });
    expect(json.keyframes).toHaveLength(4);
    expect(json.camera_path).toHaveLength(100);
    const frame10 = cameraAt(keys, 10 / 25)!;
    expect(json.camera_path![10]).toEqual({ camera_to_world: viewToGlCameraToWorldRowMajor(frame10.view), fov: frame10.fovDeg, aspect: 1920 / 1080 });
    expect(json.keyframes![1]).toMatchObject({ fov: 30, aspect: 1920 / 1080, time: 1.25, override_transition_enabled: true, override_transition_sec: 0.75 });
    expect(() => toNerfstudioCameraPath([], options)).toThrow(/no camera keys/);
  });
});

describe('fromNerfstudioCameraPath', () => {
  it('round trip: export then import reproduces the poses, fov and times at every key', () => {
    const imported = fromNerfstudioCameraPath(exported());
    expect(imported.map((k) => k.timeS)).toEqual(keys.map((k) => k.timeS));
    for (const k of keys) {
      const a = cameraAt(keys, k.timeS)!;
      const b = cameraAt(imported, k.timeS)!;
      b.view.forEach((v, i) => expect(Math.abs(v - a.view[i]!)).toBeLessThan(1e-6));
      expect(b.fovDeg).toBeCloseTo(a.fovDeg, 9);
    }
    for (const k of imported) expect(k).toMatchObject({ mode: 'free', interpolation: 'smooth', clipId: null });
    // Targets sit on the viewing axis at the distance to the head origin.
    for (const k of imported) expect(Math.hypot(...k.target.map((v, i) => v - k.position![i]!))).toBeCloseTo(Math.hypot(...k.position!), 9);
    // Roll stays continuous across the +-180 seam: -170 then 170 becomes -170 then -190.
    expect(Math.abs(imported[3]!.rollDeg - imported[2]!.rollDeg)).toBeLessThan(180);
  });

  it('a vertical render stores the vertical fov Nerfstudio expects, and reads back ours (the shorter side\'s)', () => {
    const vertical = { width: 1080, height: 1920, fps: 25, durationS: 4 };
    const json = JSON.parse(JSON.stringify(toNerfstudioCameraPath(keys, vertical))) as Exported;
    // 30 degrees across a 9:16 frame is 2 atan(tan(15 deg) * 16 / 9) = 50.9 degrees down.
    expect(json.keyframes![1]!.fov as number).toBeCloseTo((2 * Math.atan(Math.tan((15 * Math.PI) / 180) * (16 / 9)) * 180) / Math.PI, 9);
    const imported = fromNerfstudioCameraPath(json);
    imported.forEach((k, i) => expect(k.fovDeg).toBeCloseTo(keys[i]!.fovDeg, 9));
    // Without per-entry aspects, the render size decides.
    const bare = { ...json, keyframes: json.keyframes!.map(({ aspect: _aspect, ...rest }) => rest) };
    fromNerfstudioCameraPath(bare).forEach((k, i) => expect(k.fovDeg).toBeCloseTo(keys[i]!.fovDeg, 9));
  });

  it('without times, keyframes follow Nerfstudio transitions, else spread evenly over seconds', () => {
    const json = exported();
    for (const k of json.keyframes!) delete k.time;
    expect(fromNerfstudioCameraPath(json).map((k) => k.timeS)).toEqual([0, 0.75, 1.5, 2.5].map((t) => expect.closeTo(t, 12)));
    delete json.default_transition_sec;
    expect(fromNerfstudioCameraPath(json).map((k) => k.timeS)).toEqual([0, 4 / 3, 8 / 3, 4].map((t) => expect.closeTo(t, 12)));
  });

  it('falls back to camera_path at fps, one linear key per frame', () => {
    const json = exported();
    delete json.keyframes;
    const imported = fromNerfstudioCameraPath(json);
    expect(imported).toHaveLength(100);
    expect(imported[10]!.timeS).toBeCloseTo(0.4, 12);
    expect(imported[10]!.interpolation).toBe('linear');
    const a = cameraAt(keys, 0.4)!.view;
    cameraAt(imported, 0.4)!.view.forEach((v, i) => expect(Math.abs(v - a[i]!)).toBeLessThan(1e-6));
  });

  it('reads the old web viewer form: matrix as a JSON string, three.js column-major', () => {
    const json = { seconds: 2, keyframes: [{ matrix: JSON.stringify([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0.5, 0, 3, 1]), fov: 40 }] };
    const [k] = fromNerfstudioCameraPath(json);
    // GL camera at (0.5, 0, 3) looking down -z: in head space at (0.5, 0, -3) looking along +z.
    k!.position!.forEach((v, i) => expect(v).toBeCloseTo([0.5, 0, -3][i]!, 12));
    const view = cameraAt([k!], 0)!.view;
    view.slice(0, 11).forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, -0.5, 0, 1, 0, 0, 0, 0, 1][i]!, 12));
  });

  it('a camera at the head origin still gets a target ahead of it', () => {
    const [k] = fromNerfstudioCameraPath({ seconds: 1, keyframes: [{ matrix: viewToGlCameraToWorldRowMajor(IDENTITY_VIEW), fov: 30 }] });
    expect(k!.target).toEqual([0, 0, expect.closeTo(1, 12)]);
  });

  it('says what is wrong with a bad file', () => {
    const good = exported();
    const withKey = (i: number, change: object) => ({ ...good, keyframes: good.keyframes!.map((k, j) => (j === i ? { ...k, ...change } : k)) });
    expect(() => fromNerfstudioCameraPath(null)).toThrow('camera_path.json: not a valid JSON object');
    expect(() => fromNerfstudioCameraPath([1, 2])).toThrow('camera_path.json: not a valid JSON object');
    expect(() => fromNerfstudioCameraPath('{}')).toThrow('camera_path.json: not a valid JSON object');
    expect(() => fromNerfstudioCameraPath({})).toThrow('camera_path.json: no keyframes and no camera_path entries');
    expect(() => fromNerfstudioCameraPath({ keyframes: 3 })).toThrow('camera_path.json: keyframes must be an array');
    expect(() => fromNerfstudioCameraPath(withKey(3, { matrix: [1, 2, 3] }))).toThrow('camera_path.json: keyframes[3].matrix must be 16 numbers');
    expect(() => fromNerfstudioCameraPath(withKey(1, { matrix: 'nope' }))).toThrow('camera_path.json: keyframes[1].matrix must be 16 numbers');
    expect(() => fromNerfstudioCameraPath(withKey(2, { matrix: Array(16).fill(2) }))).toThrow('camera_path.json: keyframes[2].matrix is not a rigid camera-to-world transform');
    expect(() => fromNerfstudioCameraPath(withKey(0, { fov: 'wide' }))).toThrow('camera_path.json: keyframes[0].fov must be a number of degrees in (0, 180)');
    expect(() => fromNerfstudioCameraPath({ ...good, keyframes: [good.keyframes![0], 7] })).toThrow('camera_path.json: keyframes[1] must be an object');
    const untimed = { keyframes: good.keyframes!.map(({ time: _time, ...k }) => k) };
    expect(() => fromNerfstudioCameraPath(untimed)).toThrow('camera_path.json: seconds must be a positive number');
    expect(() => fromNerfstudioCameraPath({ camera_path: good.camera_path })).toThrow('camera_path.json: fps must be a positive number');
  });
});
