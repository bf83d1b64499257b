/**
 * The live 3D preview (issue 6, item 3): the active avatar's splats with the baked offsets of
 * the playhead applied each frame (Spark under @react-three/fiber), the background as the export
 * shows it, an orbit camera or the view through the camera path, the safe frame of the export's
 * aspect ratio, the camera path with its key frustums, a frame-time readout and a "Baking" badge
 * while the frame under the playhead is not baked yet.
 *
 * For tests and tools, the root element carries data-testid="splat-preview", data-splat-count,
 * data-anim-time (animation seconds of the last frame), data-baked ("true" when the frame shows
 * what the export will), data-frame-state (offset-stream.ts FrameState), data-frames (frames
 * drawn, for checking that nothing renders while nothing changes), data-frame-ms (the readout:
 * median ms from a frame's start to the GPU finishing it, fence-timer.ts), data-cpu-ms (median
 * CPU ms to update and submit a frame) and data-mode.
 */
import type { KeyDragPatch } from '../../../../shared/camera/key-drag.ts';
import { Canvas } from '@react-three/fiber';
import { useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import * as THREE from 'three';
import { defaultCameraState, type CameraState } from '../../../../shared/camera/camera-path.ts';
import { BACKDROP_GREY } from '../../../../shared/camera/background-card.ts';
import { CAMERA_FAR, CAMERA_NEAR } from '../../../../shared/camera/projection.ts';
import type { ProjectSnapshot } from '../../../../shared/project/types.ts';
import { useBakeStatuses } from '../../hooks/use-bake-statuses.ts';
import type { Transport } from '../../playback/transport.ts';
import { useAvatarHead } from '../../preview/use-avatar-head.ts';
import { OffsetStream } from '../../preview/offset-stream.ts';
import { avatarKey } from '../../preview/avatar-head.ts';
import { useStudio } from '../../state/studio-context.ts';
import { DomFrameReport, type Badge } from './frame-report.ts';
import { PreviewScene, type SceneHandle } from './PreviewScene.tsx';
import { SafeFrame } from './SafeFrame.tsx';
import '../../styles/preview.css';

export interface SplatPreviewHandle {
  /** The view the user sees now (for "add key from view"). */
  currentView(): CameraState;
}

interface Props {
  snapshot: ProjectSnapshot;
  transport: Transport;
  mode: 'path' | 'orbit';
  /** Export aspect ratio (width / height) the safe frame shows. */
  safeFrameAspect: number;
  selectedKeyIds: readonly string[];
  onSelectKeys(ids: string[]): void;
  onMoveKey(id: string, patch: KeyDragPatch): Promise<void>;
  ref?: Ref<SplatPreviewHandle>;
}

/** The canvas's clear colour outside the background card: the showcase's neutral grey, as the export fills it. */
const CLEAR_COLOUR = new THREE.Color(`rgb(${BACKDROP_GREY}, ${BACKDROP_GREY}, ${BACKDROP_GREY})`);

export function SplatPreview({ snapshot, transport, mode, safeFrameAspect, selectedKeyIds, onSelectKeys, onMoveKey, ref }: Props) {
  const { client } = useStudio();
  const avatar = snapshot.avatars.find((a) => a.id === snapshot.activeAvatarId) ?? null;
  const head = useAvatarHead(avatar);
  const { statuses } = useBakeStatuses();
  const rootRef = useRef<HTMLDivElement>(null);
  const readoutRef = useRef<HTMLSpanElement>(null);
  const scene = useRef<SceneHandle>(null);
  const dataVersion = useRef(0);
  const invalidateRef = useRef<(() => void) | null>(null);
  const [badge, setBadge] = useState<Badge>({ state: 'rest', percent: null });

  const stream = useMemo(
    () =>
      new OffsetStream({
        fetcher: {
          offsets: (clipId, firstFrame, count, signal) => client.call('bake.offsets', { clipId, firstFrame, count }, { signal }),
          restOffsets: (avatarId, signal) => client.call('bake.restOffsets', { avatarId }, { signal }),
        },
        onData: () => {
          dataVersion.current++;
          invalidateRef.current?.();
        },
      }),
    [client],
  );
  useEffect(() => () => stream.dispose(), [stream]);

  const mediaDurations = useMemo(() => new Map(snapshot.media.map((m) => [m.id, m.durationS ?? 0])), [snapshot.media]);
  const readyHead = head.status === 'ready' ? head.head : null;
  useEffect(() => {
    stream.setSources({
      avatarKey: avatar && readyHead ? avatarKey(avatar) : null,
      avatarId: avatar?.id ?? null,
      numSplats: readyHead?.numSplats ?? 0,
      clips: snapshot.clips,
      tracks: snapshot.tracks,
      mediaDurations,
      timeWarp: snapshot.timeWarp,
      statuses,
    });
    dataVersion.current++;
    invalidateRef.current?.();
  }, [stream, avatar, readyHead, snapshot.clips, snapshot.tracks, snapshot.timeWarp, mediaDurations, statuses]);

  const avatarCamera = avatar?.camera ?? null;
  useImperativeHandle(ref, () => ({ currentView: () => scene.current?.currentView() ?? defaultCameraState(avatarCamera) }), [avatarCamera]);

  const report = useMemo(() => new DomFrameReport(rootRef, readoutRef, setBadge), []);

  return (
    <div
      ref={rootRef}
      className="splat-preview"
      data-testid="splat-preview"
      data-splat-count={readyHead?.numSplats ?? 0}
      data-mode={mode}
      data-baked="false"
      data-loaded={readyHead ? 'true' : 'false'}
    >
      {avatar && readyHead ? (
        <Canvas
          className="splat-preview-canvas"
          frameloop="demand"
          flat
          dpr={[1, 2]}
          gl={{ antialias: false, alpha: false, powerPreference: 'high-performance' }}
          camera={{ near: CAMERA_NEAR, far: CAMERA_FAR, fov: 25 }}
          onCreated={(state) => {
            state.gl.setClearColor(CLEAR_COLOUR, 1);
            invalidateRef.current = () => state.invalidate();
          }}
        >
          <PreviewScene
            ref={scene}
            head={readyHead}
            avatarCamera={avatar.camera}
            keys={snapshot.cameraKeys}
            transport={transport}
            mode={mode}
            safeFrameAspect={safeFrameAspect}
            selectedKeyIds={selectedKeyIds}
            onSelectKeys={onSelectKeys}
            onMoveKey={onMoveKey}
            stream={stream}
            dataVersion={dataVersion}
            report={report}
          />
        </Canvas>
      ) : (
        <div className="splat-preview-status" data-testid="splat-preview-status">
          {head.status === 'error' ? `The 3D preview could not load: ${head.message}` : avatar ? 'Loading the 3D head…' : 'No avatar yet'}
        </div>
      )}
      <SafeFrame aspect={safeFrameAspect} />
      <div className="splat-preview-hud">
        <BakeBadge badge={badge} />
        <span className="splat-preview-readout" title="Frame time: median over the last 60 frames from the start of a frame's work to the GPU finishing it">
          <span ref={readoutRef} data-testid="preview-frame-ms">–</span> ms
        </span>
      </div>
    </div>
  );
}

function BakeBadge({ badge }: { badge: Badge }) {
  if (badge.state === 'baking') {
    return (
      <span className="splat-preview-badge" data-testid="preview-bake-badge" data-state="baking">
        Baking {badge.percent ?? 0}% · rest pose shown
      </span>
    );
  }
  if (badge.state === 'failed') {
    return (
      <span className="splat-preview-badge is-failed" data-testid="preview-bake-badge" data-state="failed">
        Bake failed · rest pose shown
      </span>
    );
  }
  if (badge.state === 'loading') {
    return (
      <span className="splat-preview-badge is-quiet" data-testid="preview-bake-badge" data-state="loading">
        Loading frames…
      </span>
    );
  }
  return null;
}
