// Projection stage on the GPU: one thread per splat, SPEC "Per splat (projection)" forward and
// its backward. The maths is cudamath::project_splat / project_splat_backward (splat_math.h),
// the same functions the host emulation runs in the tests.
#include "cuda_check.h"
#include "kernels.h"

namespace splat {
namespace cuda_detail {
namespace {

__global__ void __launch_bounds__(LINEAR_BLOCK)
    project_kernel(int32_t n, cudamath::ProjectionCamera cam, const float* __restrict__ means,
                   const float* __restrict__ scales, const float* __restrict__ quats,
                   const float* __restrict__ opacities, float2* __restrict__ mean2d,
                   float4* __restrict__ conic_opacity, float* __restrict__ depth, int4* __restrict__ rect,
                   int64_t* __restrict__ touched) {
  const int32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  cudamath::ProjectedSplat s;
  if (!cudamath::project_splat(cam, means + 3 * i, scales + 3 * i, quats + 4 * i, s)) {
    touched[i] = 0;
    return;
  }
  mean2d[i] = make_float2(s.mean2d_x, s.mean2d_y);
  conic_opacity[i] = make_float4(s.conic_a, s.conic_b, s.conic_c, opacities[i]);
  depth[i] = s.depth;
  rect[i] = make_int4(s.tile_x0, s.tile_y0, s.tile_x1, s.tile_y1);
  touched[i] = cudamath::tiles_touched(s);
}

__global__ void __launch_bounds__(LINEAR_BLOCK)
    project_backward_kernel(int32_t n, cudamath::ProjectionCamera cam, const float* __restrict__ means,
                            const float* __restrict__ scales, const float* __restrict__ quats,
                            const int64_t* __restrict__ touched, const float* __restrict__ g_mean2d,
                            const float* __restrict__ g_conic, float* __restrict__ d_means,
                            float* __restrict__ d_scales, float* __restrict__ d_quats) {
  const int32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  if (touched[i] == 0) {  // culled: no gradient (SPEC "Backward")
    for (int k = 0; k < 3; ++k) d_means[3 * i + k] = 0.f, d_scales[3 * i + k] = 0.f;
    for (int k = 0; k < 4; ++k) d_quats[4 * i + k] = 0.f;
    return;
  }
  cudamath::project_splat_backward(cam, means + 3 * i, scales + 3 * i, quats + 4 * i, g_mean2d[2 * i],
                                   g_mean2d[2 * i + 1], g_conic[3 * i], g_conic[3 * i + 1], g_conic[3 * i + 2],
                                   d_means + 3 * i, d_scales + 3 * i, d_quats + 4 * i);
}

int32_t blocks_for(int32_t n) { return (n + LINEAR_BLOCK - 1) / LINEAR_BLOCK; }

}  // namespace

void launch_project(int32_t n, const cudamath::ProjectionCamera& cam, const float* means, const float* scales,
                    const float* quats, const float* opacities, float2* mean2d, float4* conic_opacity, float* depth,
                    int4* rect, int64_t* touched, cudaStream_t stream) {
  if (n <= 0) return;
  project_kernel<<<blocks_for(n), LINEAR_BLOCK, 0, stream>>>(n, cam, means, scales, quats, opacities, mean2d,
                                                             conic_opacity, depth, rect, touched);
  SPLAT_CUDA_CHECK_LAUNCH("project_kernel");
}

void launch_project_backward(int32_t n, const cudamath::ProjectionCamera& cam, const float* means,
                             const float* scales, const float* quats, const int64_t* touched, const float* g_mean2d,
                             const float* g_conic, float* d_means, float* d_scales, float* d_quats,
                             cudaStream_t stream) {
  if (n <= 0) return;
  project_backward_kernel<<<blocks_for(n), LINEAR_BLOCK, 0, stream>>>(n, cam, means, scales, quats, touched, g_mean2d,
                                                                      g_conic, d_means, d_scales, d_quats);
  SPLAT_CUDA_CHECK_LAUNCH("project_backward_kernel");
}

}  // namespace cuda_detail
}  // namespace splat
