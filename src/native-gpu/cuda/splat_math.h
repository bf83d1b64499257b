// Per-splat and per-pixel float32 math of the rasterizer (../SPEC.md), shared by the CUDA kernels
// of this folder and by their host emulation (test/python/native/cuda_emulator.cpp), which is how
// this math is tested on machines without a GPU. Every function is SPLAT_HD and uses only <cmath>
// float functions, so g++ compiles this header unchanged. Kernels stay thin loops around it.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "splat/params.h"

namespace splat {
namespace cudamath {

// Camera constants of the projection, derived once per frame on the host.
struct ProjectionCamera {
  float rot[9];    // world-to-camera rotation W, row-major (view[0..2], view[4..6], view[8..10])
  float trans[3];  // world-to-camera translation (view[3], view[7], view[11])
  float fx, fy, cx, cy;
  float lim_x, lim_y;  // JACOBIAN_CLAMP * tan(half field of view), SPEC projection step 3
  float near_plane, far_plane;
  int32_t width, height;
  int32_t tiles_x, tiles_y;  // ceil(width / TILE), ceil(height / TILE)
};

inline ProjectionCamera make_projection_camera(const Camera& c) {
  ProjectionCamera p;
  for (int r = 0; r < 3; ++r) {
    for (int k = 0; k < 3; ++k) p.rot[r * 3 + k] = c.view[r * 4 + k];
    p.trans[r] = c.view[r * 4 + 3];
  }
  p.fx = c.fx;
  p.fy = c.fy;
  p.cx = c.cx;
  p.cy = c.cy;
  p.lim_x = JACOBIAN_CLAMP * (0.5f * static_cast<float>(c.width) / c.fx);
  p.lim_y = JACOBIAN_CLAMP * (0.5f * static_cast<float>(c.height) / c.fy);
  p.near_plane = c.near_plane;
  p.far_plane = c.far_plane;
  p.width = c.width;
  p.height = c.height;
  p.tiles_x = (c.width + TILE - 1) / TILE;
  p.tiles_y = (c.height + TILE - 1) / TILE;
  return p;
}

// One projected splat. radius == 0 means culled; then the other fields are unspecified.
struct ProjectedSplat {
  float mean2d_x, mean2d_y;         // pixels
  float conic_a, conic_b, conic_c;  // inverse 2D covariance [[a, b], [b, c]], 1 / pixels^2
  float depth;                      // camera-space z
  int32_t radius;                   // pixels, SIGMA_EXTENT standard deviations
  int32_t tile_x0, tile_y0, tile_x1, tile_y1;  // inclusive tile rectangle, clamped to the image
};

SPLAT_HD inline int64_t tiles_touched(const ProjectedSplat& s) {
  if (s.radius <= 0) return 0;
  return static_cast<int64_t>(s.tile_x1 - s.tile_x0 + 1) * (s.tile_y1 - s.tile_y0 + 1);
}

// Rotation of the unit quaternion (w, x, y, z), row-major.
SPLAT_HD inline void quat_to_rotation(float w, float x, float y, float z, float* R) {
  R[0] = 1.f - 2.f * (y * y + z * z);
  R[1] = 2.f * (x * y - w * z);
  R[2] = 2.f * (x * z + w * y);
  R[3] = 2.f * (x * y + w * z);
  R[4] = 1.f - 2.f * (x * x + z * z);
  R[5] = 2.f * (y * z - w * x);
  R[6] = 2.f * (x * z - w * y);
  R[7] = 2.f * (y * z + w * x);
  R[8] = 1.f - 2.f * (x * x + y * y);
}

// Intermediates of the projection (SPEC "Per splat" steps 1-6), shared by forward and backward.
struct ProjectionTerms {
  float t[3];       // camera-space mean
  float q[4];       // normalised quaternion
  float qnorm;      // |quat|
  float R[9];       // rotation(q)
  float M[9];       // R * diag(scales)
  float Sigma[9];   // M * M^T
  float T[6];       // J * W, 2x3 row-major
  bool clamp_x, clamp_y;  // t.x / t.z (t.y / t.z) outside +-lim
  float u_x, u_y;         // clamp(t.x / t.z, +-lim_x), likewise y
  float cov[3];     // Sigma2D (xx, xy, yy), low pass included
  float det;
};

// Steps 1-4. Returns false when the splat is culled by depth.
SPLAT_HD inline bool projection_terms(const ProjectionCamera& c, const float* mean, const float* scale,
                                      const float* quat, ProjectionTerms& p) {
  const float* W = c.rot;
  for (int r = 0; r < 3; ++r)
    p.t[r] = W[r * 3 + 0] * mean[0] + W[r * 3 + 1] * mean[1] + W[r * 3 + 2] * mean[2] + c.trans[r];
  const float tz = p.t[2];
  if (!(tz > c.near_plane && tz < c.far_plane)) return false;  // NaN-safe: NaN is culled

  p.qnorm = sqrtf(quat[0] * quat[0] + quat[1] * quat[1] + quat[2] * quat[2] + quat[3] * quat[3]);
  const float inv_qn = 1.f / p.qnorm;
  for (int k = 0; k < 4; ++k) p.q[k] = quat[k] * inv_qn;
  quat_to_rotation(p.q[0], p.q[1], p.q[2], p.q[3], p.R);
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 3; ++k) p.M[r * 3 + k] = p.R[r * 3 + k] * scale[k];
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 3; ++k)
      p.Sigma[r * 3 + k] = p.M[r * 3 + 0] * p.M[k * 3 + 0] + p.M[r * 3 + 1] * p.M[k * 3 + 1] +
                           p.M[r * 3 + 2] * p.M[k * 3 + 2];

