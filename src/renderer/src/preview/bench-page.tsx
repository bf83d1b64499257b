/**
 * The page bench/preview.ts measures (not part of the app bundle: only bench/preview-page/index.html
 * loads it). It mounts the real SplatPreview with a stand-in studio client that serves a synthetic
 * head of `?splats=` splats (default 65,536) and a 60 s clip whose baked offsets move every centre
 * every frame, then plays the transport on a loop, so each animation frame goes through the
 * preview's whole path: offset stream, interpolation, centre rewrite, upload, Spark, render.
 * window.__previewBench says when the head is on screen.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { StudioClient } from '../../../shared/api/contract.ts';
import type { BakeStatus } from '../../../shared/api/engine-types.ts';
import { defaultCameraState } from '../../../shared/camera/camera-path.ts';
import { presetKeys } from '../../../shared/camera/camera-presets.ts';
import { intrinsicsFromFovY } from '../../../shared/camera/pinhole.ts';
import type { Avatar, ProjectSnapshot } from '../../../shared/project/types.ts';
import { splatsToBytes } from '../../../shared/splats/splat-bytes.ts';
import { allocateSplats } from '../../../shared/splats/types.ts';
import { SplatPreview } from '../components/preview/SplatPreview.tsx';
import { StudioContext, type StudioServices } from '../state/studio-context.ts';
import { createStandInTransport } from './stand-in-transport.ts';
import '../styles/theme.css';
import '../styles/base.css';

const params = new URLSearchParams(location.search);
const N = Number(params.get('splats') ?? 65_536);
/** 'path' (default: the bench looks through the camera path) or 'orbit' (shows the path in 3D). */
const MODE = params.get('mode') === 'orbit' ? 'orbit' : 'path';
/** With `keys=1`, the paper's bullet sweep as camera keys over the first 4 s. */
const WITH_KEYS = params.get('keys') === '1';
const FPS = 25;
const CLIP_S = 60;
const FRAMES = CLIP_S * FPS;
/** Distinct offset frames precomputed and served cyclically (fetching must not dominate the bench). */
const CYCLE = 50;
const RESOLUTION = 256;
const DISTANCE = 2.7;

/** A deterministic pseudo-random sequence (mulberry32), so every run draws the same head. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A head as the static generator makes one: one splat per pixel of a square grid over the source
 * camera's image (sqrt(N) on a side), each about a pixel wide, at the depth of an ellipsoid's
 * front where the head is and of a backdrop behind it elsewhere (head space, OpenCV axes, the
 * camera at z = -DISTANCE looking along +z). Overdraw is a few layers, as with a real avatar.
 */
function syntheticHead(): Uint8Array {
  const s = allocateSplats(N);
  const side = Math.ceil(Math.sqrt(N));
  const halfWidth = DISTANCE * Math.tan((12.5 * Math.PI) / 180);
  const pixel = (2 * halfWidth) / side;
  const rand = random(7);
  for (let i = 0; i < N; i++) {
    const x = ((i % side) + 0.5) * pixel - halfWidth;
    const y = (Math.floor(i / side) + 0.5) * pixel - halfWidth;
    const inside = 1 - (x / 0.3) ** 2 - (y / 0.4) ** 2;
    const z = inside > 0 ? -0.3 * Math.sqrt(inside) : 0.35;
    // At its depth the pinhole ray through the grid point; a pixel's footprint scales with depth.
    const k = (DISTANCE + z) / DISTANCE;
    s.means.set([x * k, y * k, z], 3 * i);
    s.scales.set([0.6 * pixel * k, 0.6 * pixel * k, 0.2 * pixel * k], 3 * i);
    const angle = rand() * Math.PI;
    s.quats.set([Math.cos(angle / 2), 0, 0, Math.sin(angle / 2)], 4 * i);
    s.opacities[i] = 0.9;
    const shade = 0.8 + 0.2 * rand();
    s.colors.set(inside > 0 ? [0.93 * shade, 0.72 * shade, 0.6 * shade] : [0.25 * shade, 0.33 * shade, 0.5 * shade], 3 * i);
  }
  return splatsToBytes(s);
}

/** A vertical gradient as the background, float32 RGB [R, R, 3]. */
function syntheticBackground(): Uint8Array {
  const values = new Float32Array(RESOLUTION * RESOLUTION * 3);
  for (let y = 0; y < RESOLUTION; y++) {
    for (let x = 0; x < RESOLUTION; x++) values.set([0.2, 0.28 + (0.3 * y) / RESOLUTION, 0.45], 3 * (y * RESOLUTION + x));
  }
  return new Uint8Array(values.buffer);
}

/** CYCLE frames of offsets: the lower half of the head opens and closes, every centre moves. */
function offsetCycle(means: Float32Array): Float32Array {
  const out = new Float32Array(CYCLE * N * 3);
  for (let f = 0; f < CYCLE; f++) {
    const open = 0.5 - 0.5 * Math.cos((2 * Math.PI * f) / CYCLE);
    for (let i = 0; i < N; i++) {
      const y = means[3 * i + 1]!;
      out[(f * N + i) * 3 + 1] = 0.02 * open * Math.max(0, y) + 1e-4 * Math.sin(i + f);
    }
  }
  return out;
}

