// PyTorch binding of the rasterizer (../SPEC.md): forward and backward for CPU tensors
// (splat::forward_cpu / backward_cpu) and, when built with SPLAT_WITH_CUDA, CUDA tensors
// (splat::forward_cuda_device / backward_cuda_device on torch's current stream).
// Validates every argument once, naming it with the expected and received shape, dtype or device
// (the backends assume their preconditions); splat_raster.py wraps it in an autograd.Function.
#include <torch/extension.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "splat/backends.h"

#ifdef SPLAT_WITH_CUDA
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace {

std::string shape_str(c10::IntArrayRef s) {
  std::ostringstream o;
  o << "[";
  for (size_t k = 0; k < s.size(); ++k) o << (k ? ", " : "") << s[k];
  o << "]";
  return o.str();
}

// Checks dtype float32, device and contiguity of any tensor argument.
void check_layout(const torch::Tensor& t, const char* name, const torch::Device& device) {
  TORCH_CHECK_TYPE(t.scalar_type() == torch::kFloat32, "rasterize: ", name, ": expected dtype float32, received ",
                   t.scalar_type());
  TORCH_CHECK_VALUE(t.device() == device, "rasterize: ", name, ": expected device ", device,
                    " (the device of means), received ", t.device());
  TORCH_CHECK_VALUE(t.is_contiguous(), "rasterize: ", name, ": expected a contiguous tensor, received strides ",
                    shape_str(t.strides()), " for shape ", shape_str(t.sizes()), " (call .contiguous())");
}

// `symbolic` names the expected shape, e.g. "[N, 3]"; `expected` gives its numbers.
void check_shape(const torch::Tensor& t, const char* name, const char* symbolic, std::vector<int64_t> expected,
                 const char* where_from) {
  TORCH_CHECK_VALUE(t.sizes() == c10::IntArrayRef(expected), "rasterize: ", name, ": expected shape ", symbolic,
                    " = ", shape_str(expected), where_from, ", received ", shape_str(t.sizes()));
}

struct Checked {
  splat::SplatsView splats;
  splat::Camera camera;
  torch::Device device = torch::kCPU;
  bool bg_image = false;
};

Checked check_inputs(const torch::Tensor& means, const torch::Tensor& scales, const torch::Tensor& quats,
                     const torch::Tensor& opacities, const torch::Tensor& colors, int64_t width, int64_t height,
                     double fx, double fy, double cx, double cy, const std::vector<double>& view, double near_plane,
                     double far_plane, const torch::Tensor& background) {
  Checked c;
  TORCH_CHECK_VALUE(means.dim() == 2 && means.size(1) == 3, "rasterize: means: expected shape [N, 3], received ",
                    shape_str(means.sizes()));
  c.device = means.device();
  TORCH_CHECK_VALUE(c.device.is_cpu() || c.device.is_cuda(), "rasterize: means: expected a CPU or CUDA tensor, received device ",
                    c.device);
  const int64_t n = means.size(0);
  TORCH_CHECK_VALUE(n < (int64_t{1} << 31), "rasterize: means: at most 2^31 - 1 splats, received ", n);
  const char* from_n = " (N from means)";
  check_shape(scales, "scales", "[N, 3]", {n, 3}, from_n);
  check_shape(quats, "quats", "[N, 4]", {n, 4}, from_n);
  check_shape(opacities, "opacities", "[N]", {n}, from_n);
  check_shape(colors, "colors", "[N, 3]", {n, 3}, from_n);
  const std::pair<const torch::Tensor*, const char*> all[] = {
      {&means, "means"}, {&scales, "scales"}, {&quats, "quats"}, {&opacities, "opacities"},
      {&colors, "colors"}, {&background, "background"}};
  for (const auto& [t, name] : all) check_layout(*t, name, c.device);

  TORCH_CHECK_VALUE(width >= 1 && height >= 1 && width <= (1 << 16) && height <= (1 << 16),
                    "rasterize: camera: expected 1 <= width, height <= 65536, received ", width, " x ", height);
  TORCH_CHECK_VALUE(fx > 0 && fy > 0, "rasterize: camera: expected fx, fy > 0, received ", fx, ", ", fy);
  TORCH_CHECK_VALUE(view.size() == 16, "rasterize: camera.view: expected 16 numbers (4x4 row-major), received ",
                    view.size());
  TORCH_CHECK_VALUE(near_plane > 0 && far_plane > near_plane,
                    "rasterize: camera: expected 0 < near < far, received near ", near_plane, ", far ", far_plane);
  if (background.dim() == 3) {
    check_shape(background, "background", "[H, W, 3]", {height, width, 3}, " (H, W from the camera)");
    c.bg_image = true;
  } else {
    TORCH_CHECK_VALUE(background.dim() == 1 && background.size(0) == 3,
                      "rasterize: background: expected shape [3] or [H, W, 3] = [", height, ", ", width,
                      ", 3], received ", shape_str(background.sizes()));
  }

  c.splats = {n, means.data_ptr<float>(), scales.data_ptr<float>(), quats.data_ptr<float>(),
              opacities.data_ptr<float>(), colors.data_ptr<float>()};
  c.camera.width = static_cast<int32_t>(width);
  c.camera.height = static_cast<int32_t>(height);
  c.camera.fx = static_cast<float>(fx);
  c.camera.fy = static_cast<float>(fy);
  c.camera.cx = static_cast<float>(cx);
  c.camera.cy = static_cast<float>(cy);
  for (int k = 0; k < 16; ++k) c.camera.view[k] = static_cast<float>(view[k]);
  c.camera.near_plane = static_cast<float>(near_plane);
  c.camera.far_plane = static_cast<float>(far_plane);
  return c;
}

// The colour of a [3] background is passed by value (a host copy for CUDA tensors).
splat::Background make_background(const torch::Tensor& background, bool image) {
  splat::Background bg{};
  if (image) {
    bg.image = background.data_ptr<float>();
  } else {
    const torch::Tensor host = background.cpu();
    for (int k = 0; k < 3; ++k) bg.color[k] = host.data_ptr<float>()[k];
  }
  return bg;
}

#ifdef SPLAT_WITH_CUDA
void* current_stream(const torch::Device& device) {
  return static_cast<void*>(c10::cuda::getCurrentCUDAStream(device.index()).stream());
}
#endif

[[maybe_unused]] void no_cuda() {
  TORCH_CHECK_VALUE(false, "rasterize: CUDA tensors need the extension built with CUDA (this build is CPU only: "
                           "torch has no CUDA or nvcc was not found)");
}

std::vector<torch::Tensor> forward(torch::Tensor means, torch::Tensor scales, torch::Tensor quats,
                                   torch::Tensor opacities, torch::Tensor colors, int64_t width, int64_t height,
                                   double fx, double fy, double cx, double cy, std::vector<double> view,
                                   double near_plane, double far_plane, torch::Tensor background, int64_t threads) {
  const Checked c = check_inputs(means, scales, quats, opacities, colors, width, height, fx, fy, cx, cy, view,
                                 near_plane, far_plane, background);
  const auto opts = means.options();
  torch::Tensor rgb = torch::empty({height, width, 3}, opts);
  torch::Tensor alpha = torch::empty({height, width}, opts);
  torch::Tensor depth = torch::empty({height, width}, opts);
  const splat::RenderOutputs out{rgb.data_ptr<float>(), alpha.data_ptr<float>(), depth.data_ptr<float>()};
  const splat::Background bg = make_background(background, c.bg_image);
  if (c.device.is_cuda()) {
#ifdef SPLAT_WITH_CUDA
    const c10::cuda::CUDAGuard guard(c.device);
    splat::forward_cuda_device(c.splats, c.camera, bg, out, current_stream(c.device));
#else
    no_cuda();
#endif
  } else {
    pybind11::gil_scoped_release no_gil;
    splat::forward_cpu(c.splats, c.camera, bg, out, static_cast<int>(threads));
  }
  return {rgb, alpha, depth};
}

// The gradient side of a backward call: dL/drgb and dL/dalpha checked against the camera, and
// fresh gradient tensors for every input (shared by the device and host-pointer entry points).
struct GradIO {
  const float* grad_alpha = nullptr;
  torch::Tensor means, scales, quats, opacities, colors, background;

  splat::SplatGrads grads() const {
    return {means.data_ptr<float>(),     scales.data_ptr<float>(), quats.data_ptr<float>(),
            opacities.data_ptr<float>(), colors.data_ptr<float>(), background.data_ptr<float>()};
  }
  std::vector<torch::Tensor> tensors() const { return {means, scales, quats, opacities, colors, background}; }
};

GradIO grad_io(const Checked& c, const torch::Tensor& means, const torch::Tensor& background,
               const torch::Tensor& grad_rgb, const std::optional<torch::Tensor>& grad_alpha, int64_t height,
               int64_t width) {
  check_shape(grad_rgb, "grad_rgb", "[H, W, 3]", {height, width, 3}, " (H, W from the camera)");
  check_layout(grad_rgb, "grad_rgb", c.device);
  GradIO io;
  if (grad_alpha && grad_alpha->defined()) {
    check_shape(*grad_alpha, "grad_alpha", "[H, W]", {height, width}, " (H, W from the camera)");
    check_layout(*grad_alpha, "grad_alpha", c.device);
    io.grad_alpha = grad_alpha->data_ptr<float>();
  }
  const int64_t n = c.splats.count;
  const auto opts = means.options();
  io.means = torch::empty({n, 3}, opts);
  io.scales = torch::empty({n, 3}, opts);
  io.quats = torch::empty({n, 4}, opts);
  io.opacities = torch::empty({n}, opts);
  io.colors = torch::empty({n, 3}, opts);
  io.background = torch::empty_like(background);
  return io;
}

std::vector<torch::Tensor> backward(torch::Tensor means, torch::Tensor scales, torch::Tensor quats,
                                    torch::Tensor opacities, torch::Tensor colors, int64_t width, int64_t height,
                                    double fx, double fy, double cx, double cy, std::vector<double> view,
                                    double near_plane, double far_plane, torch::Tensor background,
                                    torch::Tensor grad_rgb, std::optional<torch::Tensor> grad_alpha, int64_t threads) {
  const Checked c = check_inputs(means, scales, quats, opacities, colors, width, height, fx, fy, cx, cy, view,
                                 near_plane, far_plane, background);
  const GradIO io = grad_io(c, means, background, grad_rgb, grad_alpha, height, width);
  const float* g_alpha = io.grad_alpha;
  const splat::SplatGrads grads = io.grads();
  const splat::Background bg = make_background(background, c.bg_image);
  if (c.device.is_cuda()) {
#ifdef SPLAT_WITH_CUDA
    const c10::cuda::CUDAGuard guard(c.device);
    splat::backward_cuda_device(c.splats, c.camera, bg, grad_rgb.data_ptr<float>(), g_alpha, grads,
                                current_stream(c.device));
#else
    no_cuda();
#endif
  } else {
    pybind11::gil_scoped_release no_gil;
    splat::backward_cpu(c.splats, c.camera, bg, grad_rgb.data_ptr<float>(), g_alpha, grads,
                        static_cast<int>(threads));
  }
  return io.tensors();
}

#ifdef SPLAT_WITH_CUDA
// The host-pointer entry points (those the Node binding calls), on CPU tensors: for the GPU tests.
std::vector<torch::Tensor> forward_host_cuda(torch::Tensor means, torch::Tensor scales, torch::Tensor quats,
                                             torch::Tensor opacities, torch::Tensor colors, int64_t width,
                                             int64_t height, double fx, double fy, double cx, double cy,
                                             std::vector<double> view, double near_plane, double far_plane,
                                             torch::Tensor background) {
  const Checked c = check_inputs(means, scales, quats, opacities, colors, width, height, fx, fy, cx, cy, view,
                                 near_plane, far_plane, background);
  TORCH_CHECK_VALUE(c.device.is_cpu(), "forward_host_cuda: expected CPU tensors, received ", c.device);
  torch::Tensor rgb = torch::empty({height, width, 3}, means.options());
  torch::Tensor alpha = torch::empty({height, width}, means.options());
  torch::Tensor depth = torch::empty({height, width}, means.options());
  splat::forward_cuda_host(c.splats, c.camera, make_background(background, c.bg_image),
                           {rgb.data_ptr<float>(), alpha.data_ptr<float>(), depth.data_ptr<float>()});
  return {rgb, alpha, depth};
}

std::vector<torch::Tensor> backward_host_cuda(torch::Tensor means, torch::Tensor scales, torch::Tensor quats,
                                              torch::Tensor opacities, torch::Tensor colors, int64_t width,
                                              int64_t height, double fx, double fy, double cx, double cy,
                                              std::vector<double> view, double near_plane, double far_plane,
                                              torch::Tensor background, torch::Tensor grad_rgb,
                                              std::optional<torch::Tensor> grad_alpha) {
  const Checked c = check_inputs(means, scales, quats, opacities, colors, width, height, fx, fy, cx, cy, view,
                                 near_plane, far_plane, background);
  TORCH_CHECK_VALUE(c.device.is_cpu(), "backward_host_cuda: expected CPU tensors, received ", c.device);
  const GradIO io = grad_io(c, means, background, grad_rgb, grad_alpha, height, width);
  const float* g_alpha = io.grad_alpha;
  splat::backward_cuda_host(c.splats, c.camera, make_background(background, c.bg_image), grad_rgb.data_ptr<float>(),
                            g_alpha, io.grads());
  return io.tensors();
}
#endif

std::pair<bool, std::string> cuda_available() {
#ifdef SPLAT_WITH_CUDA
  char why[512] = {0};
  const bool ok = splat::cuda_available(why, sizeof why);
  return {ok, std::string(why)};
#else
  return {false, "the extension was built without CUDA (torch has no CUDA, or nvcc was not found)"};
#endif
}

}  // namespace

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.doc() = "Gaussian splat rasterizer (src/native-gpu/SPEC.md); use splat_raster.rasterize";
  m.def("forward", &forward, "rgb [H,W,3], alpha [H,W], depth [H,W]");
  m.def("backward", &backward, "grads: means, scales, quats, opacities, colors, background");
  m.def("cuda_available", &cuda_available, "(usable, reason)");
#ifdef SPLAT_WITH_CUDA
  m.def("forward_host_cuda", &forward_host_cuda, "forward through the host-pointer CUDA entry point (CPU tensors)");
  m.def("backward_host_cuda", &backward_host_cuda, "backward through the host-pointer CUDA entry point (CPU tensors)");
  m.attr("with_cuda") = true;
#else
  m.attr("with_cuda") = false;
#endif
}