  // Clamped Jacobian (step 3). Clamped only strictly outside the limit, like torch.clamp's
  // gradient mask, so both sides agree at equality.
  const float rx = p.t[0] / tz, ry = p.t[1] / tz;
  p.clamp_x = rx < -c.lim_x || rx > c.lim_x;
  p.clamp_y = ry < -c.lim_y || ry > c.lim_y;
  p.u_x = fminf(fmaxf(rx, -c.lim_x), c.lim_x);
  p.u_y = fminf(fmaxf(ry, -c.lim_y), c.lim_y);
  const float txc = p.u_x * tz, tyc = p.u_y * tz;
  const float j00 = c.fx / tz, j02 = -c.fx * txc / (tz * tz);
  const float j11 = c.fy / tz, j12 = -c.fy * tyc / (tz * tz);
  for (int k = 0; k < 3; ++k) {
    p.T[k] = j00 * W[k] + j02 * W[6 + k];
    p.T[3 + k] = j11 * W[3 + k] + j12 * W[6 + k];
  }

  // Sigma2D = T * Sigma * T^T + LOW_PASS * I (step 4).
  float TS[6];
  for (int r = 0; r < 2; ++r)
    for (int k = 0; k < 3; ++k)
      TS[r * 3 + k] = p.T[r * 3 + 0] * p.Sigma[0 * 3 + k] + p.T[r * 3 + 1] * p.Sigma[1 * 3 + k] +
                      p.T[r * 3 + 2] * p.Sigma[2 * 3 + k];
  p.cov[0] = TS[0] * p.T[0] + TS[1] * p.T[1] + TS[2] * p.T[2] + LOW_PASS;
  p.cov[1] = TS[0] * p.T[3] + TS[1] * p.T[4] + TS[2] * p.T[5];
  p.cov[2] = TS[3] * p.T[3] + TS[4] * p.T[4] + TS[5] * p.T[5] + LOW_PASS;
  p.det = p.cov[0] * p.cov[2] - p.cov[1] * p.cov[1];
  return true;
}

// Inclusive tile rectangle of the square [m - r, m + r] (SPEC "Tiles"), clamped to the image.
// Returns false when it touches no tile. Computed in float and clamped before the int
// conversion, so far-off or non-finite means cannot overflow.
SPLAT_HD inline bool tile_rect(float mx, float my, float r, int32_t tiles_x, int32_t tiles_y, ProjectedSplat& s) {
  const float x0 = floorf((mx - r) / TILE), x1 = floorf((mx + r) / TILE);
  const float y0 = floorf((my - r) / TILE), y1 = floorf((my + r) / TILE);
  if (!(x1 >= 0.f && x0 <= static_cast<float>(tiles_x - 1) && y1 >= 0.f && y0 <= static_cast<float>(tiles_y - 1)))
    return false;
  s.tile_x0 = static_cast<int32_t>(fmaxf(x0, 0.f));
  s.tile_y0 = static_cast<int32_t>(fmaxf(y0, 0.f));
  s.tile_x1 = static_cast<int32_t>(fminf(x1, static_cast<float>(tiles_x - 1)));
  s.tile_y1 = static_cast<int32_t>(fminf(y1, static_cast<float>(tiles_y - 1)));
  return true;
}

