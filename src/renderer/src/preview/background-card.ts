/**
 * The avatar's background (the static generator's inpainted image, float32 RGB [R, R, 3], 0..1)
 * as a flat card in head space, so the preview shows it as the export does.
 *
 * The export composites C + T * background in screen space for the source camera (DESIGN.md
 * "Rasterizer semantics"; scripts/engine-showcase.ts). A card that exactly fills the source
 * camera's frustum at a depth just behind the head gives the same picture from the source
 * camera: the splats blend over the opaque card, so each pixel is C + T * card, and the card's
 * texel under each pixel is the background's. From any other view the card stays where it is,
 * a flat backdrop behind the head with its parallax (the showcase's side views use a neutral
 * grey instead; the preview's clear colour is that grey outside the card).
 */
import { worldToCamera } from '../../../shared/camera/pinhole.ts';
import type { AvatarCamera, Vec3 } from '../../../shared/project/types.ts';

/** Corners in head space, in the order top-left, top-right, bottom-left, bottom-right of the image. */
export type CardCorners = [Vec3, Vec3, Vec3, Vec3];

/** How far behind the farthest splat centre the card stands, as a fraction of that depth. */
const BEHIND_HEAD = 0.05;

/**
 * Depth (along the source camera's axis) just behind every splat centre, or null when no
 * centre is in front of the camera.
 */
export function cardDepth(camera: AvatarCamera, means: Float32Array): number | null {
  let far = -Infinity;
  for (let i = 0; i < means.length; i += 3) {
    const z = worldToCamera(camera.view, [means[i]!, means[i + 1]!, means[i + 2]!])[2];
    if (z > far) far = z;
  }
  return far > 0 ? far * (1 + BEHIND_HEAD) : null;
}

/**
 * The corners of the source camera's image rectangle at `depth`: pixel (u, v) of the model
 * input (resolution R, intrinsics fx, fy, cx, cy) sits at camera point ((u - cx) / fx, (v - cy) / fy, 1) * depth,
 * taken to head space by the inverse of the camera's view.
 */
export function cardCorners(camera: AvatarCamera, depth: number): CardCorners {
  const [fx, fy, cx, cy] = camera.intrinsics as [number, number, number, number];
  const r = camera.resolution;
  const v = camera.view;
  const toWorld = (u: number, w: number): Vec3 => {
    const c: Vec3 = [((u - cx) / fx) * depth, ((w - cy) / fy) * depth, depth];
    // world = R^T (c - t) for view = [R | t].
    const d: Vec3 = [c[0] - v[3]!, c[1] - v[7]!, c[2] - v[11]!];
    return [
      v[0]! * d[0] + v[4]! * d[1] + v[8]! * d[2],
      v[1]! * d[0] + v[5]! * d[1] + v[9]! * d[2],
      v[2]! * d[0] + v[6]! * d[1] + v[10]! * d[2],
    ];
  };
  return [toWorld(0, 0), toWorld(r, 0), toWorld(0, r), toWorld(r, r)];
}

/**
 * RGBA8 texels of the background, row 0 first (the image's top), values clamped and rounded as
 * the export's PNG writer does (src/main/raster/png-writer.ts): they are display values.
 */
export function backgroundTexels(bytes: Uint8Array, resolution: number): Uint8Array {
  const floats = new Float32Array(bytes.slice().buffer);
  const pixels = resolution * resolution;
  if (floats.length !== pixels * 3) throw new RangeError(`background has ${floats.length} floats, want ${pixels * 3} for ${resolution}x${resolution}`);
  const out = new Uint8Array(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) {
      const v = floats[3 * p + c]!;
      out[4 * p + c] = Math.round(255 * (v > 1 ? 1 : v > 0 ? v : 0));
    }
    out[4 * p + 3] = 255;
  }
  return out;
}
