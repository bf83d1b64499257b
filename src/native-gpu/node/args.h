// Argument parsing and validation of the Node-API binding (STYLE.md habit 7: validate once, at
// the binding, naming the argument, what was expected and what came). After this the core
// assumes its preconditions. Errors are thrown as JS TypeError (wrong kind of value) or
// RangeError (right kind, bad size or value).
#pragma once

#include <napi.h>

#include <vector>

#include "splat/params.h"

namespace splat::node {

// Largest image edge accepted (pixels); also keeps tile and pixel indices in int16/int32 range.
constexpr int32_t MAX_IMAGE_EDGE = 16384;

struct Common {
  SplatsView splats{};
  Camera camera{};
  Background background{};
  int threads = 0;   // 0: every hardware thread
  bool cuda = false; // backend 'cuda' (else 'cpu')
  // Every typed array read or written, for AsyncWorker to keep alive until it is done.
  std::vector<Napi::Value> arrays;
};

struct RenderArgs : Common {
  RenderOutputs out{};
};

struct BackwardArgs : Common {
  const float* grad_rgb = nullptr;
  const float* grad_alpha = nullptr;  // may be null
  SplatGrads grads{};
};

// args: { splats, camera, background?, out: { rgb, alpha, depth }, backend?, threads? }
RenderArgs parse_render_args(const Napi::Env& env, const Napi::Value& args);

// args: { splats, camera, background?, gradRgb, gradAlpha?, grads: { means, scales, quats,
//         opacities, colors, background }, backend?, threads? }
BackwardArgs parse_backward_args(const Napi::Env& env, const Napi::Value& args);

}  // namespace splat::node