// SPEC "Per splat (projection)" steps 1-8. Returns false (and radius 0) when culled.
SPLAT_HD inline bool project_splat(const ProjectionCamera& c, const float* mean, const float* scale,
                                   const float* quat, ProjectedSplat& s) {
  s.radius = 0;
  ProjectionTerms p;
  if (!projection_terms(c, mean, scale, quat, p)) return false;
  if (!(p.det > 0.f)) return false;
  const float inv_det = 1.f / p.det;
  const float tz = p.t[2];
  const float mx = c.fx * p.t[0] / tz + c.cx;  // unclamped projection (step 6)
  const float my = c.fy * p.t[1] / tz + c.cy;
  const float mid = 0.5f * (p.cov[0] + p.cov[2]);
  const float lambda_max = mid + sqrtf(fmaxf(0.1f, mid * mid - p.det));
  const float radius = ceilf(SIGMA_EXTENT * sqrtf(lambda_max));
  if (!tile_rect(mx, my, radius, c.tiles_x, c.tiles_y, s)) return false;
  s.mean2d_x = mx;
  s.mean2d_y = my;
  s.conic_a = p.cov[2] * inv_det;
  s.conic_b = -p.cov[1] * inv_det;
  s.conic_c = p.cov[0] * inv_det;
  s.depth = tz;
  s.radius = static_cast<int32_t>(radius);
  return true;
}

