// Error checking and device memory ownership for the CUDA backend (host code only).
// Every CUDA call goes through SPLAT_CUDA_CHECK, which throws std::runtime_error naming the call,
// the error and where it happened; DeviceBuffer frees what it allocated on every path.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace splat {
namespace cuda_detail {

[[noreturn]] inline void throw_cuda_error(cudaError_t e, const char* call, const char* file, int line) {
  throw std::runtime_error(std::string("splat CUDA: ") + call + " failed: " + cudaGetErrorName(e) + " (" +
                           std::to_string(static_cast<int>(e)) + "): " + cudaGetErrorString(e) + " [" + file + ":" +
                           std::to_string(line) + "]");
}

#define SPLAT_CUDA_CHECK(call)                                                          \
  do {                                                                                  \
    const cudaError_t splat_err_ = (call);                                              \
    if (splat_err_ != cudaSuccess)                                                      \
      ::splat::cuda_detail::throw_cuda_error(splat_err_, #call, __FILE__, __LINE__);    \
  } while (0)

// After a kernel launch: launch-configuration errors (the kernel's own faults surface at the next
// synchronising call, which is checked too).
#define SPLAT_CUDA_CHECK_LAUNCH(kernel_name)                                                  \
  do {                                                                                        \
    const cudaError_t splat_err_ = cudaGetLastError();                                        \
    if (splat_err_ != cudaSuccess)                                                            \
      ::splat::cuda_detail::throw_cuda_error(splat_err_, "launch " kernel_name, __FILE__, __LINE__); \
  } while (0)

// `count` elements of T in device memory, stream-ordered (cudaMallocAsync / cudaFreeAsync on
// `stream`) where the device supports memory pools, else cudaMalloc / cudaFree. count 0 holds
// nullptr. Move-only.
template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(size_t count, cudaStream_t stream) : count_(count), stream_(stream) {
    if (count == 0) return;
    void* p = nullptr;
    const cudaError_t e = cudaMallocAsync(&p, count * sizeof(T), stream);
    if (e == cudaErrorNotSupported) {
      (void)cudaGetLastError();  // clear it; fall back to the synchronous allocator
      async_ = false;
      SPLAT_CUDA_CHECK(cudaMalloc(&p, count * sizeof(T)));
    } else if (e != cudaSuccess) {
      throw_cuda_error(e, "cudaMallocAsync", __FILE__, __LINE__);
    }
    ptr_ = static_cast<T*>(p);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept { swap(o); }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    if (this != &o) {
      release();
      swap(o);
    }
    return *this;
  }
  ~DeviceBuffer() { release(); }

  T* get() const { return ptr_; }
  size_t size() const { return count_; }
  size_t bytes() const { return count_ * sizeof(T); }

 private:
  void release() noexcept {
    if (ptr_ != nullptr) {
      // Errors here cannot be thrown from a destructor; a failed free leaves a sticky error that
      // the next checked call reports.
      if (async_) (void)cudaFreeAsync(ptr_, stream_);
      else (void)cudaFree(ptr_);
    }
    ptr_ = nullptr;
    count_ = 0;
  }
  void swap(DeviceBuffer& o) noexcept {
    T* p = ptr_; ptr_ = o.ptr_; o.ptr_ = p;
    size_t c = count_; count_ = o.count_; o.count_ = c;
    cudaStream_t s = stream_; stream_ = o.stream_; o.stream_ = s;
    bool a = async_; async_ = o.async_; o.async_ = a;
  }

  T* ptr_ = nullptr;
  size_t count_ = 0;
  cudaStream_t stream_ = nullptr;
  bool async_ = true;
};

}  // namespace cuda_detail
}  // namespace splat
