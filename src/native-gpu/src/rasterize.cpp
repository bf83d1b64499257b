// Per-tile blending, forward and backward. The loops run splat-outer, pixel-inner: each splat of
// the tile (in order) visits the pixels of its alpha box (projection.cpp) inside the tile, 4 or
// 8 pixels of a tile row at a time (tile_kernels.inc), with the per-pixel state in small arrays.
// Every lane computes the SPEC.md "Per pixel" formulas for its pixel (exp: tile_kernels.inc,
// exp_v); the box and skip_power only skip pixels where the alpha test cannot pass, so the
// result is that of testing every pixel of the tile.
//
// The kernels are compiled twice: a baseline build (whatever the compiler targets, x86-64-v2 in
// CMakeLists.txt) and, with GCC on x86-64, an AVX2 build chosen at run time when the CPU has
// AVX2. Both give identical images. Env SPLAT_CPU_SIMD=baseline forces the baseline (tests).
#include "rasterize.h"

#if !defined(__GNUC__) && !defined(__clang__)
#error "the splat CPU backend needs GCC or Clang (vector extensions); on Windows build with clang-cl"
#endif

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <immintrin.h>
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(SPLAT_NO_AVX2)
#define SPLAT_HAVE_AVX2_BUILD 1
#else
#define SPLAT_HAVE_AVX2_BUILD 0
#endif