// Gradients of the projection: from dL/dmean2d and dL/dconic (a, b, c as the parameters of
// [[a, b], [b, c]]) to dL/dmean [3], dL/dscale [3], dL/dquat [4]. Call only for visible splats.
// Conventions of SPEC "Backward": clamped Jacobian coordinates have slope 0 in t.x (t.y) and
// depend on t.z as lim * t.z; quats through the normalisation.
SPLAT_HD inline void project_splat_backward(const ProjectionCamera& c, const float* mean, const float* scale,
                                            const float* quat, float g_mx, float g_my, float g_a, float g_b,
                                            float g_c, float* d_mean, float* d_scale, float* d_quat) {
  ProjectionTerms p;
  projection_terms(c, mean, scale, quat, p);
  const float* W = c.rot;
  const float tz = p.t[2];
  const float inv_det = 1.f / p.det;
  const float Q[4] = {p.cov[2] * inv_det, -p.cov[1] * inv_det, -p.cov[1] * inv_det, p.cov[0] * inv_det};

  // Conic = inverse(Sigma2D): dL/dSigma2D = -Q * GQ * Q, GQ the symmetric matrix gradient
  // (the off-diagonal parameter b appears twice in d^T Q d, so each entry gets g_b / 2).
  const float GQ[4] = {g_a, 0.5f * g_b, 0.5f * g_b, g_c};
  float QG[4], G2[4];
  for (int r = 0; r < 2; ++r)
    for (int k = 0; k < 2; ++k) QG[r * 2 + k] = Q[r * 2 + 0] * GQ[0 * 2 + k] + Q[r * 2 + 1] * GQ[1 * 2 + k];
  for (int r = 0; r < 2; ++r)
    for (int k = 0; k < 2; ++k) G2[r * 2 + k] = -(QG[r * 2 + 0] * Q[0 * 2 + k] + QG[r * 2 + 1] * Q[1 * 2 + k]);

  // Sigma2D = T Sigma T^T: dL/dSigma = T^T G2 T, dL/dT = 2 G2 T Sigma (G2, Sigma symmetric).
  float G2T[6];  // G2 * T, 2x3
  for (int r = 0; r < 2; ++r)
    for (int k = 0; k < 3; ++k) G2T[r * 3 + k] = G2[r * 2 + 0] * p.T[0 * 3 + k] + G2[r * 2 + 1] * p.T[1 * 3 + k];
  float GS[9];  // dL/dSigma
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 3; ++k) GS[r * 3 + k] = p.T[0 * 3 + r] * G2T[0 * 3 + k] + p.T[1 * 3 + r] * G2T[1 * 3 + k];
  float GT[6];
  for (int r = 0; r < 2; ++r)
    for (int k = 0; k < 3; ++k)
      GT[r * 3 + k] = 2.f * (G2T[r * 3 + 0] * p.Sigma[0 * 3 + k] + G2T[r * 3 + 1] * p.Sigma[1 * 3 + k] +
                             G2T[r * 3 + 2] * p.Sigma[2 * 3 + k]);

  // Sigma = M M^T: dL/dM = 2 GS M. M = R diag(s): dL/dR_ij = dL/dM_ij s_j, dL/ds_j = sum_i dL/dM_ij R_ij.
  float GR[9];
  for (int k = 0; k < 3; ++k) d_scale[k] = 0.f;
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 3; ++k) {
      const float gm = 2.f * (GS[r * 3 + 0] * p.M[0 * 3 + k] + GS[r * 3 + 1] * p.M[1 * 3 + k] +
                              GS[r * 3 + 2] * p.M[2 * 3 + k]);
      GR[r * 3 + k] = gm * scale[k];
      d_scale[k] += gm * p.R[r * 3 + k];
    }

  // R(q) for the normalised q, then through q = quat / |quat|.
  const float w = p.q[0], x = p.q[1], y = p.q[2], z = p.q[3];
  float gq[4];
  gq[0] = 2.f * (-z * GR[1] + y * GR[2] + z * GR[3] - x * GR[5] - y * GR[6] + x * GR[7]);
  gq[1] = 2.f * (y * GR[1] + z * GR[2] + y * GR[3] - 2.f * x * GR[4] - w * GR[5] + z * GR[6] + w * GR[7] -
                 2.f * x * GR[8]);
  gq[2] = 2.f * (-2.f * y * GR[0] + x * GR[1] + w * GR[2] + x * GR[3] + z * GR[5] - w * GR[6] + z * GR[7] -
                 2.f * y * GR[8]);
  gq[3] = 2.f * (-2.f * z * GR[0] - w * GR[1] + x * GR[2] + w * GR[3] - 2.f * z * GR[4] + y * GR[5] + x * GR[6] +
                 y * GR[7]);
  const float qdot = w * gq[0] + x * gq[1] + y * gq[2] + z * gq[3];
  for (int k = 0; k < 4; ++k) d_quat[k] = (gq[k] - p.q[k] * qdot) / p.qnorm;

  // T = J W: dL/dJ = GT W^T; only J00, J02, J11, J12 are not constant zeros.
  float GJ[6];
  for (int r = 0; r < 2; ++r)
    for (int k = 0; k < 3; ++k)
      GJ[r * 3 + k] = GT[r * 3 + 0] * W[k * 3 + 0] + GT[r * 3 + 1] * W[k * 3 + 1] + GT[r * 3 + 2] * W[k * 3 + 2];
  const float tz2 = tz * tz, tz3 = tz2 * tz;
  const float txc = p.u_x * tz, tyc = p.u_y * tz;
  // J02 = -fx * txc / tz^2 with d txc / d t.x = (clamped ? 0 : 1), d txc / d t.z = (clamped ? u : 0).
  float g_t[3] = {0.f, 0.f, 0.f};
  g_t[2] += GJ[0] * (-c.fx / tz2) + GJ[4] * (-c.fy / tz2);
  g_t[2] += GJ[2] * (2.f * c.fx * txc / tz3 - (p.clamp_x ? c.fx * p.u_x / tz2 : 0.f));
  g_t[2] += GJ[5] * (2.f * c.fy * tyc / tz3 - (p.clamp_y ? c.fy * p.u_y / tz2 : 0.f));
  if (!p.clamp_x) g_t[0] += GJ[2] * (-c.fx / tz2);
  if (!p.clamp_y) g_t[1] += GJ[5] * (-c.fy / tz2);

  // mean2d = (fx t.x / t.z + cx, fy t.y / t.z + cy).
  g_t[0] += g_mx * c.fx / tz;
  g_t[1] += g_my * c.fy / tz;
  g_t[2] += -(g_mx * c.fx * p.t[0] + g_my * c.fy * p.t[1]) / tz2;

  // t = W mean + trans.
  for (int k = 0; k < 3; ++k) d_mean[k] = W[0 * 3 + k] * g_t[0] + W[1 * 3 + k] * g_t[1] + W[2 * 3 + k] * g_t[2];
}

