/** OpenCV <-> OpenGL/three.js: a known case, geometric meaning, and round trips. */
import { describe, expect, it } from 'vitest';
import { cameraState } from '../../../src/shared/camera/camera-path.ts';
import {
  cvPointToGl,
  glCameraMatrixToView,
  glCameraToWorldRowMajorToView,
  glPointToCv,
  transpose4,
  viewToGlCameraMatrix,
  viewToGlCameraToWorldRowMajor,
} from '../../../src/shared/camera/gl-convention.ts';
import { IDENTITY_VIEW } from '../../../src/shared/camera/pinhole.ts';

function expectClose(actual: readonly number[], expected: readonly number[], digits: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

/** Column-major 4x4 times a point (three.js Matrix4 elements). */
function applyColumnMajor(m: readonly number[], p: readonly number[], w: number): [number, number, number] {
  const row = (r: number) => m[r]! * p[0]! + m[4 + r]! * p[1]! + m[8 + r]! * p[2]! + m[12 + r]! * w;
  return [row(0), row(1), row(2)];
}

describe('gl-convention', () => {
  it('the identity OpenCV view is a GL camera at the origin looking down -z with y up', () => {
    const m = viewToGlCameraMatrix(IDENTITY_VIEW);
    expectClose(m, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], 15);
    // In head space that camera looks along +z (into the face) with image y down: CV's identity.
    expectClose(glPointToCv(applyColumnMajor(m, [0, 0, -1], 0)), [0, 0, 1], 15);
    expectClose(glPointToCv(applyColumnMajor(m, [0, 1, 0], 0)), [0, -1, 0], 15);
  });

  it('a GL camera built from a view sits at the camera centre, looks at the target, and keeps the image up', () => {
    const state = cameraState([0.8, -0.6, -2], [0.1, 0.05, 0], 15, 25);
    const m = viewToGlCameraMatrix(state.view);
    expectClose(m.slice(12, 15), cvPointToGl(state.position), 12);
    const forward = applyColumnMajor(m, [0, 0, -1], 0);
    const toTarget = cvPointToGl(state.target).map((v, i) => v - cvPointToGl(state.position)[i]!);
    const n = Math.hypot(...toTarget);
    expectClose(forward, toTarget.map((v) => v / n), 12);
    // GL camera up (+y) is CV image up (-y): the view's second row, negated, in GL world axes.
    expectClose(glPointToCv(applyColumnMajor(m, [0, 1, 0], 0)), state.view.slice(4, 7).map((v) => -v), 12);
    expect(m[15]).toBe(1);
  });

  it('row-major is the transpose of column-major, and both round-trip', () => {
    const view = cameraState([-1.1, 0.3, -1.7], [0, 0, 0.2], -40, 25).view;
    expect(viewToGlCameraToWorldRowMajor(view)).toEqual(transpose4(viewToGlCameraMatrix(view)));
    expectClose(glCameraMatrixToView(viewToGlCameraMatrix(view)), view, 14);
    expectClose(glCameraToWorldRowMajorToView(viewToGlCameraToWorldRowMajor(view)), view, 14);
    expectClose(cvPointToGl(glPointToCv([1, 2, 3])), [1, 2, 3], 15);
  });
});
