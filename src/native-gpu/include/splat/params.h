// Plain-data parameters shared by every rasterizer backend (CPU, CUDA) and the bindings.
// The only header both compilers include. Semantics: ../../SPEC.md.
// Twins: test/reference/rasterize-reference.ts and test/python/reference_rasterizer.py
// define the same constants; tests check they agree.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define SPLAT_HD __host__ __device__
#else
#define SPLAT_HD
#endif

namespace splat {

constexpr int TILE = 16;                   // tile edge, pixels
constexpr float LOW_PASS = 0.3f;           // added to the 2D covariance diagonal, pixels^2
constexpr float SIGMA_EXTENT = 3.0f;       // splat radius in standard deviations
constexpr float ALPHA_MAX = 0.99f;         // alpha clamp
constexpr float ALPHA_MIN = 1.0f / 255.0f; // alphas below are skipped
constexpr float T_MIN = 1e-4f;             // blending stops before transmittance falls below
constexpr float JACOBIAN_CLAMP = 1.3f;     // x/z clamped to +-1.3 * tan(half field of view)
constexpr float DEPTH_ALPHA_EPS = 1e-6f;   // depth output is D / alpha where alpha > this, else 0

// Pinhole camera in OpenCV convention. view is world-to-camera, row-major 4x4.
struct Camera {
  int32_t width;
  int32_t height;
  float fx, fy, cx, cy;
  float view[16];
  float near_plane;
  float far_plane;
};

// Read-only views of N splats (structure of arrays, DESIGN.md layout).
struct SplatsView {
  int64_t count;
  const float* means;      // [N*3] world
  const float* scales;     // [N*3] linear
  const float* quats;      // [N*4] w, x, y, z
  const float* opacities;  // [N]
  const float* colors;     // [N*3] linear RGB
};

// Caller-owned outputs, row-major H x W.
struct RenderOutputs {
  float* rgb;    // [H*W*3] composite over the background
  float* alpha;  // [H*W]
  float* depth;  // [H*W] expected depth, 0 where alpha < DEPTH_ALPHA_EPS
};

// Background: an image [H*W*3] when image != nullptr, else the colour.
struct Background {
  const float* image;
  float color[3];
};

// Gradients written by the backward pass; sizes as SplatsView. background_grad is [H*W*3] for an
// image background, [3] for a colour; may be null.
struct SplatGrads {
  float* means;
  float* scales;
  float* quats;
  float* opacities;
  float* colors;
  float* background;
};

}  // namespace splat
