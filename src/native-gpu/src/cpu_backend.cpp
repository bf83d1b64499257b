// The CPU backend of backends.h: projection (parallel over splats) -> binning -> rasterization
// (parallel over tiles). Forward pixels are each computed by one thread in a fixed order, so the
// image does not depend on the thread count. The backward is deterministic too: each tile writes
// its per-entry gradients to its own slots and every splat gathers its entries in tile order.
#include <algorithm>
#include <vector>

#include "binning.h"
#include "parallel.h"
#include "projection.h"
#include "rasterize.h"
#include "splat/backends.h"

namespace splat {

namespace {

constexpr size_t SPLAT_CHUNK = 2048;  // splats per parallel work item

std::vector<cpu::Projected> project_all(const SplatsView& splats, const cpu::ViewSetup& view, int threads) {
  const size_t n = static_cast<size_t>(splats.count);
  std::vector<cpu::Projected> projected(n);
  cpu::parallel_for((n + SPLAT_CHUNK - 1) / SPLAT_CHUNK, threads, [&](size_t chunk) {
    const size_t end = std::min(n, (chunk + 1) * SPLAT_CHUNK);
    for (size_t i = chunk * SPLAT_CHUNK; i < end; ++i) {
      cpu::project_splat(splats, static_cast<int64_t>(i), view, projected[i]);
    }
  });
  return projected;
}

// The binned splats in (depth, index) order, as the tile lists index them.
std::vector<cpu::Projected> sorted_copy(const std::vector<cpu::Projected>& projected, const cpu::TileBins& bins,
                                        int threads) {
  const size_t n = bins.order.size();
  std::vector<cpu::Projected> sorted(n);
  cpu::parallel_for((n + SPLAT_CHUNK - 1) / SPLAT_CHUNK, threads, [&](size_t chunk) {
    const size_t end = std::min(n, (chunk + 1) * SPLAT_CHUNK);
    for (size_t j = chunk * SPLAT_CHUNK; j < end; ++j) sorted[j] = projected[bins.order[j]];
  });
  return sorted;
}

cpu::TileJob tile_job(const std::vector<cpu::Projected>& projected, const cpu::TileBins& bins,
                      const cpu::ViewSetup& view, size_t tile) {
  cpu::TileJob job;
  job.projected = projected.data();
  job.ids = bins.ids.data() + bins.offsets[tile];
  job.count = bins.offsets[tile + 1] - bins.offsets[tile];
  job.tile_x = static_cast<int32_t>(tile % static_cast<size_t>(bins.tiles_x));
  job.tile_y = static_cast<int32_t>(tile / static_cast<size_t>(bins.tiles_x));
  job.width = view.width;
  job.height = view.height;
  return job;
}

}  // namespace

void forward_cpu(const SplatsView& splats, const Camera& camera, const Background& background,
                 const RenderOutputs& out, int threads) {
  const cpu::ViewSetup view = cpu::make_view_setup(camera);
  const std::vector<cpu::Projected> projected = project_all(splats, view, threads);
  cpu::TileBins bins;
  cpu::bin_splats(projected.data(), splats.count, view.tiles_x, view.tiles_y, false, bins);
  const std::vector<cpu::Projected> sorted = sorted_copy(projected, bins, threads);
  const size_t tiles = static_cast<size_t>(view.tiles_x) * static_cast<size_t>(view.tiles_y);
  cpu::parallel_for(tiles, threads, [&](size_t tile) {
    cpu::rasterize_tile_forward(tile_job(sorted, bins, view, tile), background, out);
  });
}

void backward_cpu(const SplatsView& splats, const Camera& camera, const Background& background,
                  const float* grad_rgb, const float* grad_alpha, const SplatGrads& grads, int threads) {
  const cpu::ViewSetup view = cpu::make_view_setup(camera);
  const std::vector<cpu::Projected> projected = project_all(splats, view, threads);
  cpu::TileBins bins;
  cpu::bin_splats(projected.data(), splats.count, view.tiles_x, view.tiles_y, true, bins);
  const std::vector<cpu::Projected> sorted = sorted_copy(projected, bins, threads);
  const size_t tiles = static_cast<size_t>(view.tiles_x) * static_cast<size_t>(view.tiles_y);

  // Blending backward per tile into per-entry records (no two tiles share a slot).
  std::vector<float> entry_grads(bins.ids.size() * cpu::ENTRY_GRAD_FLOATS);
  std::vector<double> tile_bg(background.image != nullptr ? 0 : tiles * 3, 0.0);
  cpu::parallel_for(tiles, threads, [&](size_t tile) {
    const cpu::TileJob job = tile_job(sorted, bins, view, tile);
    double* bg_sum = background.image != nullptr ? nullptr : tile_bg.data() + 3 * tile;
    double unused[3] = {0.0, 0.0, 0.0};
    cpu::rasterize_tile_backward(job, background, grad_rgb, grad_alpha,
                                 entry_grads.data() + bins.offsets[tile] * cpu::ENTRY_GRAD_FLOATS,
                                 grads.background, bg_sum != nullptr ? bg_sum : unused);
  });
  if (background.image == nullptr && grads.background != nullptr) {
    double sum[3] = {0.0, 0.0, 0.0};
    for (size_t t = 0; t < tiles; ++t)
      for (int ch = 0; ch < 3; ++ch) sum[ch] += tile_bg[3 * t + ch];
    for (int ch = 0; ch < 3; ++ch) grads.background[ch] = static_cast<float>(sum[ch]);
  }

  // Gather each splat's entries (fixed tile order) and run the projection backward.
  const size_t n = static_cast<size_t>(splats.count);
  cpu::parallel_for((n + SPLAT_CHUNK - 1) / SPLAT_CHUNK, threads, [&](size_t chunk) {
    const size_t end = std::min(n, (chunk + 1) * SPLAT_CHUNK);
    for (size_t i = chunk * SPLAT_CHUNK; i < end; ++i) {
      float g[cpu::ENTRY_GRAD_FLOATS] = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f};
      for (size_t k = bins.splat_offsets[i]; k < bins.splat_offsets[i + 1]; ++k) {
        const float* e = entry_grads.data() + bins.entry_of[k] * cpu::ENTRY_GRAD_FLOATS;
        for (int c = 0; c < cpu::ENTRY_GRAD_FLOATS; ++c) g[c] += e[c];
      }
      grads.opacities[i] = g[cpu::EG_OPACITY];
      for (int c = 0; c < 3; ++c) grads.colors[3 * i + c] = g[cpu::EG_COLOR + c];
      const bool visible = bins.splat_offsets[i + 1] > bins.splat_offsets[i];
      if (visible) {
        cpu::project_splat_backward(splats, static_cast<int64_t>(i), view, g + cpu::EG_MEAN_X,
                                    g + cpu::EG_CONIC_A, grads.means + 3 * i, grads.scales + 3 * i,
                                    grads.quats + 4 * i);
      } else {
        for (int c = 0; c < 3; ++c) grads.means[3 * i + c] = grads.scales[3 * i + c] = 0.f;
        for (int c = 0; c < 4; ++c) grads.quats[4 * i + c] = 0.f;
      }
    }
  });
}

}  // namespace splat
