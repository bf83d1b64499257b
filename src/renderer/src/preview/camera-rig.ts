/**
 * Our cameras (CameraState: head space, OpenCV axes) on a three.js camera and back, only through
 * src/shared/camera/gl-convention.ts: the preview's head-space content sits under a root whose
 * matrix is CV_TO_GL_WORLD, the three.js camera lives in that GL world.
 */
import * as THREE from 'three';
import { stateFromView, type CameraState } from '../../../shared/camera/camera-path.ts';
import { CV_TO_GL_WORLD, cvPointToGl, glCameraMatrixToView, viewToGlCameraMatrix } from '../../../shared/camera/gl-convention.ts';
import type { Vec3 } from '../../../shared/project/types.ts';

/** The root matrix for head-space content (symmetric: row- and column-major agree). */
export function headSpaceMatrix(): THREE.Matrix4 {
  return new THREE.Matrix4().fromArray(CV_TO_GL_WORLD as number[]);
}

const scratchMatrix = new THREE.Matrix4();
const scratchScale = new THREE.Vector3();

/**
 * Puts `camera` where `state` says, with `canvasFovDeg` as its vertical field of view (the
 * canvas may be taller than the export frame: view-frame.ts canvasFovDeg).
 */
export function applyCameraState(camera: THREE.PerspectiveCamera, state: CameraState, canvasFovDeg: number): void {
  scratchMatrix.fromArray(viewToGlCameraMatrix(state.view));
  scratchMatrix.decompose(camera.position, camera.quaternion, scratchScale);
  camera.scale.set(1, 1, 1);
  if (camera.fov !== canvasFovDeg) {
    camera.fov = canvasFovDeg;
    camera.updateProjectionMatrix();
  }
  camera.updateMatrixWorld(true);
}

/**
 * The CameraState of `camera` as the creator sees it: its pose, the export field of view
 * `fovDeg`, and a target on the viewing axis at the distance of `focusGl` (the orbit centre,
 * GL world) or `fallbackDistance` without one.
 */
export function readCameraState(camera: THREE.PerspectiveCamera, fovDeg: number, focusGl: THREE.Vector3 | null, fallbackDistance: number): CameraState {
  camera.updateMatrixWorld(true);
  const view = glCameraMatrixToView(camera.matrixWorld.elements);
  const distance = focusGl ? camera.position.distanceTo(focusGl) : fallbackDistance;
  return stateFromView(view, fovDeg, distance > 1e-6 ? distance : fallbackDistance);
}

/** A head-space point as a three.js vector in the GL world. */
export function glVector(p: Vec3): THREE.Vector3 {
  const [x, y, z] = cvPointToGl(p);
  return new THREE.Vector3(x, y, z);
}
