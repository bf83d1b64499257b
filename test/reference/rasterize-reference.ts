/**
 * The slow, obviously-correct rasterizer: src/native-gpu/SPEC.md written out plainly in float64,
 * with 3x3 matrices as arrays and one loop per pixel over every splat. Tests compare the native
 * backends (CPU, CUDA) against it, and take finite differences of it to check their backward.
 *
 * Twins (STYLE.md 4 and 9): the constants are those of src/native-gpu/include/splat/params.h
 * (test/unit/raster/reference-constants.test.ts reads that header and checks they agree). The
 * stages are twins of the C++ CPU backend's, and of test/python/reference_rasterizer.py:
 *
 *   projectSplat   src/native-gpu/src/projection.cpp project_splat. SPEC "Per splat
 *                  (projection)": camera-space centre, 2D covariance, conic, mean2d, radius,
 *                  depth, or culled.
 *   tileRange      the tile rectangle of project_splat, binned by src/native-gpu/src/binning.cpp
 *                  bin_splats. SPEC "Tiles and order": the tiles the splat's square touches.
 *   rasterizeReference  src/native-gpu/src/rasterize.cpp rasterize_tile_forward, over the whole
 *                  image. SPEC "Per pixel (blending)" and "Outputs": every pixel walks ALL splats
 *                  in (depth, index) order and uses a splat only when the pixel's tile is in the
 *                  splat's tile range. The tile rule matters: an opaque splat still has
 *                  alpha = 0.99 * exp(-4.5) > 1/255 at 3 sigma, so the square cuts it visibly.
 *
 * Diagnostics (optional): the native backends compute in float32, so a decision that sits next to
 * its threshold (alpha vs 1/255, T vs 1e-4, a tile edge, the near plane, two almost equal depths)
 * can go the other way there. With `diagnostics` the reference marks each pixel where any such
 * decision is within a band of its threshold (the band follows from an assumed float32 relative
 * error, see ReferenceDiagnosticsOptions); comparisons treat those pixels apart.
 */

// ---- Constants: twins of src/native-gpu/include/splat/params.h (same names, same values). ----
/** Tile edge, pixels. */
export const TILE = 16;
/** Added to the diagonal of the 2D covariance, pixels^2. */
export const LOW_PASS = 0.3;
/** Splat radius in standard deviations. */
export const SIGMA_EXTENT = 3;
/** Alpha clamp. */
export const ALPHA_MAX = 0.99;
/** Alphas below are skipped. */
export const ALPHA_MIN = 1 / 255;
/** Blending stops before transmittance falls below. */
export const T_MIN = 1e-4;
/** x/z (and y/z) clamped to +-JACOBIAN_CLAMP * tan(half field of view). */
export const JACOBIAN_CLAMP = 1.3;
/** Depth output is 0 where alpha (1 - T) is not above this. */
export const DEPTH_ALPHA_EPS = 1e-6;

/** Splats as any numeric arrays (Float32Array buffers, or Float64Array for finite differences). */
export interface ReferenceSplats {
  /** [N*3] world. */
  means: ArrayLike<number>;
  /** [N*3] linear. */
  scales: ArrayLike<number>;
  /** [N*4] w, x, y, z; normalised here. */
  quats: ArrayLike<number>;
  /** [N] 0..1. */
  opacities: ArrayLike<number>;
  /** [N*3] linear RGB. */
  colors: ArrayLike<number>;
}

/** Pinhole camera, OpenCV convention; `view` is world-to-camera, row-major 4x4. */
export interface ReferenceCamera {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  view: ArrayLike<number>;
  near: number;
  far: number;
}

/** One RGB colour, or an image [H*W*3] row-major. */
export type ReferenceBackground = { color: readonly [number, number, number] } | { image: ArrayLike<number> };

export type Vec3 = [number, number, number];
export type Mat3 = [Vec3, Vec3, Vec3];

export interface ProjectedSplat {
  /** False when culled (near/far, det <= 0, or its square touches no tile). */
  visible: boolean;
  /** Camera-space centre t. */
  t: Vec3;
  /** 2D covariance [xx, xy, yy] including the low-pass. */
  cov2d: [number, number, number];
  /** inverse(cov2d) as (a, b, c) for [[a, b], [b, c]]. */
  conic: [number, number, number];
  mean2d: [number, number];
  /** SIGMA_EXTENT * sqrt(lambda_max) before the ceil (diagnostics). */
  extent: number;
  radius: number;
  depth: number;
}

