// Projection stage: SPEC.md "Per splat (projection)" steps 1-8 and their exact derivatives
// ("Backward"). EWA splatting as in Zwicker et al. 2002 / Kerbl et al. 2023 (3DGS) section 4;
// the backward follows the chain rule written out below, step by step in reverse.
#include "projection.h"

#include <algorithm>
#include <cmath>

namespace splat::cpu {

ViewSetup make_view_setup(const Camera& c) {
  ViewSetup v{};
  for (int r = 0; r < 3; ++r) {
    for (int k = 0; k < 3; ++k) v.rot[r * 3 + k] = c.view[r * 4 + k];
    v.trans[r] = c.view[r * 4 + 3];
  }
  v.fx = c.fx;
  v.fy = c.fy;
  v.cx = c.cx;
  v.cy = c.cy;
  v.lim_x = JACOBIAN_CLAMP * (0.5f * static_cast<float>(c.width) / c.fx);
  v.lim_y = JACOBIAN_CLAMP * (0.5f * static_cast<float>(c.height) / c.fy);
  v.near_plane = c.near_plane;
  v.far_plane = c.far_plane;
  v.width = c.width;
  v.height = c.height;
  v.tiles_x = (c.width + TILE - 1) / TILE;
  v.tiles_y = (c.height + TILE - 1) / TILE;
  return v;
}

namespace {

// Every intermediate of steps 1-5 that the backward needs again.
struct Geometry {
  float p[3];         // camera-space mean (step 1)
  float qn[4];        // normalised quaternion w, x, y, z
  float qnorm;        // |quat|
  float rot[9];       // R(qn), row-major
  float m[9];         // M = R * diag(scales)
  float sigma[6];     // Sigma = M M^T: xx, xy, xz, yy, yz, zz
  float tx, ty;       // clamped tx, ty of step 3
  bool clamp_x, clamp_y;
  float t2d[6];       // T = J * W (2x3, row-major)
  float cov_a, cov_b, cov_c;  // Sigma2D [[a, b], [b, c]] including LOW_PASS
  float det;
};

inline float dot3(const float* a, const float* b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

// Steps 1-4; false when culled by the near/far planes or a non-positive determinant.
bool compute_geometry(const SplatsView& s, int64_t i, const ViewSetup& v, Geometry& g) {
  const float* mean = s.means + 3 * i;
  for (int r = 0; r < 3; ++r) g.p[r] = dot3(v.rot + 3 * r, mean) + v.trans[r];
  const float z = g.p[2];
  if (!(z > v.near_plane && z < v.far_plane)) return false;  // also rejects NaN

  const float* q = s.quats + 4 * i;
  g.qnorm = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
  const float inv = 1.0f / g.qnorm;
  const float w = q[0] * inv, x = q[1] * inv, y = q[2] * inv, zq = q[3] * inv;
  g.qn[0] = w, g.qn[1] = x, g.qn[2] = y, g.qn[3] = zq;
  float* R = g.rot;
  R[0] = 1.f - 2.f * (y * y + zq * zq); R[1] = 2.f * (x * y - w * zq);       R[2] = 2.f * (x * zq + w * y);
  R[3] = 2.f * (x * y + w * zq);       R[4] = 1.f - 2.f * (x * x + zq * zq); R[5] = 2.f * (y * zq - w * x);
  R[6] = 2.f * (x * zq - w * y);       R[7] = 2.f * (y * zq + w * x);       R[8] = 1.f - 2.f * (x * x + y * y);

  const float* sc = s.scales + 3 * i;
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 3; ++k) g.m[r * 3 + k] = R[r * 3 + k] * sc[k];
  const float* M = g.m;
  g.sigma[0] = dot3(M + 0, M + 0);
  g.sigma[1] = dot3(M + 0, M + 3);
  g.sigma[2] = dot3(M + 0, M + 6);
  g.sigma[3] = dot3(M + 3, M + 3);
  g.sigma[4] = dot3(M + 3, M + 6);
  g.sigma[5] = dot3(M + 6, M + 6);

  // Step 3: clamped Jacobian of the perspective projection at p.
  const float ux = g.p[0] / z, uy = g.p[1] / z;
  g.clamp_x = ux < -v.lim_x || ux > v.lim_x;
  g.clamp_y = uy < -v.lim_y || uy > v.lim_y;
  g.tx = std::min(std::max(ux, -v.lim_x), v.lim_x) * z;
  g.ty = std::min(std::max(uy, -v.lim_y), v.lim_y) * z;
  const float j00 = v.fx / z, j02 = -v.fx * g.tx / (z * z);
  const float j11 = v.fy / z, j12 = -v.fy * g.ty / (z * z);
  // T = J W: row 0 = j00 * W_row0 + j02 * W_row2, row 1 = j11 * W_row1 + j12 * W_row2.
  for (int k = 0; k < 3; ++k) {
    g.t2d[k] = j00 * v.rot[k] + j02 * v.rot[6 + k];
    g.t2d[3 + k] = j11 * v.rot[3 + k] + j12 * v.rot[6 + k];
  }
  // Step 4: Sigma2D = T Sigma T^T + LOW_PASS * I.
  const float* S = g.sigma;
  float ts[6];  // T * Sigma (2x3)
  for (int r = 0; r < 2; ++r) {
    const float* t = g.t2d + 3 * r;
    ts[3 * r + 0] = t[0] * S[0] + t[1] * S[1] + t[2] * S[2];
    ts[3 * r + 1] = t[0] * S[1] + t[1] * S[3] + t[2] * S[4];
    ts[3 * r + 2] = t[0] * S[2] + t[1] * S[4] + t[2] * S[5];
  }
  g.cov_a = dot3(ts + 0, g.t2d + 0) + LOW_PASS;
  g.cov_b = dot3(ts + 0, g.t2d + 3);
  g.cov_c = dot3(ts + 3, g.t2d + 3) + LOW_PASS;
  g.det = g.cov_a * g.cov_c - g.cov_b * g.cov_b;
  return g.det > 0.0f;  // false for NaN too
}

// Clamp a float pixel/tile coordinate into int16 range before converting (inputs may be huge).
inline int16_t to_i16(float f, float lo, float hi) {
  return static_cast<int16_t>(std::min(std::max(f, lo), hi));
}

// Pixel box outside which the SPEC test `alpha >= ALPHA_MIN` cannot pass, in double.
// alpha >= ALPHA_MIN needs opacity * exp(power) >= ALPHA_MIN, i.e. q = -2 power <= K with
// K = 2 ln(opacity / ALPHA_MIN). The float evaluation of power differs from the exact one by at
// most ~8 ulp of |terms| <= 2 * kappa * (-power) (kappa: condition number of the conic, terms
// bounded by lambda_max |d|^2, -power >= lambda_min |d|^2 / 2), so the float test can pass only
// where q_exact <= (K + slack) / (1 - 4e-6 kappa). The ellipse {d^T conic d <= K'} has the
// bounding box |dx| <= sqrt(K' Sigma2D.xx), |dy| <= sqrt(K' Sigma2D.yy); pad one pixel.
// When the bound is unusable (kappa > 1e5) the box is the whole image. log_ratio = ln(opacity / ALPHA_MIN).
void alpha_box(Projected& o, double log_ratio, int32_t width, int32_t height) {
  const Projected& p = o;
  o.box_x0 = 0, o.box_y0 = 0;
  o.box_x1 = static_cast<int16_t>(width - 1), o.box_y1 = static_cast<int16_t>(height - 1);
  const double a = p.conic_a, b = p.conic_b, c = p.conic_c;
  const double mid = 0.5 * (a + c), rad = std::sqrt(0.25 * (a - c) * (a - c) + b * b);
  const double lmin = mid - rad, lmax = mid + rad;
  if (!(lmin > 0.0) || !(lmax < 1e5 * lmin)) return;
  const double k = 2.0 * log_ratio;
  const double kb = (std::max(k, 0.0) + 1e-3) * 1.001 / (1.0 - 4e-6 * (lmax / lmin));
  const double det = a * c - b * b;  // > 0 since lmin > 0
  const double hx = std::sqrt(kb * c / det) + 1.0, hy = std::sqrt(kb * a / det) + 1.0;
  // Pixel px has centre px + 0.5: |mean - (px + 0.5)| <= h  <=>  px in [mean - h - 0.5, mean + h - 0.5].
  const double x0 = std::floor(p.mean_x - hx - 0.5), x1 = std::ceil(p.mean_x + hx - 0.5);
  const double y0 = std::floor(p.mean_y - hy - 0.5), y1 = std::ceil(p.mean_y + hy - 0.5);
  // Clamped before converting (the box may lie far off the image, or be empty: x1 < x0).
  const double w = width, h = height;
  o.box_x0 = static_cast<int16_t>(std::min(std::max(x0, 0.0), w));
  o.box_y0 = static_cast<int16_t>(std::min(std::max(y0, 0.0), h));
  o.box_x1 = static_cast<int16_t>(std::max(std::min(x1, w - 1.0), -1.0));
  o.box_y1 = static_cast<int16_t>(std::max(std::min(y1, h - 1.0), -1.0));
}

}  // namespace

bool project_splat(const SplatsView& s, int64_t i, const ViewSetup& v, Projected& out) {
  out.tile_x0 = 0, out.tile_x1 = -1, out.tile_y0 = 0, out.tile_y1 = -1;  // culled
  Geometry g;
  if (!compute_geometry(s, i, v, g)) return false;
  // Step 5: conic = inverse(Sigma2D).
  const float inv_det = 1.0f / g.det;
  out.conic_a = g.cov_c * inv_det;
  out.conic_b = -g.cov_b * inv_det;
  out.conic_c = g.cov_a * inv_det;
  // Step 6: unclamped projection of the mean.
  out.mean_x = v.fx * g.p[0] / g.p[2] + v.cx;
  out.mean_y = v.fy * g.p[1] / g.p[2] + v.cy;
  // Step 7: radius from the largest eigenvalue, then the tile rectangle.
  const float mid = 0.5f * (g.cov_a + g.cov_c);
  const float lambda_max = mid + std::sqrt(std::max(0.1f, mid * mid - g.det));
  const float radius = std::ceil(SIGMA_EXTENT * std::sqrt(lambda_max));
  float tx0 = std::floor((out.mean_x - radius) / TILE), tx1 = std::floor((out.mean_x + radius) / TILE);
  float ty0 = std::floor((out.mean_y - radius) / TILE), ty1 = std::floor((out.mean_y + radius) / TILE);
  tx0 = std::max(tx0, 0.0f), ty0 = std::max(ty0, 0.0f);
  tx1 = std::min(tx1, static_cast<float>(v.tiles_x - 1));
  ty1 = std::min(ty1, static_cast<float>(v.tiles_y - 1));
  if (!(tx0 <= tx1 && ty0 <= ty1)) return false;  // touches no tile (or NaN)
  out.opacity = s.opacities[i];
  // alpha <= opacity (power <= 0), so below ALPHA_MIN the splat is skipped at every pixel: leave
  // it out of the tiles (same image, same zero gradient, less work).
  if (!(out.opacity >= ALPHA_MIN)) return false;
  for (int k = 0; k < 3; ++k) out.color[k] = s.colors[3 * i + k];
  out.depth = g.p[2];  // step 8
  const double log_ratio = std::log(static_cast<double>(out.opacity) / static_cast<double>(ALPHA_MIN));
  out.skip_power = static_cast<float>(-log_ratio - 1e-3);
  alpha_box(out, log_ratio, v.width, v.height);
  out.tile_x0 = to_i16(tx0, 0.f, 32767.f), out.tile_x1 = to_i16(tx1, 0.f, 32767.f);
  out.tile_y0 = to_i16(ty0, 0.f, 32767.f), out.tile_y1 = to_i16(ty1, 0.f, 32767.f);
  return true;
}

void project_splat_backward(const SplatsView& s, int64_t i, const ViewSetup& v,
                            const float grad_mean2d[2], const float grad_conic[3],
                            float grad_mean[3], float grad_scale[3], float grad_quat[4]) {
  Geometry g;
  compute_geometry(s, i, v, g);  // visible by precondition
  const float z = g.p[2], iz = 1.0f / z, iz2 = iz * iz, iz3 = iz2 * iz;
  float dp[3] = {0.f, 0.f, 0.f};  // dL/dp (camera-space mean)

  // Step 6: mean2d = (fx px / z + cx, fy py / z + cy).
  dp[0] += grad_mean2d[0] * v.fx * iz;
  dp[1] += grad_mean2d[1] * v.fy * iz;
  dp[2] -= (grad_mean2d[0] * v.fx * g.p[0] + grad_mean2d[1] * v.fy * g.p[1]) * iz2;

  // Step 5: conic (ca, cb, cc) = (C, -B, A) / D of Sigma2D [[A, B], [B, C]], D = AC - B^2.
  // Differentiating each scalar (dD/dA = C, dD/dB = -2B, dD/dC = A):
  //   dca/dA = -C^2/D^2, dca/dB = 2BC/D^2,        dca/dC = -B^2/D^2
  //   dcb/dA = BC/D^2,   dcb/dB = -(AC+B^2)/D^2,  dcb/dC = AB/D^2
  //   dcc/dA = -B^2/D^2, dcc/dB = 2AB/D^2,        dcc/dC = -A^2/D^2
  // (the LOW_PASS constant inside A and C has no parameters behind it).
  const float A = g.cov_a, B = g.cov_b, C = g.cov_c;
  const float ga = grad_conic[0], gb = grad_conic[1], gc = grad_conic[2];
  const float id2 = 1.0f / (g.det * g.det);
  const float dA = (-C * C * ga + B * C * gb - B * B * gc) * id2;
  const float dB = (2.f * B * C * ga - (A * C + B * B) * gb + 2.f * A * B * gc) * id2;
  const float dC = (-B * B * ga + A * B * gb - A * A * gc) * id2;

  // Step 4: A = T0 S T0^T, B = T0 S T1^T, C = T1 S T1^T (T = J W rows T0, T1; S = Sigma).
  // dL/dT = [[2dA, dB], [dB, 2dC]] (T S);  dL/dS (symmetric part) = T^T [[dA, dB/2], [dB/2, dC]] T.
  const float* S = g.sigma;
  const float* T = g.t2d;
  float ts[6];
  for (int r = 0; r < 2; ++r) {
    const float* t = T + 3 * r;
    ts[3 * r + 0] = t[0] * S[0] + t[1] * S[1] + t[2] * S[2];
    ts[3 * r + 1] = t[0] * S[1] + t[1] * S[3] + t[2] * S[4];
    ts[3 * r + 2] = t[0] * S[2] + t[1] * S[4] + t[2] * S[5];
  }
  float dT[6];
  for (int k = 0; k < 3; ++k) {
    dT[k] = 2.f * dA * ts[k] + dB * ts[3 + k];
    dT[3 + k] = dB * ts[k] + 2.f * dC * ts[3 + k];
  }
  float dS[9];  // full 3x3, symmetric
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 3; ++k)
      dS[r * 3 + k] = dA * T[r] * T[k] + 0.5f * dB * (T[r] * T[3 + k] + T[3 + r] * T[k]) + dC * T[3 + r] * T[3 + k];

