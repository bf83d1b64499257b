/**
 * Everything inside the preview's canvas: the head-space root (CV_TO_GL_WORLD, gl-convention.ts)
 * holding the splats, the background card and the camera path; the camera driver; and the one
 * frame loop that, per rendered frame, places the camera, samples the offsets at the playhead,
 * rewrites the centres when what is shown changed, renders and times it.
 *
 * Rendering is on demand (the Canvas's frameloop is 'demand'): a frame is drawn when something
 * asks (transport change, new data, a sort that landed, orbiting, new props), and every
 * animation frame while the transport plays.
 */
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref, type RefObject } from 'react';
import * as THREE from 'three';
import { defaultCameraState, type CameraState } from '../../../../shared/camera/camera-path.ts';
import { keyPosition } from '../../../../shared/camera/camera-path.ts';
import type { KeyDragPatch } from '../../../../shared/camera/key-drag.ts';
import type { AvatarCamera, CameraKeyframe } from '../../../../shared/project/types.ts';
import type { Transport } from '../../playback/transport.ts';
import type { PreparedHead } from '../../preview/avatar-head.ts';
import { CameraDriver, type PreviewMode } from '../../preview/camera-driver.ts';
import { headSpaceMatrix } from '../../preview/camera-rig.ts';
import { FenceTimer } from '../../preview/fence-timer.ts';
import { FrameTimer } from '../../preview/frame-timer.ts';
import type { FrameSample, OffsetStream } from '../../preview/offset-stream.ts';
import { BackgroundCard } from './BackgroundCard.tsx';
import { FRUSTUM_DEPTH, PathOverlay } from './PathOverlay.tsx';
import { SplatLayer, type SplatLayerHandle } from './SplatLayer.tsx';

export interface SceneHandle {
  currentView(): CameraState;
}

/** Where each frame reports what it showed (written straight to the DOM, not React state). */
export interface FrameReport {
  /** A frame was submitted; `cpuMedianMs`: median CPU time to update and submit, recent frames. */
  frame(sample: FrameSample, cpuMedianMs: number | null): void;
  /** A frame finished on the GPU; median time from its start, recent frames. */
  finished(medianMs: number | null): void;
  /** Where each key's frustum is on the canvas (CSS px, a point inside it), or [] when the path is not drawn. */
  keyPoints(points: readonly KeyPoint[]): void;
}

export interface KeyPoint {
  id: string;
  x: number;
  y: number;
}

interface Props {
  head: PreparedHead;
  avatarCamera: AvatarCamera;
  keys: readonly CameraKeyframe[];
  transport: Transport;
  mode: PreviewMode;
  safeFrameAspect: number;
  selectedKeyIds: readonly string[];
  onSelectKeys(ids: string[]): void;
  onMoveKey(id: string, patch: KeyDragPatch): Promise<void>;
  stream: OffsetStream;
  /** Bumped by the owner whenever the stream's data or sources changed. */
  dataVersion: RefObject<number>;
  report: FrameReport;
  ref?: Ref<SceneHandle>;
}

