// The CUDA backend's entry points (include/splat/backends.h): cuda_available, the device-pointer
// forward/backward (PyTorch binding) and the host-pointer ones (Node binding), which copy in,
// run the device path and copy out. The backend interface carries no state from forward to
// backward, so the backward re-runs the forward stages (projection, sort, blending) to recover
// the per-pixel final T and last contributor before replaying back to front.
#include <climits>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "cuda_check.h"
#include "kernels.h"
#include "splat/backends.h"

namespace splat {
namespace {

using cuda_detail::DeviceBuffer;

// Everything the forward stages leave on the device. Buffers are stream-ordered on `stream`.
struct Frame {
  cudamath::ProjectionCamera cam;
  int32_t n = 0;
  int64_t pixels = 0, tiles = 0;
  int32_t pairs = 0;
  DeviceBuffer<float2> mean2d;
  DeviceBuffer<float4> conic_opacity;
  DeviceBuffer<float> depth;
  DeviceBuffer<int4> rect;
  DeviceBuffer<int64_t> touched, offsets;
  DeviceBuffer<uint64_t> keys, keys_sorted;
  DeviceBuffer<uint32_t> values, values_sorted;
  DeviceBuffer<int2> ranges;
  DeviceBuffer<float> final_T;
  DeviceBuffer<int32_t> n_contrib;
};

cuda_detail::RasterInputs raster_inputs(const Frame& f, const SplatsView& splats, const Background& bg) {
  cuda_detail::RasterInputs in;
  in.width = f.cam.width;
  in.height = f.cam.height;
  in.tiles_x = f.cam.tiles_x;
  in.tiles_y = f.cam.tiles_y;
  in.ranges = f.ranges.get();
  in.ids = f.values_sorted.get();
  in.mean2d = f.mean2d.get();
  in.conic_opacity = f.conic_opacity.get();
  in.colors = splats.colors;
  in.depth = f.depth.get();
  in.bg_image = bg.image;
  in.bg_color = make_float3(bg.color[0], bg.color[1], bg.color[2]);
  return in;
}

// Projection, pairs, sort, ranges and front-to-back blending. rgb/alpha/depth may be null
// (backward): then only final_T and n_contrib are produced.
void run_forward(const SplatsView& splats, const Camera& camera, const Background& bg, const RenderOutputs* out,
                 cudaStream_t stream, Frame& f) {
  if (splats.count < 0 || splats.count > INT32_MAX)
    throw std::runtime_error("splat CUDA: splat count " + std::to_string(splats.count) + " outside [0, 2^31)");
  f.cam = cudamath::make_projection_camera(camera);
  f.n = static_cast<int32_t>(splats.count);
  f.pixels = static_cast<int64_t>(camera.width) * camera.height;
  f.tiles = static_cast<int64_t>(f.cam.tiles_x) * f.cam.tiles_y;
  const size_t n = static_cast<size_t>(f.n);

  f.mean2d = DeviceBuffer<float2>(n, stream);
  f.conic_opacity = DeviceBuffer<float4>(n, stream);
  f.depth = DeviceBuffer<float>(n, stream);
  f.rect = DeviceBuffer<int4>(n, stream);
  f.touched = DeviceBuffer<int64_t>(n, stream);
  f.offsets = DeviceBuffer<int64_t>(n, stream);
  cuda_detail::launch_project(f.n, f.cam, splats.means, splats.scales, splats.quats, splats.opacities, f.mean2d.get(),
                              f.conic_opacity.get(), f.depth.get(), f.rect.get(), f.touched.get(), stream);
  cuda_detail::inclusive_scan(f.touched.get(), f.offsets.get(), f.n, stream);

  int64_t pairs = 0;
  if (f.n > 0) {
    SPLAT_CUDA_CHECK(cudaMemcpyAsync(&pairs, f.offsets.get() + (f.n - 1), sizeof pairs, cudaMemcpyDeviceToHost, stream));
    SPLAT_CUDA_CHECK(cudaStreamSynchronize(stream));
  }
  if (pairs > INT32_MAX)
    throw std::runtime_error("splat CUDA: " + std::to_string(pairs) +
                             " tile-splat pairs exceed 2^31 - 1 (too many or too large splats for this image)");
  f.pairs = static_cast<int32_t>(pairs);

  f.keys = DeviceBuffer<uint64_t>(static_cast<size_t>(pairs), stream);
  f.keys_sorted = DeviceBuffer<uint64_t>(static_cast<size_t>(pairs), stream);
  f.values = DeviceBuffer<uint32_t>(static_cast<size_t>(pairs), stream);
  f.values_sorted = DeviceBuffer<uint32_t>(static_cast<size_t>(pairs), stream);
  cuda_detail::launch_emit_pairs(f.n, f.depth.get(), f.rect.get(), f.touched.get(), f.offsets.get(), f.cam.tiles_x,
                                 f.keys.get(), f.values.get(), stream);
  cuda_detail::sort_pairs(f.keys.get(), f.keys_sorted.get(), f.values.get(), f.values_sorted.get(), f.pairs,
                          cudamath::sort_end_bit(f.tiles), stream);

  f.ranges = DeviceBuffer<int2>(static_cast<size_t>(f.tiles), stream);
  SPLAT_CUDA_CHECK(cudaMemsetAsync(f.ranges.get(), 0, f.ranges.bytes(), stream));
  cuda_detail::launch_tile_ranges(f.keys_sorted.get(), f.pairs, f.ranges.get(), stream);

  f.final_T = DeviceBuffer<float>(static_cast<size_t>(f.pixels), stream);
  f.n_contrib = DeviceBuffer<int32_t>(static_cast<size_t>(f.pixels), stream);
  cuda_detail::launch_rasterize_forward(raster_inputs(f, splats, bg), out ? out->rgb : nullptr,
                                        out ? out->alpha : nullptr, out ? out->depth : nullptr, f.final_T.get(),
                                        f.n_contrib.get(), stream);
}

template <typename T>
DeviceBuffer<T> upload(const T* host, size_t count, cudaStream_t stream) {
  DeviceBuffer<T> d(count, stream);
  if (count > 0) SPLAT_CUDA_CHECK(cudaMemcpyAsync(d.get(), host, count * sizeof(T), cudaMemcpyHostToDevice, stream));
  return d;
}

template <typename T>
void download(T* host, const DeviceBuffer<T>& d, cudaStream_t stream) {
  if (host != nullptr && d.size() > 0)
    SPLAT_CUDA_CHECK(cudaMemcpyAsync(host, d.get(), d.bytes(), cudaMemcpyDeviceToHost, stream));
}

// Host copies of the splats and background on the device.
struct UploadedInputs {
  DeviceBuffer<float> means, scales, quats, opacities, colors, bg_image;
  SplatsView view;
  Background bg;
};

void upload_inputs(const SplatsView& s, const Camera& camera, const Background& bg, cudaStream_t stream,
                   UploadedInputs& u) {
  const size_t n = static_cast<size_t>(s.count);
  u.means = upload(s.means, 3 * n, stream);
  u.scales = upload(s.scales, 3 * n, stream);
  u.quats = upload(s.quats, 4 * n, stream);
  u.opacities = upload(s.opacities, n, stream);
  u.colors = upload(s.colors, 3 * n, stream);
  u.view = {s.count, u.means.get(), u.scales.get(), u.quats.get(), u.opacities.get(), u.colors.get()};
  u.bg = bg;
  if (bg.image != nullptr) {
    u.bg_image = upload(bg.image, static_cast<size_t>(camera.width) * camera.height * 3, stream);
    u.bg.image = u.bg_image.get();
  }
}

}  // namespace

bool cuda_available(char* why, size_t why_len) {
  auto say = [&](const std::string& text) {
    if (why != nullptr && why_len > 0) std::snprintf(why, why_len, "%s", text.c_str());
  };
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    (void)cudaGetLastError();
    say(std::string("cudaGetDeviceCount failed: ") + cudaGetErrorName(e) + " (" + std::to_string(static_cast<int>(e)) +
        "): " + cudaGetErrorString(e));
    return false;
  }
  if (count == 0) {
    say("cudaGetDeviceCount found no CUDA device");
    return false;
  }
  e = cuda_detail::probe_kernel_image();
  if (e != cudaSuccess) {
    (void)cudaGetLastError();
    say(std::string("the CUDA kernels cannot run on the current device: ") + cudaGetErrorName(e) + " (" +
        std::to_string(static_cast<int>(e)) + "): " + cudaGetErrorString(e));
    return false;
  }
  say("");
  return true;
}

