/**
 * The avatar's background (the static generator's inpainted image, float32 RGB [R, R, 3], 0..1)
 * as a flat card in head space, for the preview (a textured quad, renderer BackgroundCard.tsx) and
 * the export (the same card seen through each frame's pinhole camera, export-background.ts), so
 * both show the same backdrop from every camera (issue 7: what is inside the preview's safe frame
 * is what the video shows).
 *
 * The rasterizer composites C + T * background in screen space for the source camera (DESIGN.md
 * "Rasterizer semantics"). A card that exactly fills the source camera's frustum at a depth just
 * behind the head gives the same picture from the source camera: the splats blend over the opaque
 * card, so each pixel is C + T * card, and the card's texel under each pixel is the background's.
 * From any other view the card stays where it is, a flat backdrop behind the head with its
 * parallax; its scale follows the camera's focal length, so a 16:9 frame shows the source view's
 * square at the same size as the head. So that such frames (and moved cameras) stay filled, the
 * drawn card is larger than the source view: CARD_EXTENT times it each way in the same plane,
 * about the same centre, with the background's edge texels repeated outward (CLAMP_TO_EDGE) and
 * the source view's square unchanged in its middle. Outside the drawn card, and from behind its
 * plane (the preview draws its front side only), the backdrop is BACKDROP_GREY (the showcase's
 * neutral grey for side views, the preview's clear colour).
 */
import { cameraCentre, worldToCamera, type Intrinsics } from './pinhole.ts';
import type { AvatarCamera, Vec3 } from '../project/types.ts';
import { cross, dot, sub } from './vec3.ts';

/** Corners in head space, in the order top-left, top-right, bottom-left, bottom-right of the image. */
export type CardCorners = [Vec3, Vec3, Vec3, Vec3];

/** The backdrop outside the card, 8-bit display level of R, G and B (#808080). */
export const BACKDROP_GREY = 128;

/**
 * The drawn card's size as a multiple of the source view's square, each way (about the same
 * centre): the source view is card coordinates [0, 1] in both directions, the drawn card
 * [CARD_UV_MIN, CARD_UV_MAX], its texels clamped to the background's edge outside [0, 1]. From
 * the source view a 16:9 or 9:16 frame needs 16/9 = 1.78; the bullet preset's +-45 degree yaw and
 * +-12.5 degree pitch (camera-presets.ts) need 5.4 to 7.6 at 16:9 for cards 0 to 0.3 behind the
 * head origin 0.72 away; 12 leaves room for deeper heads and closer cameras, and the plane (a few
 * units across) stays far inside the far plane.
 */
export const CARD_EXTENT = 12;
/** Card coordinates (u or v) of the drawn card's edges; the source view is [0, 1]. */
export const CARD_UV_MIN = (1 - CARD_EXTENT) / 2;
export const CARD_UV_MAX = (1 + CARD_EXTENT) / 2;

/** How far behind the farthest splat centre the card stands, as a fraction of that depth. */
const BEHIND_HEAD = 0.05;

/**
 * Depth (along the source camera's axis) just behind every splat centre, or null when no
 * centre is in front of the camera.
 */