export function PreviewScene(props: Props) {
  const { head, avatarCamera, keys, transport, mode, safeFrameAspect, selectedKeyIds, onSelectKeys, onMoveKey, stream, dataVersion, report, ref } = props;
  const camera = useThree((s) => s.camera) as THREE.PerspectiveCamera;
  const gl = useThree((s) => s.gl);
  const invalidate = useThree((s) => s.invalidate);
  const [root, setRoot] = useState<THREE.Group | null>(null);
  const layer = useRef<SplatLayerHandle>(null);
  const driver = useRef<CameraDriver | null>(null);
  const cpuTimer = useMemo(() => new FrameTimer(), []);
  const fence = useRef<FenceTimer | null>(null);
  const offsets = useMemo(() => new Float32Array(head.numSplats * 3), [head]);
  const shown = useRef<string | null>(null);
  // Per avatar generation (head.key), not per snapshot: every snapshot brings a new camera
  // object, and a new fallback would reset the orbit camera.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const fallback = useMemo(() => defaultCameraState(avatarCamera), [head.key]);
  const rootMatrix = useMemo(() => headSpaceMatrix(), []);

  // The orbit camera starts at the avatar's source view, again for each new avatar.
  useEffect(() => {
    const d = new CameraDriver(camera, gl.domElement, fallback, () => invalidate());
    driver.current = d;
    invalidate();
    return () => {
      d.dispose();
      driver.current = null;
    };
  }, [camera, gl, fallback, invalidate]);

  // Frame time = start of the frame's work to the GPU finishing it (fence-timer.ts).
  useEffect(() => {
    const finished = new FrameTimer();
    const context = gl.getContext();
    const timer =
      'fenceSync' in context
        ? new FenceTimer(context, (ms) => {
            finished.add(ms);
            report.finished(finished.median());
          })
        : null;
    fence.current = timer;
    return () => {
      timer?.dispose();
      fence.current = null;
    };
  }, [gl, report]);

  useEffect(() => transport.on('change', () => invalidate()), [transport, invalidate]);
  useEffect(() => {
    shown.current = null;
    invalidate();
  }, [head, keys, mode, safeFrameAspect, selectedKeyIds, invalidate]);

  useImperativeHandle(ref, () => ({ currentView: () => driver.current?.currentView() ?? fallback }), [fallback]);

  useFrame((state) => {
    const start = performance.now();
    const outputS = transport.getTimeS();
    driver.current?.update({ mode, keys, outputS, fallback, width: state.size.width, height: state.size.height, frameAspect: safeFrameAspect });
    const sample = stream.sample(outputS, offsets);
    // Rewriting 65k centres costs a few ms: only when what is shown changed.
    const signature = `${sample.state}|${sample.clipId}|${sample.animS}|${dataVersion.current}`;
    if (signature !== shown.current && layer.current?.ready()) {
      layer.current.setCentres(offsets);
      shown.current = signature;
    }
    state.gl.render(state.scene, state.camera);
    cpuTimer.add(performance.now() - start);
    fence.current?.frameSubmitted(start);
    report.frame(sample, cpuTimer.median());
    report.keyPoints(mode === 'orbit' ? keyScreenPoints(keys, rootMatrix, state.camera, state.size) : []);
    if (transport.isPlaying()) state.invalidate();
  }, 1);

  return (
    <group ref={setRoot} matrixAutoUpdate={false} matrix={rootMatrix} name="head-space">
      {root && <SplatLayer ref={layer} head={head} root={root} />}
      {root && head.background && <BackgroundCard background={head.background} root={root} />}
      {mode === 'orbit' && (
        <PathOverlay
          keys={keys}
          aspect={safeFrameAspect}
          selectedKeyIds={selectedKeyIds}
          onSelectKeys={onSelectKeys}
          onMoveKey={onMoveKey}
          onDragActive={(active) => {
            if (driver.current) driver.current.controls.enabled = !active;
          }}
        />
      )}
    </group>
  );
}

const scratch = new THREE.Vector3();
const towardsTarget = new THREE.Vector3();

/**
 * A point inside each key's frustum (on its axis, 60% of the way from the apex to the image
 * rectangle), projected onto the canvas in CSS pixels.
 */
function keyScreenPoints(keys: readonly CameraKeyframe[], headToWorld: THREE.Matrix4, camera: THREE.Camera, size: { width: number; height: number }): KeyPoint[] {
  return keys.map((key) => {
    scratch.fromArray(keyPosition(key));
    towardsTarget.fromArray(key.target).sub(scratch).normalize();
    scratch.addScaledVector(towardsTarget, 0.6 * FRUSTUM_DEPTH).applyMatrix4(headToWorld).project(camera);
    return { id: key.id, x: ((scratch.x + 1) / 2) * size.width, y: ((1 - scratch.y) / 2) * size.height };
  });
}
