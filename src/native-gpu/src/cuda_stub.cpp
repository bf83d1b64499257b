// The CUDA entry points of backends.h for builds without CUDA (CMake option SPLAT_CUDA off or no
// CUDA compiler found), so the bindings link either way. cuda_available says why; the rest throw.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "splat/backends.h"

namespace splat {

#ifndef SPLAT_CUDA_REASON
#define SPLAT_CUDA_REASON "built without CUDA"
#endif

namespace {
constexpr const char* kReason = SPLAT_CUDA_REASON;  // from CMakeLists.txt: why CUDA is off
[[noreturn]] void unavailable() { throw std::runtime_error(std::string("CUDA backend unavailable: ") + kReason); }
}  // namespace

bool cuda_available(char* why, size_t why_len) {
  if (why != nullptr && why_len > 0) std::snprintf(why, why_len, "%s", kReason);
  return false;
}

void forward_cuda_host(const SplatsView&, const Camera&, const Background&, const RenderOutputs&) { unavailable(); }

void backward_cuda_host(const SplatsView&, const Camera&, const Background&, const float*, const float*,
                        const SplatGrads&) {
  unavailable();
}

void forward_cuda_device(const SplatsView&, const Camera&, const Background&, const RenderOutputs&, void*) {
  unavailable();
}

void backward_cuda_device(const SplatsView&, const Camera&, const Background&, const float*, const float*,
                          const SplatGrads&, void*) {
  unavailable();
}

}  // namespace splat