  // T = J W  =>  dL/dJ = dL/dT W^T; only J00, J02, J11, J12 are non-zero entries.
  const float* W = v.rot;
  const float dj00 = dot3(dT + 0, W + 0), dj02 = dot3(dT + 0, W + 6);
  const float dj11 = dot3(dT + 3, W + 3), dj12 = dot3(dT + 3, W + 6);
  // Step 3: J00 = fx/z, J02 = -fx tx/z^2 with tx = clamp(px/z) z. SPEC "Backward": unclamped,
  // dtx/dpx = 1 and dtx/dz = 0; clamped, dtx/dpx = 0 and tx = lim z so dtx/dz = +-lim.
  // (3DGS's reference code drops the dtx/dz term when clamped; SPEC keeps it.)
  const float dtx_dpx = g.clamp_x ? 0.f : 1.f, dtx_dz = g.clamp_x ? g.tx * iz : 0.f;
  const float dty_dpy = g.clamp_y ? 0.f : 1.f, dty_dz = g.clamp_y ? g.ty * iz : 0.f;
  dp[0] += dj02 * (-v.fx * dtx_dpx * iz2);
  dp[1] += dj12 * (-v.fy * dty_dpy * iz2);
  dp[2] += dj00 * (-v.fx * iz2) + dj11 * (-v.fy * iz2) +
           dj02 * (-v.fx * dtx_dz * iz2 + 2.f * v.fx * g.tx * iz3) +
           dj12 * (-v.fy * dty_dz * iz2 + 2.f * v.fy * g.ty * iz3);