// ---- Tiles and sort keys (SPEC "Tiles and order").

// Bits of a positive float in an unsigned integer: ordered like the floats (IEEE 754).
SPLAT_HD inline uint32_t float_bits(float f) {
#if defined(__CUDA_ARCH__)
  return __float_as_uint(f);
#else
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
#endif
}

// Key of one (tile, splat) pair: tile id in the high 32 bits, depth bits in the low 32 bits.
// depth > near > 0, so the bits sort like the depths. A stable sort of pairs emitted in splat
// index order then breaks depth ties by increasing index.
SPLAT_HD inline uint64_t sort_key(int32_t tile, float depth) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(tile)) << 32) | float_bits(depth);
}

// Writes the pairs of one visible splat, row by row of its tile rectangle.
SPLAT_HD inline void emit_pairs(const ProjectedSplat& s, uint32_t index, int32_t tiles_x, uint64_t* keys, uint32_t* values) {
  int64_t k = 0;
  for (int32_t ty = s.tile_y0; ty <= s.tile_y1; ++ty)
    for (int32_t tx = s.tile_x0; tx <= s.tile_x1; ++tx, ++k) {
      keys[k] = sort_key(ty * tiles_x + tx, s.depth);
      values[k] = index;
    }
}

SPLAT_HD inline int32_t key_tile(uint64_t key) { return static_cast<int32_t>(key >> 32); }

// One index of the sorted keys: sets the [start, end) bounds of its tile where it begins or ends
// a run. ranges holds (start, end) per tile and starts zeroed (empty tiles stay [0, 0)).
SPLAT_HD inline void tile_range_step(const uint64_t* keys, int32_t n, int32_t idx, int32_t* ranges) {
  const int32_t tile = key_tile(keys[idx]);
  if (idx == 0) {
    ranges[2 * tile] = 0;
  } else {
    const int32_t prev = key_tile(keys[idx - 1]);
    if (prev != tile) {
      ranges[2 * prev + 1] = idx;
      ranges[2 * tile] = idx;
    }
  }
  if (idx == n - 1) ranges[2 * tile + 1] = n;
}

// Number of key bits the radix sort needs: 32 depth bits plus enough bits for tile ids < num_tiles.
inline int sort_end_bit(int64_t num_tiles) {
  int bits = 0;
  while ((int64_t{1} << bits) < num_tiles) ++bits;
  return 32 + bits;
}

// ---- Per pixel (SPEC "Per pixel (blending)").

// Alpha of a splat at pixel centre (px, py). Returns false when the splat is skipped
// (power > 0 or alpha < ALPHA_MIN). Forward and backward both call this, so they take the same
// skip decisions. raw = opacity * exp(power) before the ALPHA_MAX clamp.
SPLAT_HD inline bool splat_alpha(float px, float py, float mx, float my, float a, float b, float c, float opacity,
                                 float& dx, float& dy, float& gauss, float& raw, float& alpha) {
  dx = mx - px;
  dy = my - py;
  const float power = -0.5f * (a * dx * dx + c * dy * dy) - b * dx * dy;
  if (power > 0.f) return false;
  gauss = expf(power);
  raw = opacity * gauss;
  alpha = fminf(ALPHA_MAX, raw);
  return !(alpha < ALPHA_MIN);
}

struct PixelState {
  float T = 1.f;                   // transmittance
  float C[3] = {0.f, 0.f, 0.f};    // accumulated colour
  float D = 0.f;                   // accumulated depth * weight
  int32_t n_contrib = 0;           // 1 + position (in the tile's list) of the last blended splat
};

