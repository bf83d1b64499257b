// Tile intersection (SPEC "Tiles and order"): every visible splat emits one (key, splat index)
// pair per tile of its rectangle, key = tile id << 32 | depth bits; a device radix sort orders
// the pairs by tile, then depth. cub::DeviceRadixSort is stable and pairs are emitted in splat
// index order (each splat writes at its exclusive-scan offset), so equal depths keep increasing
// splat index, as the SPEC requires. Then each tile's [start, end) run is found.
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_scan.cuh>

#include "cuda_check.h"
#include "kernels.h"

namespace splat {
namespace cuda_detail {
namespace {

__global__ void __launch_bounds__(LINEAR_BLOCK)
    emit_pairs_kernel(int32_t n, const float* __restrict__ depth, const int4* __restrict__ rect,
                      const int64_t* __restrict__ touched, const int64_t* __restrict__ offsets, int32_t tiles_x,
                      uint64_t* __restrict__ keys, uint32_t* __restrict__ values) {
  const int32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n || touched[i] == 0) return;
  cudamath::ProjectedSplat s;
  const int4 r = rect[i];
  s.tile_x0 = r.x;
  s.tile_y0 = r.y;
  s.tile_x1 = r.z;
  s.tile_y1 = r.w;
  s.depth = depth[i];
  s.radius = 1;
  const int64_t start = offsets[i] - touched[i];
  cudamath::emit_pairs(s, static_cast<uint32_t>(i), tiles_x, keys + start, values + start);
}

__global__ void __launch_bounds__(LINEAR_BLOCK)
    tile_ranges_kernel(const uint64_t* __restrict__ keys, int32_t pairs, int2* ranges) {
  const int32_t idx = blockIdx.x * blockDim.x + threadIdx.x;
  if (idx >= pairs) return;
  // int2 is two int32 (start, end), the layout tile_range_step writes.
  cudamath::tile_range_step(keys, pairs, idx, reinterpret_cast<int32_t*>(ranges));
}

}  // namespace

void launch_emit_pairs(int32_t n, const float* depth, const int4* rect, const int64_t* touched, const int64_t* offsets,
                       int32_t tiles_x, uint64_t* keys, uint32_t* values, cudaStream_t stream) {
  if (n <= 0) return;
  emit_pairs_kernel<<<(n + LINEAR_BLOCK - 1) / LINEAR_BLOCK, LINEAR_BLOCK, 0, stream>>>(n, depth, rect, touched,
                                                                                        offsets, tiles_x, keys, values);
  SPLAT_CUDA_CHECK_LAUNCH("emit_pairs_kernel");
}

void launch_tile_ranges(const uint64_t* keys_sorted, int32_t pairs, int2* ranges, cudaStream_t stream) {
  if (pairs <= 0) return;
  tile_ranges_kernel<<<(pairs + LINEAR_BLOCK - 1) / LINEAR_BLOCK, LINEAR_BLOCK, 0, stream>>>(keys_sorted, pairs,
                                                                                             ranges);
  SPLAT_CUDA_CHECK_LAUNCH("tile_ranges_kernel");
}

void inclusive_scan(const int64_t* in, int64_t* out, int32_t n, cudaStream_t stream) {
  if (n <= 0) return;
  size_t bytes = 0;
  SPLAT_CUDA_CHECK(cub::DeviceScan::InclusiveSum(nullptr, bytes, in, out, n, stream));
  DeviceBuffer<unsigned char> scratch(bytes, stream);
  SPLAT_CUDA_CHECK(cub::DeviceScan::InclusiveSum(scratch.get(), bytes, in, out, n, stream));
}

void sort_pairs(const uint64_t* keys_in, uint64_t* keys_out, const uint32_t* values_in, uint32_t* values_out,
                int32_t pairs, int end_bit, cudaStream_t stream) {
  if (pairs <= 0) return;
  size_t bytes = 0;
  SPLAT_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, bytes, keys_in, keys_out, values_in, values_out, pairs, 0,
                                                   end_bit, stream));
  DeviceBuffer<unsigned char> scratch(bytes, stream);
  SPLAT_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(scratch.get(), bytes, keys_in, keys_out, values_in, values_out,
                                                   pairs, 0, end_bit, stream));
}

}  // namespace cuda_detail
}  // namespace splat
