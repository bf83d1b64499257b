// Links the CUDA backend (src/native-gpu/cuda/*.cu, static CUDA runtime) into a program and
// drives its public entry points once: on a machine without a GPU or driver this checks that the
// objects link, that cuda_available reports why not, and that the host entry points fail with a
// std::runtime_error naming the CUDA call; with a GPU it renders a small scene. Output: one
// "key: value" line per fact, read by test_cuda_smoke.py.
#include <cmath>
#include <cstdio>
#include <exception>
#include <vector>

#include "splat/backends.h"

int main() {
  char why[512] = {0};
  const bool ok = splat::cuda_available(why, sizeof why);
  std::printf("available: %d\nwhy: %s\n", ok ? 1 : 0, why);

  // Two splats in front of an identity camera, 20 x 12 pixels.
  const float means[] = {0.f, 0.f, 5.f, 0.3f, -0.1f, 6.f};
  const float scales[] = {0.2f, 0.1f, 0.1f, 0.3f, 0.3f, 0.05f};
  const float quats[] = {1.f, 0.f, 0.f, 0.f, 0.7f, 0.1f, 0.2f, 0.3f};
  const float opacities[] = {0.8f, 0.6f};
  const float colors[] = {1.f, 0.f, 0.f, 0.f, 0.f, 1.f};
  const splat::SplatsView splats{2, means, scales, quats, opacities, colors};
  splat::Camera cam{};
  cam.width = 20;
  cam.height = 12;
  cam.fx = cam.fy = 20.f;
  cam.cx = 10.f;
  cam.cy = 6.f;
  for (int k = 0; k < 16; ++k) cam.view[k] = (k % 5 == 0) ? 1.f : 0.f;
  cam.near_plane = 0.1f;
  cam.far_plane = 100.f;
  splat::Background bg{};
  bg.color[0] = bg.color[1] = bg.color[2] = 0.5f;
  std::vector<float> rgb(20 * 12 * 3), alpha(20 * 12), depth(20 * 12);
  try {
    splat::forward_cuda_host(splats, cam, bg, {rgb.data(), alpha.data(), depth.data()});
    double sum = 0;
    for (float a : alpha) sum += a;
    std::printf("forward: ok\nalpha_sum: %.6f\n", sum);
    std::vector<float> g_rgb(20 * 12 * 3, 1.f), gm(6), gs(6), gq(8), go(2), gc(6), gb(3);
    splat::backward_cuda_host(splats, cam, bg, g_rgb.data(), nullptr,
                              {gm.data(), gs.data(), gq.data(), go.data(), gc.data(), gb.data()});
    bool finite = true;
    for (float v : gm) finite = finite && std::isfinite(v);
    std::printf("backward: ok\nfinite: %d\n", finite ? 1 : 0);
  } catch (const std::exception& e) {
    std::printf("forward: threw\nerror: %s\n", e.what());
  }
  return 0;
}
