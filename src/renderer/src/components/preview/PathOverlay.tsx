/**
 * The camera path in 3D, in head space (rendered under the head-space root): the sampled path
 * as a line, a small frustum per key (the export's aspect ratio, a tick on the top edge for
 * roll), selected keys in the accent's warm counterpart. Clicking a frustum selects its key;
 * Shift, Ctrl or Cmd adds or removes it. Dragging a frustum moves its key (key-drag.ts: an orbit
 * key slides on its orbit sphere, a free key in the plane facing the viewer); the path follows
 * while dragging, and the drop is one undoable edit.
 */
import type { ThreeEvent } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { keyState, samplePath } from '../../../../shared/camera/camera-path.ts';
import { dragKey, type KeyDragPatch } from '../../../../shared/camera/key-drag.ts';
import type { CameraKeyframe } from '../../../../shared/project/types.ts';
import { frustumHitTriangles, frustumSegments, pathSegments } from '../../preview/path-geometry.ts';

/** Samples along the whole path (enough for a smooth curve over a few keys). */
const PATH_SAMPLES = 240;
/** Frustum depth in head-space units: about a fifth of a head. */
export const FRUSTUM_DEPTH = 0.18;
/** Pointer travel (px) beyond which a press on a frustum was an orbit drag, not a click. */
const CLICK_SLOP_PX = 4;

const PATH_COLOUR = new THREE.Color('#6d7cff');
const KEY_COLOUR = new THREE.Color('#c9ced8');
const SELECTED_COLOUR = new THREE.Color('#f0b64f');

interface Props {
  keys: readonly CameraKeyframe[];
  aspect: number;
  selectedKeyIds: readonly string[];
  onSelectKeys(ids: string[]): void;
  /** Commits a dragged key's new place; settles when the edit is applied or refused. */
  onMoveKey(id: string, patch: KeyDragPatch): Promise<void>;
  /** A frustum drag starts or ends: the orbit camera must not turn meanwhile. */
  onDragActive(active: boolean): void;
}

interface DragStart {
  id: string;
  pointerId: number;
  x: number;
  y: number;
  moved: boolean;
  /** Where the key goes if dropped now. */
  patch: KeyDragPatch | null;
}

/** r3f's event target: typed as the DOM's, it is r3f's own with pointer capture for the hit object. */
function captureTarget(event: ThreeEvent<PointerEvent>): Pick<Element, 'setPointerCapture' | 'releasePointerCapture'> {
  return event.target as unknown as Pick<Element, 'setPointerCapture' | 'releasePointerCapture'>;
}

function useLineGeometry(positions: Float32Array): THREE.BufferGeometry {
  const geometry = useMemo(() => {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.Float32BufferAttribute(positions, 3));
    return g;
  }, [positions]);
  useEffect(() => () => geometry.dispose(), [geometry]);
  return geometry;
}

