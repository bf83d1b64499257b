// Tile binning: one stable sort of the visible splats by depth, then a counting sort into tiles
// (tile counts -> prefix sums -> fill). Filling in (depth, index) order leaves every tile's list
// already in SPEC order, so no per-tile sort is needed.
#include "binning.h"

#include <cstring>

namespace splat::cpu {

namespace {

// Depths are > near > 0 (finite, positive floats), whose IEEE bit patterns order like the values.
inline uint32_t depth_key(float depth) {
  uint32_t bits;
  std::memcpy(&bits, &depth, sizeof bits);
  return bits;
}

// Stable LSD radix sort of `order` (splat indices, ascending on entry) by depth key: equal depths
// keep increasing index, as SPEC asks. 4 passes of 8 bits; a pass is skipped when all keys share
// that byte.
void sort_by_depth(const Projected* projected, std::vector<uint32_t>& order) {
  const size_t n = order.size();
  std::vector<uint32_t> keys(n), tmp_order(n), tmp_keys(n);
  for (size_t k = 0; k < n; ++k) keys[k] = depth_key(projected[order[k]].depth);
  for (int shift = 0; shift < 32; shift += 8) {
    size_t hist[257] = {0};
    for (size_t k = 0; k < n; ++k) ++hist[((keys[k] >> shift) & 0xffu) + 1];
    bool single = false;
    for (int b = 1; b <= 256; ++b) {
      if (hist[b] == n) single = true;
    }
    if (single) continue;
    for (int b = 0; b < 256; ++b) hist[b + 1] += hist[b];
    for (size_t k = 0; k < n; ++k) {
      const size_t dst = hist[(keys[k] >> shift) & 0xffu]++;
      tmp_order[dst] = order[k];
      tmp_keys[dst] = keys[k];
    }
    order.swap(tmp_order);
    keys.swap(tmp_keys);
  }
}

}  // namespace

void bin_splats(const Projected* projected, int64_t count, int32_t tiles_x, int32_t tiles_y,
                bool with_splat_index, TileBins& bins) {
  const size_t tiles = static_cast<size_t>(tiles_x) * static_cast<size_t>(tiles_y);
  bins.tiles_x = tiles_x;
  bins.tiles_y = tiles_y;

  std::vector<uint32_t>& order = bins.order;
  order.clear();
  order.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    if (projected[i].tile_x1 >= projected[i].tile_x0) order.push_back(static_cast<uint32_t>(i));
  }
  sort_by_depth(projected, order);

  // Counting sort into tiles.
  bins.offsets.assign(tiles + 1, 0);
  size_t* counts = bins.offsets.data() + 1;
  for (uint32_t i : order) {
    const Projected& p = projected[i];
    for (int ty = p.tile_y0; ty <= p.tile_y1; ++ty) {
      size_t* row = counts + static_cast<size_t>(ty) * tiles_x;
      for (int tx = p.tile_x0; tx <= p.tile_x1; ++tx) ++row[tx];
    }
  }
  for (size_t t = 0; t < tiles; ++t) bins.offsets[t + 1] += bins.offsets[t];
  const size_t entries = bins.offsets[tiles];
  bins.ids.resize(entries);
  std::vector<size_t> cursor(bins.offsets.begin(), bins.offsets.end() - 1);

  if (with_splat_index) {
    bins.splat_offsets.assign(static_cast<size_t>(count) + 1, 0);
    for (uint32_t i : order) {
      const Projected& p = projected[i];
      bins.splat_offsets[i + 1] = static_cast<size_t>(p.tile_x1 - p.tile_x0 + 1) * (p.tile_y1 - p.tile_y0 + 1);
    }
    for (int64_t i = 0; i < count; ++i) bins.splat_offsets[i + 1] += bins.splat_offsets[i];
    bins.entry_of.resize(entries);
  } else {
    bins.splat_offsets.clear();
    bins.entry_of.clear();
  }

  for (size_t j = 0; j < order.size(); ++j) {
    const uint32_t i = order[j];
    const Projected& p = projected[i];
    size_t slot = with_splat_index ? bins.splat_offsets[i] : 0;
    for (int ty = p.tile_y0; ty <= p.tile_y1; ++ty) {
      for (int tx = p.tile_x0; tx <= p.tile_x1; ++tx) {
        const size_t e = cursor[static_cast<size_t>(ty) * tiles_x + tx]++;
        bins.ids[e] = static_cast<uint32_t>(j);
        if (with_splat_index) bins.entry_of[slot++] = e;
      }
    }
  }
}

}  // namespace splat::cpu
