// The rasterizer backends behind one interface. Semantics: ../../SPEC.md. Inputs are validated by
// the bindings (node/, torch/); backends assume their preconditions.
#pragma once

#include <cstddef>
#include "params.h"

namespace splat {

// ---- CPU backend (always built). Host pointers. threads <= 0: all hardware threads.
void forward_cpu(const SplatsView& splats, const Camera& camera, const Background& background,
                 const RenderOutputs& out, int threads);

// Gradients of the forward above given dL/drgb [H*W*3] and dL/dalpha [H*W] (may be null).
// Every array of `grads` is overwritten (not accumulated); grads.background may be null.
void backward_cpu(const SplatsView& splats, const Camera& camera, const Background& background,
                  const float* grad_rgb, const float* grad_alpha, const SplatGrads& grads, int threads);

// ---- CUDA backend (built when SPLAT_WITH_CUDA is defined, see CMakeLists.txt).
// True when a CUDA device can run the kernels; otherwise writes the reason into `why`.
bool cuda_available(char* why, size_t why_len);

// Host-pointer entry points (the Node binding): copy in, run, copy out.
void forward_cuda_host(const SplatsView& splats, const Camera& camera, const Background& background,
                       const RenderOutputs& out);
void backward_cuda_host(const SplatsView& splats, const Camera& camera, const Background& background,
                        const float* grad_rgb, const float* grad_alpha, const SplatGrads& grads);

// Device-pointer entry points (the PyTorch binding): every pointer is CUDA device memory,
// work is queued on `stream` (a cudaStream_t; nullptr = default stream).
void forward_cuda_device(const SplatsView& splats, const Camera& camera, const Background& background,
                         const RenderOutputs& out, void* stream);
void backward_cuda_device(const SplatsView& splats, const Camera& camera, const Background& background,
                          const float* grad_rgb, const float* grad_alpha, const SplatGrads& grads, void* stream);

}  // namespace splat