export interface TileRange {
  /** Inclusive tile columns and rows, clamped to the image; empty when x0 > x1 or y0 > y1. */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface ReferenceImages {
  /** [H*W*3] C + T * background. */
  rgb: Float64Array;
  /** [H*W] 1 - T. */
  alpha: Float64Array;
  /** [H*W] D / (1 - T) where 1 - T > DEPTH_ALPHA_EPS, else 0. */
  depth: Float64Array;
}

/** Why a pixel is near a threshold (bit flags of ReferenceDiagnostics.flags). */
export const NEAR_THRESHOLD = {
  /** Some splat's alpha is within the band of ALPHA_MIN. */
  alphaMin: 1,
  /** T_next is within the band of T_MIN. */
  transmittanceMin: 2,
  /** A splat's tile membership (radius ceil, square edge on a tile edge) could flip. */
  tileEdge: 4,
  /** A splat's centre is within the band of the near or far plane. */
  clipPlane: 8,
  /** Two consecutive contributing splats have almost (not exactly) equal depths. */
  depthOrder: 16,
  /** 1 - T is within the band of DEPTH_ALPHA_EPS (only the depth output can flip). */
  depthAlpha: 32,
} as const;

export interface ReferenceDiagnosticsOptions {
  /**
   * Assumed relative error of a float32 backend's alpha at one splat and pixel (through mean2d,
   * the conic and exp). Bands: alpha within 4x this of ALPHA_MIN; T_next within 4x the error
   * accumulated over the pixel's splats (sum of alpha / (1 - alpha) * this) of T_MIN. Default 1e-4.
   */
  alphaRelativeError?: number;
  /** Relative band of the near/far planes, the extent's ceil and the depth order. Default 1e-5. */
  geometryRelativeError?: number;
}

export interface ReferenceDiagnostics {
  /** [H*W] OR of NEAR_THRESHOLD bits; 0 where every decision is clear of its threshold. */
  flags: Uint8Array;
  /** Smallest relative distance, over all per-pixel decisions, of alpha from ALPHA_MAX (kinks). */
  alphaMaxMargin: number;
  /** Smallest relative distance of a blended splat's |x/z| (or |y/z|) from the Jacobian clamp. */
  jacobianClampMargin: number;
  /** Smallest relative distance of alpha from ALPHA_MIN, T_next from T_MIN over all decisions. */
  alphaMinMargin: number;
  transmittanceMinMargin: number;
  /** [H*W] largest depth among the splats blended at each pixel (0 where none): the scale of the
   * depth output's error, which moves with the weights of splats that may be far apart. */
  maxDepth: Float64Array;
}

// ---- Small linear algebra, written out. ----

function matMul(a: Mat3, b: Mat3): Mat3 {
  const out: Mat3 = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let sum = 0;
      for (let k = 0; k < 3; k++) sum += a[i]![k]! * b[k]![j]!;
      out[i]![j] = sum;
    }
  }
  return out;
}

function transpose(a: Mat3): Mat3 {
  return [
    [a[0][0], a[1][0], a[2][0]],
    [a[0][1], a[1][1], a[2][1]],
    [a[0][2], a[1][2], a[2][2]],
  ];
}

