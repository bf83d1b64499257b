// A minimal fork-join loop over work items with std::thread: the calling thread and up to
// `threads - 1` helpers take items from an atomic counter. No pool and no global state: threads
// live for one call (~tens of microseconds to start, small next to a frame).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace splat::cpu {

// threads <= 0: every hardware thread. Never more threads than items, never fewer than 1.
inline int resolve_threads(int requested, size_t items) {
  size_t n = requested > 0 ? static_cast<size_t>(requested) : std::max(1u, std::thread::hardware_concurrency());
  n = std::min(n, std::max<size_t>(items, 1));
  return static_cast<int>(n);
}

// Calls fn(item) once for every item in [0, items). Items may run in any order on any thread, so
// fn must only write what belongs to its item. The first exception thrown by fn is rethrown here
// after every thread has stopped. If a helper thread cannot be started the others do its share.
template <class Fn>
void parallel_for(size_t items, int threads, Fn&& fn) {
  const int n = resolve_threads(threads, items);
  if (n <= 1) {
    for (size_t i = 0; i < items; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&]() {
    try {
      for (size_t i = next.fetch_add(1, std::memory_order_relaxed); i < items && !failed.load(std::memory_order_relaxed);
           i = next.fetch_add(1, std::memory_order_relaxed)) {
        fn(i);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed.store(true);
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(static_cast<size_t>(n - 1));
  for (int t = 1; t < n; ++t) {
    try {
      helpers.emplace_back(work);
    } catch (...) {
      break;  // out of threads: run with fewer
    }
  }
  work();
  for (auto& h : helpers) h.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace splat::cpu
