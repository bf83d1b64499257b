// Rasterize stage of the CPU backend: SPEC.md "Per pixel (blending)", "Outputs" and the
// blending part of "Backward", one 16x16 tile at a time (a tile is processed by one thread).
#pragma once

#include <cstddef>
#include <cstdint>

#include "projection.h"
#include "splat/params.h"

namespace splat::cpu {

// Per-entry gradient record written by the tile backward (entry = one splat in one tile):
// dL/dmean2d (x, y), dL/dconic (a, b, c), dL/dopacity, dL/dcolor (r, g, b).
constexpr int ENTRY_GRAD_FLOATS = 9;
enum EntryGrad { EG_MEAN_X, EG_MEAN_Y, EG_CONIC_A, EG_CONIC_B, EG_CONIC_C, EG_OPACITY, EG_COLOR };

struct TileJob {
  const Projected* projected;  // the binned splats (TileBins::order order)
  const uint32_t* ids;         // this tile's splats in blending order, indices into `projected`
  size_t count;
  int32_t tile_x, tile_y;      // tile coordinates
  int32_t width, height;       // image size
};

// Forward: writes rgb, alpha and depth of the tile's pixels.
void rasterize_tile_forward(const TileJob& job, const Background& background, const RenderOutputs& out);

// Backward: replays the tile's blending back to front (3DGS section 6 / its backward kernel),
// writing job.count records of ENTRY_GRAD_FLOATS into entry_grads (zeros for splats that never
// contributed). Background gradient: for an image, written per pixel into grad_background
// (if not null); for a colour, added into bg_sum[3] (this tile's share).
void rasterize_tile_backward(const TileJob& job, const Background& background, const float* grad_rgb,
                             const float* grad_alpha, float* entry_grads, float* grad_background,
                             double bg_sum[3]);

}  // namespace splat::cpu
