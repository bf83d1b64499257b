/**
 * Anti-aliasing of a predicted avatar for rendering above the model's resolution, in the spirit
 * of Mip-Splatting's 3D smoothing filter (Yu et al., CVPR 2024).
 *
 * The network is trained on renders at its own input resolution R, where the rasterizer adds
 * DILATION_PX2 = 0.3 px² to every projected covariance (the 3DGS low-pass). It learns to lean on
 * that: most splats are far thinner than a source pixel (the committed tiny pack: median 0.16 of
 * a pixel's footprint), and the dilation fills the gaps between them. Rendered at 4x R (an export
 * frame) the dilation shrinks to a sixteenth in world terms and the face breaks into dots.
 * Adding that same low-pass in world space, an isotropic variance of DILATION_PX2 source pixels²
 * at each splat's depth, keeps the look the model was trained for at every output size: at R it
 * blurs by one more dilation (the tiny pack's source-view PSNR goes from 26.6 to 23.9 dB at 64 px),
 * at 4x R it removes the dots (8.7 to 23.3 dB against the 256 px source).
 * Opacities are left as they are: the training renders did not compensate the dilation either.
 */
import type { SplatBuffers } from '../../../shared/splats/types.ts';

/** The rasterizer's screen-space dilation, px² (src/native-gpu: the 3DGS constant). */
export const DILATION_PX2 = 0.3;

/**
 * Splats with each scale widened to sqrt(s² + DILATION_PX2 * (depth / fx)²), depth being the
 * splat's z in the source camera (view: world-to-camera, row-major) and fx the model input's
 * focal length in pixels. Means, rotations, opacities and colours are shared, not copied.
 */
export function smoothToSourceFootprint(splats: SplatBuffers, view: ArrayLike<number>, fx: number): SplatBuffers {
  if (!(fx > 0)) throw new RangeError(`smoothToSourceFootprint: fx must be > 0, got ${fx}`);
  const { means } = splats;
  const scales = new Float32Array(splats.scales.length);
  const [v8, v9, v10, v11] = [view[8]!, view[9]!, view[10]!, view[11]!];
  for (let i = 0; i < splats.opacities.length; i++) {
    const depth = v8 * means[3 * i]! + v9 * means[3 * i + 1]! + v10 * means[3 * i + 2]! + v11;
    const footprint = depth / fx;
    const add = DILATION_PX2 * footprint * footprint;
    for (let j = 3 * i; j < 3 * i + 3; j++) scales[j] = Math.sqrt(splats.scales[j]! ** 2 + add);
  }
  return { ...splats, scales };
}
