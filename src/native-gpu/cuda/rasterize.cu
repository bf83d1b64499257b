// Rasterization on the GPU: one 16x16 thread block per tile, one thread per pixel (SPEC "Per
// pixel"). Splats of the tile's sorted list are staged through shared memory in batches of 256
// (one per thread); the per-splat step is cudamath::blend_splat / blend_splat_backward
// (splat_math.h), the same code the host emulation tests. Kerbl et al. 2023, section 6.
#include "cuda_check.h"
#include "kernels.h"

namespace splat {
namespace cuda_detail {
namespace {

__device__ inline const float* pixel_background(const RasterInputs& in, int64_t pix, const float3& color_storage) {
  return in.bg_image != nullptr ? in.bg_image + 3 * pix : &color_storage.x;
}

__global__ void __launch_bounds__(RASTER_BLOCK)
    rasterize_forward_kernel(RasterInputs in, float* __restrict__ rgb, float* __restrict__ alpha,
                             float* __restrict__ depth_out, float* __restrict__ final_T,
                             int32_t* __restrict__ n_contrib) {
  const int32_t tile = blockIdx.y * in.tiles_x + blockIdx.x;
  const int32_t px = blockIdx.x * TILE + threadIdx.x;
  const int32_t py = blockIdx.y * TILE + threadIdx.y;
  const int32_t rank = threadIdx.y * TILE + threadIdx.x;
  const bool inside = px < in.width && py < in.height;
  const float cx = static_cast<float>(px) + 0.5f, cy = static_cast<float>(py) + 0.5f;
  const int2 range = in.ranges[tile];

  __shared__ float2 s_mean[RASTER_BLOCK];
  __shared__ float4 s_conic[RASTER_BLOCK];  // a, b, c, opacity
  __shared__ float4 s_color[RASTER_BLOCK];  // r, g, b, depth

  cudamath::PixelState st;
  bool done = !inside;  // threads outside the image still load batches and reach every barrier
  for (int32_t base = range.x; base < range.y; base += RASTER_BLOCK) {
    // Also the barrier that keeps this batch's loads from overwriting the previous batch.
    if (__syncthreads_count(done) == RASTER_BLOCK) break;
    const int32_t idx = base + rank;
    if (idx < range.y) {
      const uint32_t j = in.ids[idx];
      s_mean[rank] = in.mean2d[j];
      s_conic[rank] = in.conic_opacity[j];
      s_color[rank] = make_float4(in.colors[3 * j], in.colors[3 * j + 1], in.colors[3 * j + 2], in.depth[j]);
    }
    __syncthreads();
    const int32_t count = min(RASTER_BLOCK, range.y - base);
    for (int32_t k = 0; k < count && !done; ++k) {
      const float4 co = s_conic[k];
      const float4 cd = s_color[k];
      const float color[3] = {cd.x, cd.y, cd.z};
      if (!cudamath::blend_splat(st, cx, cy, s_mean[k].x, s_mean[k].y, co.x, co.y, co.z, co.w, color, cd.w,
                                 base - range.x + k))
        done = true;
    }
  }
  if (!inside) return;
  const int64_t pix = static_cast<int64_t>(py) * in.width + px;
  final_T[pix] = st.T;
  n_contrib[pix] = st.n_contrib;
  if (rgb != nullptr) {
    const float3 bg_color = in.bg_color;
    cudamath::finish_pixel(st, pixel_background(in, pix, bg_color), rgb + 3 * pix, alpha + pix, depth_out + pix);
  }
}

constexpr unsigned FULL_MASK = 0xffffffffu;

__device__ inline float warp_sum(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(FULL_MASK, v, offset);
  return v;
}

__global__ void __launch_bounds__(RASTER_BLOCK)
    rasterize_backward_kernel(RasterInputs in, const float* __restrict__ final_T,
                              const int32_t* __restrict__ n_contrib, const float* __restrict__ grad_rgb,
                              const float* __restrict__ grad_alpha, float* __restrict__ g_mean2d,
                              float* __restrict__ g_conic, float* __restrict__ g_opacity,
                              float* __restrict__ g_colors, float* __restrict__ g_bg) {
  const int32_t tile = blockIdx.y * in.tiles_x + blockIdx.x;
  const int32_t px = blockIdx.x * TILE + threadIdx.x;
  const int32_t py = blockIdx.y * TILE + threadIdx.y;
  const int32_t rank = threadIdx.y * TILE + threadIdx.x;
  const int32_t lane = rank & 31;
  const bool inside = px < in.width && py < in.height;
  const float cx = static_cast<float>(px) + 0.5f, cy = static_cast<float>(py) + 0.5f;
  const int2 range = in.ranges[tile];
  const int64_t pix = inside ? static_cast<int64_t>(py) * in.width + px : 0;

  const float T_final = inside ? final_T[pix] : 1.f;
  const int32_t last = inside ? n_contrib[pix] : 0;
  float g_rgb[3] = {0.f, 0.f, 0.f};
  float g_a = 0.f;
  if (inside) {
    for (int c = 0; c < 3; ++c) g_rgb[c] = grad_rgb[3 * pix + c];
    if (grad_alpha != nullptr) g_a = grad_alpha[pix];
  }
  const float3 bg_color = in.bg_color;
  const float* bg = pixel_background(in, pix, bg_color);
  cudamath::PixelGradState st = cudamath::begin_pixel_backward(T_final, g_rgb, g_a, bg);

  // Background: composite C + T * bg, so dL/dbg = T_final * dL/drgb (summed for a colour).
  if (in.bg_image != nullptr) {
    if (inside)
      for (int c = 0; c < 3; ++c) g_bg[3 * pix + c] = T_final * g_rgb[c];
  } else {
    for (int c = 0; c < 3; ++c) {
      const float s = warp_sum(inside ? T_final * g_rgb[c] : 0.f);
      if (lane == 0 && s != 0.f) atomicAdd(&g_bg[c], s);
    }
  }

  // Only positions below the block's largest n_contrib can contribute.
  __shared__ int32_t s_max_last;
  if (rank == 0) s_max_last = 0;
  __syncthreads();
  if (last > 0) atomicMax(&s_max_last, last);
  __syncthreads();
  const int32_t max_last = s_max_last;

  __shared__ uint32_t s_id[RASTER_BLOCK];
  __shared__ float2 s_mean[RASTER_BLOCK];
  __shared__ float4 s_conic[RASTER_BLOCK];  // a, b, c, opacity
  __shared__ float4 s_color[RASTER_BLOCK];  // r, g, b, (unused)

  // Batches of positions [start, end) of the tile list, visited back to front; s_*[t] holds
  // position end - 1 - t.
  for (int32_t end = max_last; end > 0; end -= RASTER_BLOCK) {
    const int32_t start = max(0, end - RASTER_BLOCK);
    __syncthreads();  // the previous batch is consumed by every thread
    const int32_t pos_load = end - 1 - rank;
    if (pos_load >= start) {
      const uint32_t j = in.ids[range.x + pos_load];
      s_id[rank] = j;
      s_mean[rank] = in.mean2d[j];
      s_conic[rank] = in.conic_opacity[j];
      s_color[rank] = make_float4(in.colors[3 * j], in.colors[3 * j + 1], in.colors[3 * j + 2], 0.f);
    }
    __syncthreads();
    // Block-uniform trip count: every lane of a warp runs each iteration, so warp shuffles are safe.
    for (int32_t t = 0; t < end - start; ++t) {
      const int32_t pos = end - 1 - t;
      cudamath::SplatPixelGrad g = {};
      bool contributes = false;
      if (pos < last) {  // blended in the forward (last = 0 outside the image)
        const float4 co = s_conic[t];
        const float4 cc = s_color[t];
        const float color[3] = {cc.x, cc.y, cc.z};
        contributes = cudamath::blend_splat_backward(st, cx, cy, s_mean[t].x, s_mean[t].y, co.x, co.y, co.z, co.w,
                                                     color, g);
      }
      if (!contributes) g = cudamath::SplatPixelGrad{};
      if (!__any_sync(FULL_MASK, contributes)) continue;
      // One atomicAdd per warp and value instead of one per pixel.
      const float sums[9] = {warp_sum(g.mean2d[0]), warp_sum(g.mean2d[1]), warp_sum(g.conic[0]),
                             warp_sum(g.conic[1]),  warp_sum(g.conic[2]),  warp_sum(g.opacity),
                             warp_sum(g.color[0]),  warp_sum(g.color[1]),  warp_sum(g.color[2])};
      if (lane == 0) {
        const uint32_t j = s_id[t];
        atomicAdd(&g_mean2d[2 * j], sums[0]);
        atomicAdd(&g_mean2d[2 * j + 1], sums[1]);
        atomicAdd(&g_conic[3 * j], sums[2]);
        atomicAdd(&g_conic[3 * j + 1], sums[3]);
        atomicAdd(&g_conic[3 * j + 2], sums[4]);
        atomicAdd(&g_opacity[j], sums[5]);
        atomicAdd(&g_colors[3 * j], sums[6]);
        atomicAdd(&g_colors[3 * j + 1], sums[7]);
        atomicAdd(&g_colors[3 * j + 2], sums[8]);
      }
    }
  }
}

dim3 tile_grid(const RasterInputs& in) {
  return dim3(static_cast<unsigned>(in.tiles_x), static_cast<unsigned>(in.tiles_y));
}

}  // namespace

void launch_rasterize_forward(const RasterInputs& in, float* rgb, float* alpha, float* depth_out, float* final_T,
                              int32_t* n_contrib, cudaStream_t stream) {
  rasterize_forward_kernel<<<tile_grid(in), dim3(TILE, TILE), 0, stream>>>(in, rgb, alpha, depth_out, final_T,
                                                                           n_contrib);
  SPLAT_CUDA_CHECK_LAUNCH("rasterize_forward_kernel");
}

void launch_rasterize_backward(const RasterInputs& in, const float* final_T, const int32_t* n_contrib,
                               const float* grad_rgb, const float* grad_alpha, float* g_mean2d, float* g_conic,
                               float* g_opacity, float* g_colors, float* g_bg, cudaStream_t stream) {
  rasterize_backward_kernel<<<tile_grid(in), dim3(TILE, TILE), 0, stream>>>(
      in, final_T, n_contrib, grad_rgb, grad_alpha, g_mean2d, g_conic, g_opacity, g_colors, g_bg);
  SPLAT_CUDA_CHECK_LAUNCH("rasterize_backward_kernel");
}

cudaError_t probe_kernel_image() {
  cudaFuncAttributes attr;
  return cudaFuncGetAttributes(&attr, rasterize_forward_kernel);
}

}  // namespace cuda_detail
}  // namespace splat