  // Step 1: p = W mean + t  =>  dL/dmean = W^T dL/dp.
  for (int k = 0; k < 3; ++k) grad_mean[k] = W[k] * dp[0] + W[3 + k] * dp[1] + W[6 + k] * dp[2];

  // Step 2: Sigma = M M^T  =>  dL/dM = 2 dS M (dS symmetric). M = R diag(s): dR_ij = dM_ij s_j,
  // ds_j = sum_i dM_ij R_ij.
  const float* M = g.m;
  const float* R = g.rot;
  const float* sc = s.scales + 3 * i;
  float dR[9];
  for (int k = 0; k < 3; ++k) grad_scale[k] = 0.f;
  for (int r = 0; r < 3; ++r) {
    for (int k = 0; k < 3; ++k) {
      const float dm = 2.f * (dS[r * 3 + 0] * M[0 + k] + dS[r * 3 + 1] * M[3 + k] + dS[r * 3 + 2] * M[6 + k]);
      dR[r * 3 + k] = dm * sc[k];
      grad_scale[k] += dm * R[r * 3 + k];
    }
  }
  // R(q) with q = (w, x, y, z) normalised; d R_ij / d q from the matrix in compute_geometry.
  const float w = g.qn[0], x = g.qn[1], y = g.qn[2], zq = g.qn[3];
  float dq[4];
  dq[0] = 2.f * (-zq * dR[1] + y * dR[2] + zq * dR[3] - x * dR[5] - y * dR[6] + x * dR[7]);
  dq[1] = 2.f * (y * dR[1] + zq * dR[2] + y * dR[3] - 2.f * x * dR[4] - w * dR[5] + zq * dR[6] + w * dR[7] -
                 2.f * x * dR[8]);
  dq[2] = 2.f * (-2.f * y * dR[0] + x * dR[1] + w * dR[2] + x * dR[3] + zq * dR[5] - w * dR[6] + zq * dR[7] -
                 2.f * y * dR[8]);
  dq[3] = 2.f * (-2.f * zq * dR[0] - w * dR[1] + x * dR[2] + w * dR[3] - 2.f * zq * dR[4] + y * dR[5] +
                 x * dR[6] + y * dR[7]);
  // qn = q / |q|  =>  dL/dq = (dL/dqn - qn (qn . dL/dqn)) / |q| (projection onto the tangent).
  const float proj = w * dq[0] + x * dq[1] + y * dq[2] + zq * dq[3];
  const float inv = 1.0f / g.qnorm;
  for (int k = 0; k < 4; ++k) grad_quat[k] = (dq[k] - g.qn[k] * proj) * inv;
}

}  // namespace splat::cpu