void forward_cuda_device(const SplatsView& splats, const Camera& camera, const Background& background,
                         const RenderOutputs& out, void* stream_ptr) {
  cudaStream_t stream = static_cast<cudaStream_t>(stream_ptr);
  Frame f;
  run_forward(splats, camera, background, &out, stream, f);
  SPLAT_CUDA_CHECK(cudaGetLastError());
}

void backward_cuda_device(const SplatsView& splats, const Camera& camera, const Background& background,
                          const float* grad_rgb, const float* grad_alpha, const SplatGrads& grads, void* stream_ptr) {
  cudaStream_t stream = static_cast<cudaStream_t>(stream_ptr);
  Frame f;
  run_forward(splats, camera, background, nullptr, stream, f);
  const size_t n = static_cast<size_t>(f.n);

  DeviceBuffer<float> g_mean2d(2 * n, stream), g_conic(3 * n, stream);
  if (n > 0) {
    SPLAT_CUDA_CHECK(cudaMemsetAsync(g_mean2d.get(), 0, g_mean2d.bytes(), stream));
    SPLAT_CUDA_CHECK(cudaMemsetAsync(g_conic.get(), 0, g_conic.bytes(), stream));
    SPLAT_CUDA_CHECK(cudaMemsetAsync(grads.opacities, 0, n * sizeof(float), stream));
    SPLAT_CUDA_CHECK(cudaMemsetAsync(grads.colors, 0, 3 * n * sizeof(float), stream));
  }
  // A null grads.background is allowed: the kernel then writes into scratch.
  const size_t bg_count = background.image != nullptr ? static_cast<size_t>(f.pixels) * 3 : 3;
  DeviceBuffer<float> bg_scratch;
  float* g_bg = grads.background;
  if (g_bg == nullptr) {
    bg_scratch = DeviceBuffer<float>(bg_count, stream);
    g_bg = bg_scratch.get();
  }
  if (background.image == nullptr) SPLAT_CUDA_CHECK(cudaMemsetAsync(g_bg, 0, 3 * sizeof(float), stream));

  cuda_detail::launch_rasterize_backward(raster_inputs(f, splats, background), f.final_T.get(), f.n_contrib.get(),
                                         grad_rgb, grad_alpha, g_mean2d.get(), g_conic.get(), grads.opacities,
                                         grads.colors, g_bg, stream);
  cuda_detail::launch_project_backward(f.n, f.cam, splats.means, splats.scales, splats.quats, f.touched.get(),
                                       g_mean2d.get(), g_conic.get(), grads.means, grads.scales, grads.quats, stream);
  SPLAT_CUDA_CHECK(cudaGetLastError());
}

