/**
 * The avatar's splats in the scene through Spark (@sparkjsdev/spark): one SparkRenderer for the
 * canvas, one SplatMesh over the avatar's PackedSplats, under the head-space root. Centres are
 * rewritten through `setCentres` (means + offsets) and uploaded before the next render.
 */
import { PackedSplats, SparkRenderer, SplatMesh } from '@sparkjsdev/spark';
import { useThree } from '@react-three/fiber';
import { useEffect, useImperativeHandle, useState, type Ref } from 'react';
import type * as THREE from 'three';
import type { PreparedHead } from '../../preview/avatar-head.ts';
import { writeCentres } from '../../preview/splat-packing.ts';

export interface SplatLayerHandle {
  /** Centres = means + offsets (null: the means); shown from the next render on. */
  setCentres(offsets: Float32Array | null): void;
  /** True once the splats are in the scene. */
  ready(): boolean;
}

/**
 * Spark's settings that make it rasterize as DESIGN.md's rasterizer does: +0.3 px low-pass on
 * the 2D covariance without opacity compensation (3DGS), 3-sigma extent, alpha below 1/255
 * skipped, splats ordered by view depth (per-tile depth order), not by distance.
 */
const RASTER_MATCH = { preBlurAmount: 0.3, blurAmount: 0, maxStdDev: 3, minAlpha: 1 / 255, sortRadial: false } as const;

interface Props {
  head: PreparedHead;
  root: THREE.Object3D;
  ref?: Ref<SplatLayerHandle>;
}

/** Longer than one sort of 65,536 splats in software WebGL (about 1.7 s measured by bench:preview). */
const SPARK_DISPOSE_DELAY_MS = 5000;

export function SplatLayer({ head, root, ref }: Props) {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const invalidate = useThree((s) => s.invalidate);
  const [parts, setParts] = useState<{ packedSplats: PackedSplats; mesh: SplatMesh } | null>(null);

  // One SparkRenderer per canvas; a finished sort asks for a render (on-demand frame loop).
  useEffect(() => {
    const spark = new SparkRenderer({ renderer: gl, onDirty: () => invalidate(), ...RASTER_MATCH });
    scene.add(spark);
    return () => {
      scene.remove(spark);
      // Spark 2.2 sorts asynchronously (GPU depth readback through three's fence polling, then a
      // worker). Out of the scene no new sort starts, so the one in flight is let finish before
      // dispose (disposing under it throws "No target"). When the whole canvas goes, its context
      // goes too, and three's fence poll of that sort rejects with no reason at all
      // (WAIT_FAILED): that one rejection is expected and swallowed during teardown only.
      const swallowLostReadback = (e: PromiseRejectionEvent): void => {
        if (e.reason === undefined) e.preventDefault();
      };
      window.addEventListener('unhandledrejection', swallowLostReadback);
      setTimeout(() => {
        spark.dispose();
        window.removeEventListener('unhandledrejection', swallowLostReadback);
      }, SPARK_DISPOSE_DELAY_MS);
    };
  }, [gl, scene, invalidate]);

  // The head's packed array is its own and is rewritten in place each frame.
  useEffect(() => {
    const packedSplats = new PackedSplats({ packedArray: head.packed.packed, numSplats: head.numSplats, splatEncoding: head.packed.encoding });
    // SplatMesh replaces the PackedSplats' encoding with its own option (Spark 2.2 SplatMesh
    // constructor), so the avatar's scale range goes to both.
    const mesh = new SplatMesh({ packedSplats, splatEncoding: head.packed.encoding, editable: false, raycastable: false });
    root.add(mesh);
    // Spark's objects live outside React and are made and disposed with this effect; the state
    // only tells the handle that they exist.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setParts({ packedSplats, mesh });
    invalidate();
    return () => {
      root.remove(mesh);
      mesh.dispose();
      setParts(null);
    };
  }, [head, root, invalidate]);

  useImperativeHandle(
    ref,
    () => ({
      setCentres(offsets) {
        if (!parts) return;
        writeCentres(head.packed.packed, head.means, offsets);
        parts.packedSplats.needsUpdate = true;
        parts.mesh.updateVersion();
      },
      ready: () => parts !== null,
    }),
    [head, parts],
  );
  return null;
}