namespace splat::cpu {

namespace {

constexpr int TILE_PIXELS = TILE * TILE;

// Pixel rectangle (inclusive).
struct PixelRect {
  int x0, y0, x1, y1;
};

inline PixelRect tile_rect(const TileJob& job) {
  const int x0 = job.tile_x * TILE, y0 = job.tile_y * TILE;
  return {x0, y0, std::min(x0 + TILE, job.width) - 1, std::min(y0 + TILE, job.height) - 1};
}

// The part of splat s's alpha box inside the rectangle; false when empty.
inline bool clip_box(const Projected& s, const PixelRect& r, PixelRect& o) {
  o.x0 = std::max<int>(s.box_x0, r.x0);
  o.y0 = std::max<int>(s.box_y0, r.y0);
  o.x1 = std::min<int>(s.box_x1, r.x1);
  o.y1 = std::min<int>(s.box_y1, r.y1);
  return o.x0 <= o.x1 && o.y0 <= o.y1;
}

inline const float* background_at(const Background& bg, size_t pixel) {
  return bg.image != nullptr ? bg.image + 3 * pixel : bg.color;
}

// Front-to-back blending state of one tile. T is negated once a pixel has stopped (so its sign
// is the "done" flag and |T| the final transmittance); pixels outside the image start stopped.
// last = 1 + position of the last blended splat in the tile list (0 if none).
struct alignas(32) TileBlend {
  float T[TILE_PIXELS];
  float C[3][TILE_PIXELS];
  float D[TILE_PIXELS];
  int32_t last[TILE_PIXELS];
};

// Per-pixel state of the backward replay (see rasterize_tile_backward).
struct alignas(32) TileReplay {
  float g[3][TILE_PIXELS];  // dL/drgb
  float ga[TILE_PIXELS];    // dL/dalpha
  float t_final[TILE_PIXELS];
  float S[3][TILE_PIXELS];  // colour behind the current splat, background included
};

}  // namespace

namespace baseline {
namespace {
#define SPLAT_KERNEL_AVX2 0
#include "tile_kernels.inc"
#undef SPLAT_KERNEL_AVX2
}  // namespace
}  // namespace baseline

#if SPLAT_HAVE_AVX2_BUILD
#pragma GCC push_options
#pragma GCC target("avx2")
namespace avx2 {
namespace {
#define SPLAT_KERNEL_AVX2 1
#include "tile_kernels.inc"
#undef SPLAT_KERNEL_AVX2
}  // namespace
}  // namespace avx2
#pragma GCC pop_options
#endif

namespace {

bool use_avx2() {
#if SPLAT_HAVE_AVX2_BUILD
  const char* forced = std::getenv("SPLAT_CPU_SIMD");
  if (forced != nullptr && std::strcmp(forced, "baseline") == 0) return false;
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

void blend_tile(const TileJob& job, const PixelRect& r, TileBlend& b) {
#if SPLAT_HAVE_AVX2_BUILD
  if (use_avx2()) return avx2::blend_tile(job, r, b);
#endif
  baseline::blend_tile(job, r, b);
}

void replay_tile(const TileJob& job, const PixelRect& r, TileBlend& b, TileReplay& p, float* entry_grads) {
#if SPLAT_HAVE_AVX2_BUILD
  if (use_avx2()) return avx2::replay_tile(job, r, b, p, entry_grads);
#endif
  baseline::replay_tile(job, r, b, p, entry_grads);
}

}  // namespace

void rasterize_tile_forward(const TileJob& job, const Background& background, const RenderOutputs& out) {
  const PixelRect r = tile_rect(job);
  TileBlend b;
  blend_tile(job, r, b);
  for (int y = r.y0; y <= r.y1; ++y) {
    for (int x = r.x0; x <= r.x1; ++x) {
      const int li = (y - r.y0) * TILE + (x - r.x0);
      const size_t pix = static_cast<size_t>(y) * job.width + x;
      const float T = b.T[li];
      const float* bg = background_at(background, pix);
      for (int ch = 0; ch < 3; ++ch) out.rgb[3 * pix + ch] = b.C[ch][li] + T * bg[ch];
      const float a = 1.0f - T;
      out.alpha[pix] = a;
      out.depth[pix] = a > DEPTH_ALPHA_EPS ? b.D[li] / a : 0.0f;  // SPEC: D / (1 - T) where 1 - T > 1e-6
    }
  }
}

// Backward of the blending, per pixel with K blended splats (front to back i = 1..K):
//   rgb = sum_i c_i a_i T_i + T_K+1 bg,  out_alpha = 1 - T_K+1,  T_i = prod_{j<i} (1 - a_j).
// Writing S_i = (sum_{j>i} c_j a_j T_j + T_K+1 bg) / T_i+1 (colour behind splat i, background
// included), S_K = bg and S_i-1 = a_i c_i + (1 - a_i) S_i, so back to front:
//   dL/dc_i = g a_i T_i,
//   dL/da_i = T_i g.(c_i - S_i) + g_alpha T_K+1 / (1 - a_i)
// with g = dL/drgb, g_alpha = dL/dalpha. T_i is recovered as T_i+1 / (1 - a_i) (a_i <= 0.99),
// as in 3DGS's backward kernel. Then a_i = min(ALPHA_MAX, o G), G = exp(power): unclamped
// da/do = G, da/dpower = a_i; clamped, both 0 (SPEC "Backward"). With power =
// -(a dx^2 + c dy^2)/2 - b dx dy and d = mean2d - p:
//   dpower/dmean2d = -(a dx + b dy, b dx + c dy), dpower/d(a, b, c) = (-dx^2/2, -dx dy, -dy^2/2).
void rasterize_tile_backward(const TileJob& job, const Background& background, const float* grad_rgb,
                             const float* grad_alpha, float* entry_grads, float* grad_background,
                             double bg_sum[3]) {
  const PixelRect r = tile_rect(job);
  TileBlend b;
  blend_tile(job, r, b);
  TileReplay p;
  for (int i = 0; i < TILE_PIXELS; ++i) {  // pixels outside the image: inert (last = 0)
    p.g[0][i] = p.g[1][i] = p.g[2][i] = p.ga[i] = 0.0f;
    p.S[0][i] = p.S[1][i] = p.S[2][i] = 0.0f;
    p.t_final[i] = b.T[i];
  }
  for (int y = r.y0; y <= r.y1; ++y) {
    for (int x = r.x0; x <= r.x1; ++x) {
      const int li = (y - r.y0) * TILE + (x - r.x0);
      const size_t pix = static_cast<size_t>(y) * job.width + x;
      const float* bg = background_at(background, pix);
      for (int ch = 0; ch < 3; ++ch) {
        p.g[ch][li] = grad_rgb[3 * pix + ch];
        p.S[ch][li] = bg[ch];
        const float dbg = b.T[li] * p.g[ch][li];  // dL/dbg = T dL/drgb
        if (background.image != nullptr) {
          if (grad_background != nullptr) grad_background[3 * pix + ch] = dbg;
        } else {
          bg_sum[ch] += dbg;
        }
      }
      p.ga[li] = grad_alpha != nullptr ? grad_alpha[pix] : 0.0f;
    }
  }
  replay_tile(job, r, b, p, entry_grads);
}

}  // namespace splat::cpu
