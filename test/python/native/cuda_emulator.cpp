// Host emulation of the CUDA backend's pipeline (src/native-gpu/cuda/), for machines without a
// GPU. It runs the same SPLAT_HD functions of cuda/splat_math.h that the kernels call, in the
// same data flow: one projection per splat, tiles_touched + inclusive scan, pairs emitted in
// splat order with 64-bit keys, a stable sort (the radix sort's stability), tile ranges, per-pixel
// front-to-back blending that records final T and n_contrib, back-to-front replay from n_contrib,
// then the per-splat projection backward. What it cannot cover: shared-memory batching, block
// synchronisation, atomics, cub and the launch/memory code (see test_cuda.py for the GPU tests).
// Built as a plain shared library with a C interface (no torch or pybind11 headers: it compiles
// in about a second) and driven through ctypes by test/python/cuda_emulator.py.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "splat_math.h"

namespace cm = splat::cudamath;

namespace {

struct Inputs {
  int64_t n;
  const float* means;      // [N*3]
  const float* scales;     // [N*3]
  const float* quats;      // [N*4]
  const float* opacities;  // [N]
  const float* colors;     // [N*3]
  const float* bg;         // [H*W*3] when bg_image, else [3]
  bool bg_image;
};

// What the forward kernels leave in device memory for the backward.
struct Frame {
  cm::ProjectionCamera pc;
  std::vector<cm::ProjectedSplat> proj;
  std::vector<int64_t> touched;
  std::vector<uint32_t> values_sorted;
  std::vector<int32_t> ranges;  // 2 per tile
  std::vector<float> final_T;
  std::vector<int32_t> n_contrib;
};

// project_kernel, inclusive scan, emit_pairs_kernel, radix sort, tile_ranges_kernel,
// rasterize_forward_kernel (one pixel at a time). rgb/alpha/depth may be null.
Frame run_forward(const Inputs& in, const splat::Camera& cam, float* rgb, float* alpha, float* depth) {
  Frame f;
  f.pc = cm::make_projection_camera(cam);
  const int64_t n = in.n;
  f.proj.resize(n);
  f.touched.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    cm::project_splat(f.pc, in.means + 3 * i, in.scales + 3 * i, in.quats + 4 * i, f.proj[i]);
    f.touched[i] = cm::tiles_touched(f.proj[i]);
  }
  std::vector<int64_t> offsets(n);
  std::partial_sum(f.touched.begin(), f.touched.end(), offsets.begin());
  const int64_t pairs = n > 0 ? offsets[n - 1] : 0;
  std::vector<uint64_t> keys(pairs);
  std::vector<uint32_t> values(pairs);
  for (int64_t i = 0; i < n; ++i)
    if (f.touched[i] > 0) {
      const int64_t start = offsets[i] - f.touched[i];
      cm::emit_pairs(f.proj[i], static_cast<uint32_t>(i), f.pc.tiles_x, keys.data() + start, values.data() + start);
    }
  // cub::DeviceRadixSort::SortPairs over bits [0, sort_end_bit) is a stable sort on those bits.
  const int64_t num_tiles = static_cast<int64_t>(f.pc.tiles_x) * f.pc.tiles_y;
  const int end_bit = cm::sort_end_bit(num_tiles);
  const uint64_t mask = end_bit >= 64 ? ~uint64_t{0} : ((uint64_t{1} << end_bit) - 1);
  std::vector<int64_t> perm(pairs);
  std::iota(perm.begin(), perm.end(), 0);
  std::stable_sort(perm.begin(), perm.end(), [&](int64_t a, int64_t b) { return (keys[a] & mask) < (keys[b] & mask); });
  std::vector<uint64_t> keys_sorted(pairs);
  f.values_sorted.resize(pairs);
  for (int64_t k = 0; k < pairs; ++k) {
    keys_sorted[k] = keys[perm[k]];
    f.values_sorted[k] = values[perm[k]];
  }
  f.ranges.assign(2 * num_tiles, 0);
  for (int64_t k = 0; k < pairs; ++k)
    cm::tile_range_step(keys_sorted.data(), static_cast<int32_t>(pairs), static_cast<int32_t>(k), f.ranges.data());

  const int32_t w = cam.width, h = cam.height;
  f.final_T.assign(static_cast<size_t>(w) * h, 1.f);
  f.n_contrib.assign(static_cast<size_t>(w) * h, 0);
  for (int32_t py = 0; py < h; ++py)
    for (int32_t px = 0; px < w; ++px) {
      const int64_t tile = (py / splat::TILE) * f.pc.tiles_x + px / splat::TILE;
      const int64_t pix = static_cast<int64_t>(py) * w + px;
      cm::PixelState st;
      const float cxp = px + 0.5f, cyp = py + 0.5f;
      for (int32_t pos = f.ranges[2 * tile]; pos < f.ranges[2 * tile + 1]; ++pos) {
        const uint32_t j = f.values_sorted[pos];
        const cm::ProjectedSplat& p = f.proj[j];
        if (!cm::blend_splat(st, cxp, cyp, p.mean2d_x, p.mean2d_y, p.conic_a, p.conic_b, p.conic_c, in.opacities[j],
                             in.colors + 3 * j, p.depth, pos - f.ranges[2 * tile]))
          break;
      }
      f.final_T[pix] = st.T;
      f.n_contrib[pix] = st.n_contrib;
      if (rgb != nullptr)
        cm::finish_pixel(st, in.bg_image ? in.bg + 3 * pix : in.bg, rgb + 3 * pix, alpha + pix, depth + pix);
    }
  return f;
}

}  // namespace