const fy = intrinsicsFromFovY(25, RESOLUTION, RESOLUTION).fy;
const avatar: Avatar = {
  id: 'bench-avatar',
  name: 'Synthetic head',
  portraitMediaId: 'bench-portrait',
  modelName: 'synthetic',
  modelVersion: '1',
  crop: { x: 0, y: 0, size: RESOLUTION },
  faceIndex: 0,
  camera: {
    view: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, DISTANCE, 0, 0, 0, 1],
    camToWorld: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -DISTANCE, 0, 0, 0, 1],
    intrinsics: [fy, fy, RESOLUTION / 2, RESOLUTION / 2],
    resolution: RESOLUTION,
    yawDeg: 0,
    pitchDeg: 0,
    rollDeg: 0,
  },
  splatCount: N,
  warnings: [],
  createdAt: new Date(0).toISOString(),
};

const snapshot: ProjectSnapshot = {
  path: '/bench/synthetic.splatproj',
  name: 'Preview bench',
  schemaVersion: 0,
  media: [
    { id: 'bench-speech', kind: 'audio', name: 'speech.wav', mime: 'audio/wav', sha256: '0', sizeBytes: 0, width: null, height: null, durationS: CLIP_S, sampleRate: 16_000, channels: 1, importedAt: avatar.createdAt },
  ],
  tracks: [{ id: 'bench-track', kind: 'audio', name: 'Audio 1', position: 0, muted: false, solo: false, gain: 1 }],
  clips: [{ id: 'bench-clip', trackId: 'bench-track', mediaId: 'bench-speech', startS: 0, trimInS: 0, trimOutS: 0, gain: 1 }],
  avatars: [avatar],
  activeAvatarId: avatar.id,
  cameraKeys: WITH_KEYS
    ? presetKeys('bullet', { startS: 0, durationS: 4, base: defaultCameraState(avatar.camera) }).map((key, i) => ({ ...key, id: `bench-key-${i}` }))
    : [],
  timeWarp: [],
  view: null,
  history: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null },
  revision: 1,
};

const splats = syntheticHead();
const cycle = offsetCycle(new Float32Array(splats.buffer, 0, N * 3));
const status: BakeStatus = { clipId: 'bench-clip', state: 'done', done: FRAMES, total: FRAMES, fps: FPS, error: null };

/** Answers the five calls the preview makes; everything else is not part of the bench. */
const client = {
  transport: 'web',
  state: 'open',
  async call(method: string, input: Record<string, unknown>) {
    switch (method) {
      case 'avatar.buffers':
        return { avatarId: avatar.id, numSplats: N, splats, background: syntheticBackground(), resolution: RESOLUTION };
      case 'bake.status':
        return [status];
      case 'bake.restOffsets':
        return { numSplats: N, bytes: new Uint8Array(N * 3 * 4) };
      case 'bake.offsets': {
        const first = input.firstFrame as number;
        const count = input.count as number;
        const values = new Float32Array(count * N * 3);
        for (let f = 0; f < count; f++) values.set(cycle.subarray(((first + f) % CYCLE) * N * 3, (((first + f) % CYCLE) + 1) * N * 3), f * N * 3);
        return { clipId: 'bench-clip', fps: FPS, numSplats: N, firstFrame: first, count, bytes: new Uint8Array(values.buffer) };
      }
      default:
        throw new Error(`The preview bench does not serve ${method}`);
    }
  },
  on: () => () => undefined,
  onConnection: () => () => undefined,
  dispose: () => undefined,
} as unknown as StudioClient;

const services = { client, toasts: { show: () => undefined } } as unknown as StudioServices;
const transport = createStandInTransport();
transport.setProgram({ clips: snapshot.clips, tracks: snapshot.tracks, mediaDurations: new Map([['bench-speech', CLIP_S]]), segments: [], endS: CLIP_S });
transport.setLoop({ startS: 0, endS: CLIP_S });

interface BenchWindow {
  __previewBench: { splats: number; play(): void; pause(): void };
}
(window as unknown as BenchWindow).__previewBench = { splats: N, play: () => transport.play(), pause: () => transport.pause() };

const container = document.getElementById('root');
if (!container) throw new Error('the bench page has no #root');
createRoot(container).render(
  <StrictMode>
    <StudioContext.Provider value={services}>
      <div style={{ position: 'fixed', inset: 0 }}>
        <SplatPreview snapshot={snapshot} transport={transport} mode={MODE} safeFrameAspect={16 / 9} selectedKeyIds={WITH_KEYS ? ['bench-key-1'] : []} onSelectKeys={() => undefined} onMoveKey={() => Promise.resolve()} />
      </div>
    </StudioContext.Provider>
  </StrictMode>,
);