void forward_cuda_host(const SplatsView& splats, const Camera& camera, const Background& background,
                       const RenderOutputs& out) {
  cudaStream_t stream = nullptr;  // legacy default stream: host copies below are ordered with it
  const size_t pixels = static_cast<size_t>(camera.width) * camera.height;
  UploadedInputs in;
  upload_inputs(splats, camera, background, stream, in);
  DeviceBuffer<float> rgb(3 * pixels, stream), alpha(pixels, stream), depth(pixels, stream);
  forward_cuda_device(in.view, camera, in.bg, RenderOutputs{rgb.get(), alpha.get(), depth.get()}, stream);
  download(out.rgb, rgb, stream);
  download(out.alpha, alpha, stream);
  download(out.depth, depth, stream);
  SPLAT_CUDA_CHECK(cudaStreamSynchronize(stream));
}

void backward_cuda_host(const SplatsView& splats, const Camera& camera, const Background& background,
                        const float* grad_rgb, const float* grad_alpha, const SplatGrads& grads) {
  cudaStream_t stream = nullptr;
  const size_t pixels = static_cast<size_t>(camera.width) * camera.height;
  const size_t n = static_cast<size_t>(splats.count);
  UploadedInputs in;
  upload_inputs(splats, camera, background, stream, in);
  DeviceBuffer<float> d_grad_rgb = upload(grad_rgb, 3 * pixels, stream);
  DeviceBuffer<float> d_grad_alpha;
  if (grad_alpha != nullptr) d_grad_alpha = upload(grad_alpha, pixels, stream);
  DeviceBuffer<float> d_means(3 * n, stream), d_scales(3 * n, stream), d_quats(4 * n, stream),
      d_opacities(n, stream), d_colors(3 * n, stream);
  DeviceBuffer<float> d_bg(background.image != nullptr ? 3 * pixels : 3, stream);
  const SplatGrads dev{d_means.get(), d_scales.get(), d_quats.get(), d_opacities.get(), d_colors.get(), d_bg.get()};
  backward_cuda_device(in.view, camera, in.bg, d_grad_rgb.get(), d_grad_alpha.get(), dev, stream);
  download(grads.means, d_means, stream);
  download(grads.scales, d_scales, stream);
  download(grads.quats, d_quats, stream);
  download(grads.opacities, d_opacities, stream);
  download(grads.colors, d_colors, stream);
  download(grads.background, d_bg, stream);
  SPLAT_CUDA_CHECK(cudaStreamSynchronize(stream));
}

}  // namespace splat
