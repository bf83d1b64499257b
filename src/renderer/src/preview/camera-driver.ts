/**
 * Who moves the preview's camera: three.js OrbitControls in 'orbit' mode (left drag orbits
 * about the target, wheel dollies, right drag pans; the GL world is y-up, so the controls' usual
 * up axis is the head's up: gl-convention.ts), the camera path in 'path' mode. Either way the
 * frame's vertical field of view is the state's `fovDeg` inside the safe frame (view-frame.ts).
 */
import type * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { cameraAt, type CameraState, type PathKey } from '../../../shared/camera/camera-path.ts';
import { applyCameraState, glVector, readCameraState } from './camera-rig.ts';
import { canvasFovDeg } from './view-frame.ts';

export type PreviewMode = 'path' | 'orbit';

export interface CameraFrame {
  mode: PreviewMode;
  keys: readonly PathKey[];
  outputS: number;
  /** The camera without keys: the avatar's source view (camera-path.ts defaultCameraState). */
  fallback: CameraState;
  /** Canvas size in CSS pixels and the export aspect ratio (width / height). */
  width: number;
  height: number;
  frameAspect: number;
}

export class CameraDriver {
  readonly controls: OrbitControls;
  private readonly camera: THREE.PerspectiveCamera;
  private mode: PreviewMode | null = null;
  /** The export field of view of the orbit camera (the wheel dollies; it never zooms). */
  private orbitFovDeg: number;
  private pathState: CameraState | null = null;

  constructor(camera: THREE.PerspectiveCamera, dom: HTMLElement, start: CameraState, onChange: () => void) {
    this.camera = camera;
    this.orbitFovDeg = start.fovDeg;
    this.controls = new OrbitControls(camera, dom);
    this.controls.enableDamping = false;
    this.controls.zoomToCursor = false;
    this.controls.minDistance = 0.05;
    this.controls.maxDistance = 50;
    this.controls.addEventListener('change', onChange);
    this.resetOrbit(start);
  }

  /** Puts the orbit camera at `state` (its roll is dropped: the orbit camera stays upright). */
  resetOrbit(state: CameraState): void {
    this.orbitFovDeg = state.fovDeg;
    applyCameraState(this.camera, state, this.camera.fov);
    this.controls.target.copy(glVector(state.target));
    this.controls.update();
  }

  /** Places the camera for this frame. */
  update(frame: CameraFrame): void {
    if (frame.mode !== this.mode) {
      // Leaving the path: orbit on from what the path showed, about its target.
      if (frame.mode === 'orbit' && this.mode === 'path' && this.pathState) this.resetOrbit(this.pathState);
      this.mode = frame.mode;
      this.controls.enabled = frame.mode === 'orbit';
    }
    if (frame.mode === 'path') {
      const state = cameraAt(frame.keys, frame.outputS) ?? frame.fallback;
      this.pathState = state;
      applyCameraState(this.camera, state, canvasFovDeg(state.fovDeg, frame.width, frame.height, frame.frameAspect));
      return;
    }
    const fov = canvasFovDeg(this.orbitFovDeg, frame.width, frame.height, frame.frameAspect);
    if (this.camera.fov !== fov) {
      this.camera.fov = fov;
      this.camera.updateProjectionMatrix();
    }
    this.camera.updateMatrixWorld(true);
  }

  /** The camera the creator sees now, as a CameraState (export field of view). */
  currentView(): CameraState {
    if (this.mode === 'path' && this.pathState) return this.pathState;
    return readCameraState(this.camera, this.orbitFovDeg, this.controls.target, 1);
  }

  dispose(): void {
    this.controls.dispose();
  }
}