extern "C" {

// sizeof(splat::Camera): the ctypes mirror in cuda_emulator.py checks it has the same layout.
int64_t emu_camera_size() { return static_cast<int64_t>(sizeof(splat::Camera)); }

void emu_forward(const Inputs* in, const splat::Camera* cam, float* rgb, float* alpha, float* depth,
                 int32_t* n_contrib) {
  const Frame f = run_forward(*in, *cam, rgb, alpha, depth);
  std::copy(f.n_contrib.begin(), f.n_contrib.end(), n_contrib);
}

// rasterize_backward_kernel (float sums, like its atomicAdds) and project_backward_kernel.
// Every output is overwritten; grad_alpha may be null.
void emu_backward(const Inputs* in, const splat::Camera* cam, const float* grad_rgb, const float* grad_alpha,
                  float* d_means, float* d_scales, float* d_quats, float* d_opacities, float* d_colors, float* d_bg) {
  const Frame f = run_forward(*in, *cam, nullptr, nullptr, nullptr);
  const int64_t n = in->n;
  const int32_t width = cam->width, height = cam->height;
  std::vector<float> g_mean2d(2 * n, 0.f), g_conic(3 * n, 0.f);
  std::fill(d_opacities, d_opacities + n, 0.f);
  std::fill(d_colors, d_colors + 3 * n, 0.f);
  std::fill(d_bg, d_bg + (in->bg_image ? 3 * static_cast<int64_t>(width) * height : 3), 0.f);
  for (int32_t py = 0; py < height; ++py)
    for (int32_t px = 0; px < width; ++px) {
      const int64_t tile = (py / splat::TILE) * f.pc.tiles_x + px / splat::TILE;
      const int64_t pix = static_cast<int64_t>(py) * width + px;
      const float* bgp = in->bg_image ? in->bg + 3 * pix : in->bg;
      cm::PixelGradState st = cm::begin_pixel_backward(f.final_T[pix], grad_rgb + 3 * pix,
                                                       grad_alpha ? grad_alpha[pix] : 0.f, bgp);
      for (int c = 0; c < 3; ++c) (in->bg_image ? d_bg[3 * pix + c] : d_bg[c]) += f.final_T[pix] * grad_rgb[3 * pix + c];
      const float cxp = px + 0.5f, cyp = py + 0.5f;
      for (int32_t k = f.n_contrib[pix] - 1; k >= 0; --k) {
        const uint32_t j = f.values_sorted[f.ranges[2 * tile] + k];
        const cm::ProjectedSplat& p = f.proj[j];
        cm::SplatPixelGrad g;
        if (!cm::blend_splat_backward(st, cxp, cyp, p.mean2d_x, p.mean2d_y, p.conic_a, p.conic_b, p.conic_c,
                                      in->opacities[j], in->colors + 3 * j, g))
          continue;
        for (int c = 0; c < 2; ++c) g_mean2d[2 * j + c] += g.mean2d[c];
        for (int c = 0; c < 3; ++c) g_conic[3 * j + c] += g.conic[c];
        d_opacities[j] += g.opacity;
        for (int c = 0; c < 3; ++c) d_colors[3 * j + c] += g.color[c];
      }
    }
  for (int64_t i = 0; i < n; ++i) {
    if (f.touched[i] == 0) {
      std::fill(d_means + 3 * i, d_means + 3 * i + 3, 0.f);
      std::fill(d_scales + 3 * i, d_scales + 3 * i + 3, 0.f);
      std::fill(d_quats + 4 * i, d_quats + 4 * i + 4, 0.f);
      continue;
    }
    cm::project_splat_backward(f.pc, in->means + 3 * i, in->scales + 3 * i, in->quats + 4 * i, g_mean2d[2 * i],
                               g_mean2d[2 * i + 1], g_conic[3 * i], g_conic[3 * i + 1], g_conic[3 * i + 2],
                               d_means + 3 * i, d_scales + 3 * i, d_quats + 4 * i);
  }
}

// The sorted pairs' splat ids (values, [pairs]) and per-tile [start, end) (ranges, [tiles*2]).
// Call with values null first to get the pair count.
int64_t emu_sorted_pairs(const Inputs* in, const splat::Camera* cam, int64_t* values, int32_t* ranges) {
  const Frame f = run_forward(*in, *cam, nullptr, nullptr, nullptr);
  if (values != nullptr) {
    std::copy(f.values_sorted.begin(), f.values_sorted.end(), values);
    std::copy(f.ranges.begin(), f.ranges.end(), ranges);
  }
  return static_cast<int64_t>(f.values_sorted.size());
}

uint64_t emu_sort_key(int32_t tile, float depth) { return cm::sort_key(tile, depth); }
int32_t emu_sort_end_bit(int64_t tiles) { return cm::sort_end_bit(tiles); }

}  // extern "C"