export function cardDepth(camera: Pick<AvatarCamera, 'view'>, means: Float32Array): number | null {
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
export function cardCorners(camera: Pick<AvatarCamera, 'view' | 'intrinsics' | 'resolution'>, depth: number): CardCorners {
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
 * The drawn card's corners (same order) for the source view's `corners`: card coordinates
 * (CARD_UV_MIN, CARD_UV_MIN), (CARD_UV_MAX, CARD_UV_MIN), (CARD_UV_MIN, CARD_UV_MAX) and
 * (CARD_UV_MAX, CARD_UV_MAX), the point at (u, v) being TL + u (TR - TL) + v (BL - TL). The preview
 * draws this quad with those texture coordinates and an edge-clamped texture.
 */
export function drawnCardCorners(corners: CardCorners): CardCorners {
  const [tl, tr, bl] = corners;
  const at = (u: number, v: number): Vec3 => [0, 1, 2].map((k) => tl[k]! + u * (tr[k]! - tl[k]!) + v * (bl[k]! - tl[k]!)) as Vec3;
  return [at(CARD_UV_MIN, CARD_UV_MIN), at(CARD_UV_MAX, CARD_UV_MIN), at(CARD_UV_MIN, CARD_UV_MAX), at(CARD_UV_MAX, CARD_UV_MAX)];
}

/** Texture coordinates of drawnCardCorners' corners, (u, v) each, in their order. */
export const DRAWN_CARD_UVS: readonly number[] = [CARD_UV_MIN, CARD_UV_MIN, CARD_UV_MAX, CARD_UV_MIN, CARD_UV_MIN, CARD_UV_MAX, CARD_UV_MAX, CARD_UV_MAX];

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




/**
 * Where each pixel of a pinhole camera sees the card, as a homography: for the pixel at (x, y)
 * (pixels from the image's top-left corner; a pixel's centre is at +0.5),
 *   [U, V, W] = H [x, y, 1],  and when W > 0 the ray meets the card's plane in front of the camera at
 *   card coordinates (u, v) = (U / W, V / W), (0, 0) the card's top-left corner and (1, 1) its
 *   bottom-right (the preview's texture coordinates, row 0 of the background at v = 0);
 * the source view is where 0 <= u, v <= 1, the drawn card where CARD_UV_MIN <= u, v <= CARD_UV_MAX
 * (texels clamped to the edge outside [0, 1]). H is row-major [9]. Null when the camera is behind the
 * card's plane or in it: the preview draws the card's front side only (the side the source camera
 * sees; the corner order TL, TR, BL makes its normal point away from that camera), so from there
 * nothing of it shows.
 *
 * Derivation: the ray through (x, y) is C + s d with d = R^T K^-1 [x, y, 1] (view = [R | t],
 * C its centre). The plane is P0 + u e1 + v e2 (P0 top-left, e1 = TR - TL, e2 = BL - TL, n = e1 x e2,
 * q = P0 - C). Then s = (n.q) / (n.d), and with a = e2 x n, b = n x e1 (a.e1 = b.e2 = |n|^2,
 * a.e2 = b.e1 = 0): (n.d) u = ((n.q) a - (q.a) n).d / |n|^2, likewise v with b. All three are
 * linear in d, hence in [x, y, 1]; the front side is n.q > 0, and the ray goes forward (s > 0) where
 * n.d > 0.
 */
export function cardHomography(corners: CardCorners, camera: Intrinsics & { view: readonly number[] }): number[] | null {
  const [tl, tr, bl] = corners;
  const e1 = sub(tr, tl);
  const e2 = sub(bl, tl);
  const n = cross(e1, e2);
  const nn = dot(n, n);
  const q = sub(tl, cameraCentre(camera.view));
  const nq = dot(n, q);
  // In the plane (or behind it, up to rounding): nothing of the front side shows.
  if (!(nq > 1e-12 * Math.sqrt(nn) * Math.hypot(...q))) return null;
  const a = cross(e2, n);
  const b = cross(n, e1);
  const qa = dot(q, a);
  const qb = dot(q, b);
  // Rows of the map from d (world) to [U, V, W].
  const rowU = [0, 1, 2].map((k) => (nq * a[k]! - qa * n[k]!) / nn);
  const rowV = [0, 1, 2].map((k) => (nq * b[k]! - qb * n[k]!) / nn);
  const rowW = [n[0], n[1], n[2]];
  // d = R^T K^-1 [x, y, 1]: D's column j is R^T times column j of K^-1.
  const v = camera.view;
  const rt = (c: readonly number[]): Vec3 => [
    v[0]! * c[0]! + v[4]! * c[1]! + v[8]! * c[2]!,
    v[1]! * c[0]! + v[5]! * c[1]! + v[9]! * c[2]!,
    v[2]! * c[0]! + v[6]! * c[1]! + v[10]! * c[2]!,
  ];
  const columns = [rt([1 / camera.fx, 0, 0]), rt([0, 1 / camera.fy, 0]), rt([-camera.cx / camera.fx, -camera.cy / camera.fy, 1])];
  const h: number[] = [];
  for (const row of [rowU, rowV, rowW]) for (const col of columns) h.push(dot(row, col));
  return h;
}