export function PathOverlay({ keys: savedKeys, aspect, selectedKeyIds, onSelectKeys, onMoveKey, onDragActive }: Props) {
  const groupRef = useRef<THREE.Group>(null);
  const drag = useRef<DragStart | null>(null);
  const [draft, setDraft] = useState<{ id: string; patch: KeyDragPatch } | null>(null);
  const keys = useMemo(() => (draft ? savedKeys.map((k) => (k.id === draft.id ? { ...k, ...draft.patch } : k)) : savedKeys), [savedKeys, draft]);
  const path = useMemo(() => {
    if (keys.length < 2) return new Float32Array(0);
    return pathSegments(samplePath(keys, keys[0]!.timeS, keys[keys.length - 1]!.timeS, PATH_SAMPLES));
  }, [keys]);
  const pathGeometry = useLineGeometry(path);
  const selected = useMemo(() => new Set(selectedKeyIds), [selectedKeyIds]);

  const select = (id: string, event: ThreeEvent<MouseEvent>): void => {
    if (event.delta > CLICK_SLOP_PX) return;
    event.stopPropagation();
    const additive = event.shiftKey || event.ctrlKey || event.metaKey;
    if (!additive) onSelectKeys([id]);
    else onSelectKeys(selected.has(id) ? selectedKeyIds.filter((k) => k !== id) : [...selectedKeyIds, id]);
  };

  const startDrag = (id: string, event: ThreeEvent<PointerEvent>): void => {
    if (event.button !== 0 || event.shiftKey || event.ctrlKey || event.metaKey) return;
    event.stopPropagation();
    captureTarget(event).setPointerCapture(event.pointerId);
    drag.current = { id, pointerId: event.pointerId, x: event.clientX, y: event.clientY, moved: false, patch: null };
    onDragActive(true);
  };

  const moveDrag = (event: ThreeEvent<PointerEvent>): void => {
    const active = drag.current;
    const group = groupRef.current;
    if (!active || active.pointerId !== event.pointerId || !group) return;
    event.stopPropagation();
    if (!active.moved && Math.hypot(event.clientX - active.x, event.clientY - active.y) <= CLICK_SLOP_PX) return;
    active.moved = true;
    const key = savedKeys.find((k) => k.id === active.id);
    if (!key) return;
    // The pointer's ray and the viewer's direction in head space, where keys live.
    const toHead = group.matrixWorld.clone().invert();
    const ray = event.ray.clone().applyMatrix4(toHead);
    const forward = event.camera.getWorldDirection(new THREE.Vector3()).transformDirection(toHead);
    const patch = dragKey(key, { origin: ray.origin.toArray(), direction: ray.direction.toArray() }, forward.toArray());
    if (!patch) return;
    active.patch = patch;
    setDraft({ id: active.id, patch });
  };

  const endDrag = (event: ThreeEvent<PointerEvent>): void => {
    const active = drag.current;
    if (!active || active.pointerId !== event.pointerId) return;
    event.stopPropagation();
    captureTarget(event).releasePointerCapture(event.pointerId);
    drag.current = null;
    onDragActive(false);
    const patch = active.moved ? active.patch : null;
    if (!patch) {
      setDraft(null);
      return;
    }
    if (!selected.has(active.id)) onSelectKeys([active.id]);
    // The draft stays drawn until the edit lands (or is refused), so the frustum never jumps back.
    void onMoveKey(active.id, patch).finally(() => setDraft(null));
  };

  return (
    <group name="camera-path" ref={groupRef}>
      {path.length > 0 && (
        <lineSegments geometry={pathGeometry} renderOrder={1}>
          <lineBasicMaterial color={PATH_COLOUR} toneMapped={false} />
        </lineSegments>
      )}
      {keys.map((key) => (
        <KeyFrustum
          key={key.id}
          keyframe={key}
          aspect={aspect}
          selected={selected.has(key.id) || draft?.id === key.id}
          handlers={{
            onClick: (e) => select(key.id, e),
            onPointerDown: (e) => startDrag(key.id, e),
            onPointerMove: moveDrag,
            onPointerUp: endDrag,
            onPointerCancel: endDrag,
          }}
        />
      ))}
    </group>
  );
}

interface FrustumHandlers {
  onClick(e: ThreeEvent<MouseEvent>): void;
  onPointerDown(e: ThreeEvent<PointerEvent>): void;
  onPointerMove(e: ThreeEvent<PointerEvent>): void;
  onPointerUp(e: ThreeEvent<PointerEvent>): void;
  onPointerCancel(e: ThreeEvent<PointerEvent>): void;
}

function KeyFrustum({ keyframe, aspect, selected, handlers }: { keyframe: CameraKeyframe; aspect: number; selected: boolean; handlers: FrustumHandlers }) {
  const state = useMemo(() => keyState(keyframe), [keyframe]);
  const lines = useLineGeometry(useMemo(() => frustumSegments(state, aspect, FRUSTUM_DEPTH), [state, aspect]));
  const hit = useLineGeometry(useMemo(() => frustumHitTriangles(state, aspect, FRUSTUM_DEPTH), [state, aspect]));
  return (
    <group name={`camera-key-${keyframe.id}`}>
      <lineSegments geometry={lines} renderOrder={2}>
        <lineBasicMaterial color={selected ? SELECTED_COLOUR : KEY_COLOUR} toneMapped={false} />
      </lineSegments>
      {/* Invisible but hit by the pointer: the pyramid of the frustum. */}
      <mesh geometry={hit} {...handlers}>
        <meshBasicMaterial colorWrite={false} depthWrite={false} side={THREE.DoubleSide} />
      </mesh>
    </group>
  );
}
