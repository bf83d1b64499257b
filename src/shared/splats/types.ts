/**
 * Splat buffers in the layout of DESIGN.md: structure of arrays, little-endian Float32, N splats.
 * The rasterizer (src/native-gpu), PLY import/export and the project store all use this layout.
 */
export interface SplatBuffers {
  /** [N*3] world positions. */
  means: Float32Array;
  /** [N*3] linear scales (not log). */
  scales: Float32Array;
  /** [N*4] rotations as quaternions (w, x, y, z), unit length. */
  quats: Float32Array;
  /** [N] opacities in 0..1 (not logits). */
  opacities: Float32Array;
  /** [N*3] linear RGB in 0..1 (not spherical harmonics). */
  colors: Float32Array;
}

/** Components per splat of each buffer. */
export const SPLAT_COMPONENTS = { means: 3, scales: 3, quats: 4, opacities: 1, colors: 3 } as const;

export function splatCount(splats: SplatBuffers): number {
  return splats.opacities.length;
}

/** Empty buffers for `count` splats. */
export function allocateSplats(count: number): SplatBuffers {
  return {
    means: new Float32Array(count * 3),
    scales: new Float32Array(count * 3),
    quats: new Float32Array(count * 4),
    opacities: new Float32Array(count),
    colors: new Float32Array(count * 3),
  };
}
