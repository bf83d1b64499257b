// Tile binning stage: SPEC.md "Tiles and order". Each tile gets the list of splats whose tile
// rectangle covers it, ordered by (depth, splat index).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "projection.h"

namespace splat::cpu {

struct TileBins {
  int32_t tiles_x = 0, tiles_y = 0;
  // The binned (visible) splats sorted by (depth, index): order[j] is a splat index.
  std::vector<uint32_t> order;
  // Tile t's entries are ids[offsets[t] .. offsets[t + 1]), in blending order; an id is a
  // position j in `order` (so a tile walks a depth-sorted copy of the splats forwards, which
  // keeps its reads close together). offsets has tiles + 1 elements.
  std::vector<size_t> offsets;
  std::vector<uint32_t> ids;
  // Optional (backward): for each splat, its entry positions in `ids`, tile by tile in row-major
  // tile order: entries of splat i are entry_of[splat_offsets[i] .. splat_offsets[i + 1]).
  std::vector<size_t> splat_offsets;  // N + 1
  std::vector<size_t> entry_of;
};

// Bins the projected splats (culled ones have an empty tile rectangle). With `with_splat_index`
// also fills splat_offsets / entry_of. Deterministic: a function of the inputs only.
void bin_splats(const Projected* projected, int64_t count, int32_t tiles_x, int32_t tiles_y,
                bool with_splat_index, TileBins& bins);

}  // namespace splat::cpu