// One splat at position `position` of the pixel's tile list. Returns false when blending stops
// (T would fall below T_MIN); that splat is not blended and nothing after it is.
SPLAT_HD inline bool blend_splat(PixelState& s, float px, float py, float mx, float my, float a, float b, float c,
                                 float opacity, const float* color, float depth, int32_t position) {
  float dx, dy, gauss, raw, alpha;
  if (!splat_alpha(px, py, mx, my, a, b, c, opacity, dx, dy, gauss, raw, alpha)) return true;
  const float t_next = s.T * (1.f - alpha);
  if (t_next < T_MIN) return false;
  const float w = alpha * s.T;
  s.C[0] += color[0] * w;
  s.C[1] += color[1] * w;
  s.C[2] += color[2] * w;
  s.D += depth * w;
  s.T = t_next;
  s.n_contrib = position + 1;
  return true;
}

// SPEC "Outputs" for one pixel; bg is the pixel's background colour.
SPLAT_HD inline void finish_pixel(const PixelState& s, const float* bg, float* rgb, float* alpha, float* depth) {
  rgb[0] = s.C[0] + s.T * bg[0];
  rgb[1] = s.C[1] + s.T * bg[1];
  rgb[2] = s.C[2] + s.T * bg[2];
  const float a = 1.f - s.T;
  *alpha = a;
  *depth = a > DEPTH_ALPHA_EPS ? s.D / a : 0.f;
}

// Back-to-front replay of one pixel. Start with T = final T; visit blended positions in
// decreasing order. With g = dL/drgb and dT = dL/dT_final = bg . g - dL/dalpha:
//   dL/dcolor_i = alpha_i T_i g,
//   dL/dalpha_i = T_i (color_i . g) - (S_i + T_final dT) / (1 - alpha_i),
// where S_i = sum over later blended j of alpha_j T_j (color_j . g).
struct PixelGradState {
  float T;             // transmittance after the splat being visited (T_{i+1})
  float S;             // S_i, accumulated back to front
  float T_final_dT;    // T_final * dL/dT_final
  float g[3];          // dL/drgb of the pixel
};

SPLAT_HD inline PixelGradState begin_pixel_backward(float T_final, const float* g_rgb, float g_alpha, const float* bg) {
  PixelGradState s;
  s.T = T_final;
  s.S = 0.f;
  s.g[0] = g_rgb[0];
  s.g[1] = g_rgb[1];
  s.g[2] = g_rgb[2];
  s.T_final_dT = T_final * (bg[0] * g_rgb[0] + bg[1] * g_rgb[1] + bg[2] * g_rgb[2] - g_alpha);
  return s;
}

// Per (pixel, splat) gradient contributions; the caller adds them into the splat's sums.
struct SplatPixelGrad {
  float mean2d[2];
  float conic[3];
  float opacity;
  float color[3];
};

// Visits one splat (positions below the pixel's n_contrib, in decreasing order). Returns false
// when the forward skipped it (then `out` is not written).
SPLAT_HD inline bool blend_splat_backward(PixelGradState& s, float px, float py, float mx, float my, float a, float b,
                                          float c, float opacity, const float* color, SplatPixelGrad& out) {
  float dx, dy, gauss, raw, alpha;
  if (!splat_alpha(px, py, mx, my, a, b, c, opacity, dx, dy, gauss, raw, alpha)) return false;
  const float one_minus = 1.f - alpha;
  const float T_i = s.T / one_minus;
  const float cg = color[0] * s.g[0] + color[1] * s.g[1] + color[2] * s.g[2];
  const float w = alpha * T_i;
  out.color[0] = w * s.g[0];
  out.color[1] = w * s.g[1];
  out.color[2] = w * s.g[2];
  const float g_alpha = T_i * cg - (s.S + s.T_final_dT) / one_minus;
  s.S += w * cg;
  s.T = T_i;
  // alpha = min(ALPHA_MAX, opacity * exp(power)); clamped (raw > ALPHA_MAX): no gradient.
  const bool clamped = raw > ALPHA_MAX;
  const float g_power = clamped ? 0.f : raw * g_alpha;
  out.opacity = clamped ? 0.f : gauss * g_alpha;
  // power = -0.5 (a dx^2 + c dy^2) - b dx dy with d = mean2d - p.
  out.mean2d[0] = -g_power * (a * dx + b * dy);
  out.mean2d[1] = -g_power * (b * dx + c * dy);
  out.conic[0] = -0.5f * g_power * dx * dx;
  out.conic[1] = -g_power * dx * dy;
  out.conic[2] = -0.5f * g_power * dy * dy;
  return true;
}

}  // namespace cudamath
}  // namespace splat
