// Projection stage of the CPU backend: per-splat maths of SPEC.md "Per splat (projection)",
// forward and backward. Host-only C++ (no Node, no globals) so that any build can compile it.
#pragma once

#include <cstdint>

#include "splat/params.h"

namespace splat::cpu {

// Camera quantities shared by every splat of one frame (derived once from Camera).
struct ViewSetup {
  float rot[9];    // R_view, row-major (rows 0..2, columns 0..2 of Camera::view)
  float trans[3];  // t_view (column 3 of Camera::view)
  float fx, fy, cx, cy;
  float lim_x, lim_y;  // JACOBIAN_CLAMP * tan(half field of view), SPEC step 3
  float near_plane, far_plane;
  int32_t width, height;
  int32_t tiles_x, tiles_y;  // ceil(width / TILE), ceil(height / TILE)
};

ViewSetup make_view_setup(const Camera& camera);

// One projected splat, everything the tile stages read (60 bytes, aligned to one cache line).
// Culled splats have tile_x1 < tile_x0 and are never binned.
struct alignas(64) Projected {
  float mean_x, mean_y;             // mean2d, pixels (SPEC step 6)
  float conic_a, conic_b, conic_c;  // inverse 2D covariance [[a, b], [b, c]] (step 5)
  float opacity;
  float color[3];
  float depth;                      // camera z (step 8)
  // Below this power, alpha < ALPHA_MIN for sure: ln(ALPHA_MIN / opacity) - 1e-3 (the margin
  // covers exp's rounding, ~2e-7 relative). Only lets the kernel skip exp for those pixels.
  float skip_power;
  // Conservative pixel box outside which alpha < ALPHA_MIN for sure (see projection.cpp,
  // alpha_box). Only an evaluation shortcut: every pixel inside is tested as SPEC says.
  int16_t box_x0, box_y0, box_x1, box_y1;
  int16_t tile_x0, tile_y0, tile_x1, tile_y1;  // inclusive tile rectangle (SPEC "Tiles")
};
static_assert(sizeof(Projected) == 64, "Projected fills one cache line");

// Projects splat i; returns false (and marks `out` culled) when SPEC culls it.
bool project_splat(const SplatsView& splats, int64_t i, const ViewSetup& view, Projected& out);

// Gradients of splat i's means [3], scales [3] and quats [4] given dL/dmean2d [2] and
// dL/dconic [3] (a, b, c with b the off-diagonal scalar). The splat must be visible (not culled).
void project_splat_backward(const SplatsView& splats, int64_t i, const ViewSetup& view,
                            const float grad_mean2d[2], const float grad_conic[3],
                            float grad_mean[3], float grad_scale[3], float grad_quat[4]);

}  // namespace splat::cpu
