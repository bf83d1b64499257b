/**
 * The camera path in 3D, in head space (rendered under the head-space root): the sampled path
 * as a line, a small frustum per key (the export's aspect ratio, a tick on the top edge for
 * roll), selected keys in the accent's warm counterpart. Clicking a frustum selects its key;
 * Shift, Ctrl or Cmd adds or removes it.
 */
import type { ThreeEvent } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import { keyState, samplePath } from '../../../../shared/camera/camera-path.ts';
import type { CameraKeyframe } from '../../../../shared/project/types.ts';
import { frustumHitTriangles, frustumSegments, pathSegments } from '../../preview/path-geometry.ts';

/** Samples along the whole path (enough for a smooth curve over a few keys). */
const PATH_SAMPLES = 240;
/** Frustum depth in head-space units: about a fifth of a head. */
const FRUSTUM_DEPTH = 0.18;
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

export function PathOverlay({ keys, aspect, selectedKeyIds, onSelectKeys }: Props) {
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

  return (
    <group name="camera-path">
      {path.length > 0 && (
        <lineSegments geometry={pathGeometry} renderOrder={1}>
          <lineBasicMaterial color={PATH_COLOUR} toneMapped={false} />
        </lineSegments>
      )}
      {keys.map((key) => (
        <KeyFrustum key={key.id} keyframe={key} aspect={aspect} selected={selected.has(key.id)} onClick={(e) => select(key.id, e)} />
      ))}
    </group>
  );
}

function KeyFrustum({ keyframe, aspect, selected, onClick }: { keyframe: CameraKeyframe; aspect: number; selected: boolean; onClick(e: ThreeEvent<MouseEvent>): void }) {
  const state = useMemo(() => keyState(keyframe), [keyframe]);
  const lines = useLineGeometry(useMemo(() => frustumSegments(state, aspect, FRUSTUM_DEPTH), [state, aspect]));
  const hit = useLineGeometry(useMemo(() => frustumHitTriangles(state, aspect, FRUSTUM_DEPTH), [state, aspect]));
  return (
    <group name={`camera-key-${keyframe.id}`}>
      <lineSegments geometry={lines} renderOrder={2}>
        <lineBasicMaterial color={selected ? SELECTED_COLOUR : KEY_COLOUR} toneMapped={false} />
      </lineSegments>
      {/* Invisible but hit by the pointer: the pyramid of the frustum. */}
      <mesh geometry={hit} onClick={onClick}>
        <meshBasicMaterial colorWrite={false} depthWrite={false} side={THREE.DoubleSide} />
      </mesh>
    </group>
  );
}