/** Rotation matrix of a unit quaternion (w, x, y, z). */
export function quatToMatrix(w: number, x: number, y: number, z: number): Mat3 {
  return [
    [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
    [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
    [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
  ];
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

/** The camera's rotation W (upper-left 3x3 of view) and translation. */
function viewParts(view: ArrayLike<number>): { W: Mat3; tv: Vec3 } {
  const v = (i: number): number => view[i]!;
  return {
    W: [
      [v(0), v(1), v(2)],
      [v(4), v(5), v(6)],
      [v(8), v(9), v(10)],
    ],
    tv: [v(3), v(7), v(11)],
  };
}

/**
 * Projection of splat i (SPEC "Per splat"). With `ignoreClipPlanes` a splat outside near..far is
 * still projected (diagnostics use it when t.z is next to a plane); `visible` then says whether
 * the planes would cull it.
 */
export function projectSplat(splats: ReferenceSplats, i: number, camera: ReferenceCamera, ignoreClipPlanes = false): ProjectedSplat {
  const culled: ProjectedSplat = { visible: false, t: [0, 0, 0], cov2d: [0, 0, 0], conic: [0, 0, 0], mean2d: [0, 0], extent: 0, radius: 0, depth: 0 };
  const { W, tv } = viewParts(camera.view);
  const m: Vec3 = [splats.means[3 * i]!, splats.means[3 * i + 1]!, splats.means[3 * i + 2]!];

  // 1. Camera space; cull outside (near, far).
  const t: Vec3 = [0, 0, 0];
  for (let r = 0; r < 3; r++) t[r] = W[r]![0] * m[0] + W[r]![1] * m[1] + W[r]![2] * m[2] + tv[r]!;
  culled.t = t;
  const outsidePlanes = t[2] <= camera.near || t[2] >= camera.far;
  if (outsidePlanes && !(ignoreClipPlanes && t[2] > 0)) return culled;

  // 2. Sigma = R S S^T R^T with the normalised quaternion.
  const qw = splats.quats[4 * i]!;
  const qx = splats.quats[4 * i + 1]!;
  const qy = splats.quats[4 * i + 2]!;
  const qz = splats.quats[4 * i + 3]!;
  const qn = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
  const R = quatToMatrix(qw / qn, qx / qn, qy / qn, qz / qn);
  const S: Mat3 = [
    [splats.scales[3 * i]!, 0, 0],
    [0, splats.scales[3 * i + 1]!, 0],
    [0, 0, splats.scales[3 * i + 2]!],
  ];
  const M = matMul(R, S);
  const Sigma = matMul(M, transpose(M));

  // 3. Clamped Jacobian of the perspective projection.
  const limX = JACOBIAN_CLAMP * (0.5 * camera.width) / camera.fx;
  const limY = JACOBIAN_CLAMP * (0.5 * camera.height) / camera.fy;
  const tx = clamp(t[0] / t[2], -limX, limX) * t[2];
  const ty = clamp(t[1] / t[2], -limY, limY) * t[2];
  const J = [
    [camera.fx / t[2], 0, (-camera.fx * tx) / (t[2] * t[2])],
    [0, camera.fy / t[2], (-camera.fy * ty) / (t[2] * t[2])],
  ];

  // 4. Sigma2D = J W Sigma W^T J^T + LOW_PASS I.
  const V = matMul(matMul(W, Sigma), transpose(W));
  const cov: number[][] = [
    [0, 0],
    [0, 0],
  ];
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      let sum = 0;
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) sum += J[a]![k]! * V[k]![l]! * J[b]![l]!;
      cov[a]![b] = sum;
    }
  }
  const xx = cov[0]![0]! + LOW_PASS;
  const xy = cov[0]![1]!;
  const yy = cov[1]![1]! + LOW_PASS;
  const det = xx * yy - xy * xy;
  if (!(det > 0)) return culled;

  // 5.-8. Conic, mean2d, radius, depth.
  const conic: [number, number, number] = [yy / det, -xy / det, xx / det];
  const mean2d: [number, number] = [(camera.fx * t[0]) / t[2] + camera.cx, (camera.fy * t[1]) / t[2] + camera.cy];
  const mid = 0.5 * (xx + yy);
  const lambdaMax = mid + Math.sqrt(Math.max(0.1, mid * mid - det));
  const extent = SIGMA_EXTENT * Math.sqrt(lambdaMax);
  const radius = Math.ceil(extent);
  const projected: ProjectedSplat = { visible: !outsidePlanes, t, cov2d: [xx, xy, yy], conic, mean2d, extent, radius, depth: t[2] };
  const range = tileRange(mean2d, radius, camera);
  if (range.x0 > range.x1 || range.y0 > range.y1) projected.visible = false;
  return projected;
}

/** Tiles whose pixel rectangles the square [mean2d - radius, mean2d + radius] intersects. */
export function tileRange(mean2d: readonly [number, number], radius: number, camera: { width: number; height: number }): TileRange {
  const tilesX = Math.ceil(camera.width / TILE);
  const tilesY = Math.ceil(camera.height / TILE);
  return {
    x0: Math.max(0, Math.floor((mean2d[0] - radius) / TILE)),
    x1: Math.min(tilesX - 1, Math.floor((mean2d[0] + radius) / TILE)),
    y0: Math.max(0, Math.floor((mean2d[1] - radius) / TILE)),
    y1: Math.min(tilesY - 1, Math.floor((mean2d[1] + radius) / TILE)),
  };
}

function inRange(range: TileRange, tileX: number, tileY: number): boolean {
  return tileX >= range.x0 && tileX <= range.x1 && tileY >= range.y0 && tileY <= range.y1;
}

function isEmpty(range: TileRange): boolean {
  return range.x0 > range.x1 || range.y0 > range.y1;
}

/**
 * Tile ranges the splat could have in float32: `inner` with the centre moved inwards by the band
 * and the extent's ceil one lower (tiles it surely reaches), `outer` with both moved outwards
 * (tiles it may reach). The band is relative to the pixel coordinates' magnitude.
 */
function tileRangeBounds(p: ProjectedSplat, camera: ReferenceCamera, band: number): { inner: TileRange; outer: TileRange } {
  const slack = band * (Math.abs(p.mean2d[0]) + Math.abs(p.mean2d[1]) + p.extent) + 1e-4;
  const rMin = Math.ceil(p.extent * (1 - band) - 1e-6);
  const rMax = Math.ceil(p.extent * (1 + band) + 1e-6);
  return { inner: tileRange(p.mean2d, rMin - slack, camera), outer: tileRange(p.mean2d, rMax + slack, camera) };
}

function backgroundAt(background: ReferenceBackground, pixel: number, channel: number): number {
  return 'image' in background ? background.image[3 * pixel + channel]! : background.color[channel]!;
}

/**
 * The forward pass of SPEC.md in float64. Usable on Float64Array parameters for finite
 * differences. With `diagnostics`, also marks the pixels with a decision near its threshold.
 */
export function rasterizeReference(splats: ReferenceSplats, camera: ReferenceCamera, background: ReferenceBackground): ReferenceImages;
export function rasterizeReference(
  splats: ReferenceSplats,
  camera: ReferenceCamera,
  background: ReferenceBackground,
  diagnostics: ReferenceDiagnosticsOptions,
): ReferenceImages & { diagnostics: ReferenceDiagnostics };
export function rasterizeReference(
  splats: ReferenceSplats,
  camera: ReferenceCamera,
  background: ReferenceBackground,
  diagnostics?: ReferenceDiagnosticsOptions,
): ReferenceImages & { diagnostics?: ReferenceDiagnostics } {
  const { width, height } = camera;
  const count = splats.opacities.length;
  const withDiag = diagnostics !== undefined;
  const alphaErr = diagnostics?.alphaRelativeError ?? 1e-4;
  const geomErr = diagnostics?.geometryRelativeError ?? 1e-5;

  // Per splat: projection and tile range. With diagnostics, splats next to a clip plane are
  // projected anyway and walked (they may be visible in float32), and each splat gets the tile
  // ranges it surely and possibly has in float32.
  interface Entry {
    i: number;
    p: ProjectedSplat;
    range: TileRange;
    inner: TileRange | null;
    outer: TileRange | null;
    nearPlane: boolean;
  }
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    let p = projectSplat(splats, i, camera);
    const z = p.t[2];
    const nearPlane = withDiag && (Math.abs(z - camera.near) <= geomErr * camera.near || Math.abs(z - camera.far) <= geomErr * camera.far);
    if (nearPlane && p.extent === 0) {
      p = projectSplat(splats, i, camera, true);
      p.visible = false;
    }
    const range = tileRange(p.mean2d, p.radius, camera);
    if (!withDiag) {
      if (p.visible) entries.push({ i, p, range, inner: null, outer: null, nearPlane });
      continue;
    }
    if (p.extent === 0) continue; // culled by det <= 0 or a plane it is clear of
    const { inner, outer } = tileRangeBounds(p, camera, geomErr);
    if (p.visible || !isEmpty(outer)) entries.push({ i, p, range, inner, outer, nearPlane });
  }
  // Front to back by (depth, index).
  entries.sort((a, b) => a.p.depth - b.p.depth || a.i - b.i);

  const rgb = new Float64Array(width * height * 3);
  const alphaOut = new Float64Array(width * height);
  const depthOut = new Float64Array(width * height);
  const flags = new Uint8Array(withDiag ? width * height : 0);
  const maxDepth = new Float64Array(withDiag ? width * height : 0);
  const margins = { alphaMax: Infinity, jacobian: Infinity, alphaMin: Infinity, tMin: Infinity };

  for (let py = 0; py < height; py++) {
    const tileY = Math.floor(py / TILE);
    for (let px = 0; px < width; px++) {
      const tileX = Math.floor(px / TILE);
      const pixel = py * width + px;
      let T = 1;
      const C = [0, 0, 0];
      let D = 0;
      let flag = 0;
      let tError = 0;
      let previousDepth = NaN;
      for (const { i, p, range, inner, outer, nearPlane } of entries) {
        const member = p.visible && inRange(range, tileX, tileY);
        const possible = outer !== null && inRange(outer, tileX, tileY);
        if (!member && !possible) continue;
        const sure = member && !nearPlane && inner !== null && inRange(inner, tileX, tileY);

        const dx = p.mean2d[0] - (px + 0.5);
        const dy = p.mean2d[1] - (py + 0.5);
        const [a, b, c] = p.conic;
        const power = -0.5 * (a * dx * dx + c * dy * dy) - b * dx * dy;
        if (power > 0) continue;
        const raw = splats.opacities[i]! * Math.exp(power);
        const alpha = Math.min(ALPHA_MAX, raw);

        if (withDiag) {
          // A decision about this splat could go the other way in float32?
          const alphaBand = 4 * alphaErr * ALPHA_MIN;
          if (!sure && alpha >= ALPHA_MIN - alphaBand) flag |= nearPlane ? NEAR_THRESHOLD.clipPlane : NEAR_THRESHOLD.tileEdge;
          if (!member) continue;
          if (Math.abs(alpha - ALPHA_MIN) <= alphaBand) flag |= NEAR_THRESHOLD.alphaMin;
          if (power > -1e-5 * (Math.abs(a * dx * dx) + Math.abs(c * dy * dy) + 2 * Math.abs(b * dx * dy)) && alpha >= ALPHA_MIN) flag |= NEAR_THRESHOLD.alphaMin;
          margins.alphaMin = Math.min(margins.alphaMin, Math.abs(alpha - ALPHA_MIN) / ALPHA_MIN);
        }
        if (alpha < ALPHA_MIN) continue;

        const tNext = T * (1 - alpha);
        if (withDiag) {
          tError += (alpha / (1 - alpha)) * alphaErr;
          if (Math.abs(tNext - T_MIN) <= 4 * tError * T_MIN) flag |= NEAR_THRESHOLD.transmittanceMin;
          margins.tMin = Math.min(margins.tMin, Math.abs(tNext - T_MIN) / T_MIN);
          if (previousDepth !== p.depth && Math.abs(previousDepth - p.depth) <= geomErr * Math.abs(p.depth)) flag |= NEAR_THRESHOLD.depthOrder;
          previousDepth = p.depth;
        }
        if (tNext < T_MIN) break;
        if (withDiag) {
          margins.alphaMax = Math.min(margins.alphaMax, Math.abs(raw - ALPHA_MAX) / ALPHA_MAX);
          const limX = (JACOBIAN_CLAMP * 0.5 * camera.width) / camera.fx;
          const limY = (JACOBIAN_CLAMP * 0.5 * camera.height) / camera.fy;
          margins.jacobian = Math.min(margins.jacobian, Math.abs(Math.abs(p.t[0] / p.t[2]) - limX) / limX, Math.abs(Math.abs(p.t[1] / p.t[2]) - limY) / limY);
        }
        for (let ch = 0; ch < 3; ch++) C[ch]! += splats.colors[3 * i + ch]! * alpha * T;
        D += p.depth * alpha * T;
        T = tNext;
        if (withDiag) maxDepth[pixel] = Math.max(maxDepth[pixel]!, Math.abs(p.depth));
      }
      for (let ch = 0; ch < 3; ch++) rgb[3 * pixel + ch] = C[ch]! + T * backgroundAt(background, pixel, ch);
      alphaOut[pixel] = 1 - T;
      depthOut[pixel] = 1 - T > DEPTH_ALPHA_EPS ? D / (1 - T) : 0;
      if (withDiag) {
        if (Math.abs(1 - T - DEPTH_ALPHA_EPS) <= 4 * Math.max(tError, 1e-7) * DEPTH_ALPHA_EPS + 1e-7 * DEPTH_ALPHA_EPS) flag |= NEAR_THRESHOLD.depthAlpha;
        flags[pixel] = flag;
      }
    }
  }
  const images = { rgb, alpha: alphaOut, depth: depthOut };
  if (!withDiag) return images;
  return {
    ...images,
    diagnostics: {
      flags,
      alphaMaxMargin: margins.alphaMax,
      jacobianClampMargin: margins.jacobian,
      alphaMinMargin: margins.alphaMin,
      transmittanceMinMargin: margins.tMin,
      maxDepth,
    },
  };
}

/** L = sum(wRgb * rgb) + sum(wAlpha * alpha): the scalar loss the gradient tests differentiate. */
export function weightedLoss(images: { rgb: ArrayLike<number>; alpha: ArrayLike<number> }, wRgb: ArrayLike<number>, wAlpha: ArrayLike<number> | null): number {
  let loss = 0;
  for (let k = 0; k < images.rgb.length; k++) loss += wRgb[k]! * images.rgb[k]!;
  if (wAlpha) for (let k = 0; k < images.alpha.length; k++) loss += wAlpha[k]! * images.alpha[k]!;
  return loss;
}
