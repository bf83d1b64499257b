// Launchers of the CUDA kernels, one group per stage and file (project.cu, tiles.cu,
// rasterize.cu); backend.cu chains them. All pointers are device memory; work is queued on
// `stream`. Launchers check the launch and assume the preconditions backend.cu establishes.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "splat/params.h"
#include "splat_math.h"

namespace splat {
namespace cuda_detail {

constexpr int RASTER_BLOCK = TILE * TILE;  // one thread per pixel of a tile
constexpr int LINEAR_BLOCK = 256;          // per-splat and per-pair kernels

// ---- project.cu
// Per splat (SPEC "Per splat"): mean2d [N] (pixels), conic_opacity [N] (a, b, c, opacity),
// depth [N] (camera z), rect [N] (inclusive tile x0, y0, x1, y1), touched [N] (tiles covered,
// 0 when culled).
void launch_project(int32_t n, const cudamath::ProjectionCamera& cam, const float* means, const float* scales,
                    const float* quats, const float* opacities, float2* mean2d, float4* conic_opacity, float* depth,
                    int4* rect, int64_t* touched, cudaStream_t stream);

// Per splat: dL/dmean2d [2N] and dL/dconic [3N] through the projection to dL/dmeans [3N],
// dL/dscales [3N], dL/dquats [4N]; splats with touched == 0 get zeros.
void launch_project_backward(int32_t n, const cudamath::ProjectionCamera& cam, const float* means,
                             const float* scales, const float* quats, const int64_t* touched, const float* g_mean2d,
                             const float* g_conic, float* d_means, float* d_scales, float* d_quats,
                             cudaStream_t stream);

// ---- tiles.cu
// Pairs of splat i at [offsets[i] - touched[i], offsets[i]) (offsets: inclusive scan of touched).
void launch_emit_pairs(int32_t n, const float* depth, const int4* rect, const int64_t* touched, const int64_t* offsets,
                       int32_t tiles_x, uint64_t* keys, uint32_t* values, cudaStream_t stream);
// ranges [tiles] (start, end) in the sorted pairs; must be zeroed before.
void launch_tile_ranges(const uint64_t* keys_sorted, int32_t pairs, int2* ranges, cudaStream_t stream);
// cub wrappers; scratch is allocated inside (stream-ordered).
void inclusive_scan(const int64_t* in, int64_t* out, int32_t n, cudaStream_t stream);
void sort_pairs(const uint64_t* keys_in, uint64_t* keys_out, const uint32_t* values_in, uint32_t* values_out,
                int32_t pairs, int end_bit, cudaStream_t stream);

// ---- rasterize.cu
struct RasterInputs {
  int32_t width, height, tiles_x, tiles_y;
  const int2* ranges;            // [tiles]
  const uint32_t* ids;           // [pairs] splat index of each sorted pair
  const float2* mean2d;          // [N]
  const float4* conic_opacity;   // [N]
  const float* colors;           // [3N]
  const float* depth;            // [N]
  const float* bg_image;         // [H*W*3] or nullptr
  float3 bg_color;               // used when bg_image is nullptr
};

// Front-to-back blending; writes final_T [H*W] and n_contrib [H*W] always, rgb/alpha/depth
// [H*W*3]/[H*W]/[H*W] when rgb is not null.
void launch_rasterize_forward(const RasterInputs& in, float* rgb, float* alpha, float* depth_out, float* final_T,
                              int32_t* n_contrib, cudaStream_t stream);

// Back-to-front replay. Accumulates (atomicAdd, buffers zeroed before) g_mean2d [2N],
// g_conic [3N], g_opacity [N], g_colors [3N]; writes g_bg [H*W*3] for an image background or
// adds into g_bg [3] (zeroed before) for a colour.
void launch_rasterize_backward(const RasterInputs& in, const float* final_T, const int32_t* n_contrib,
                               const float* grad_rgb, const float* grad_alpha, float* g_mean2d, float* g_conic,
                               float* g_opacity, float* g_colors, float* g_bg, cudaStream_t stream);

// cudaFuncGetAttributes of the forward kernel: cudaErrorNoKernelImageForDevice (or a driver
// error) when this build cannot run on the current device.
cudaError_t probe_kernel_image();

}  // namespace cuda_detail
}  // namespace splat
