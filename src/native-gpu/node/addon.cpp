// Node-API binding of the splat rasterizer (splat_raster.node). Thin: validate (args.cpp), call a
// backend of backends.h on the caller's buffers (no copies), turn C++ exceptions into JS errors.
// The typed wrapper is src/main/raster/native-raster.ts; call this module only through it.
//
//   backends()              -> { cpu: true, cuda: boolean, cudaReason: string | null }
//   render(args)            -> undefined; writes args.out (see args.h for the fields)
//   renderAsync(args)       -> Promise<undefined>; same, on a libuv worker thread
//   renderBackward(args)    -> undefined; writes args.grads
#include <napi.h>

#include <exception>
#include <new>
#include <string>
#include <vector>

#include "args.h"
#include "splat/backends.h"

namespace splat::node {

namespace {

// Empty string when CUDA can run, else the reason.
std::string cuda_unavailable_reason() {
  char why[512] = {0};
  try {
    if (cuda_available(why, sizeof why)) return std::string();
  } catch (const std::exception& e) {
    return std::string("CUDA check failed: ") + e.what();
  }
  return why[0] != '\0' ? std::string(why) : std::string("CUDA unavailable");
}

void require_backend(const Napi::Env& env, const Common& args) {
  if (!args.cuda) return;
  const std::string why = cuda_unavailable_reason();
  if (!why.empty()) throw Napi::Error::New(env, "backend 'cuda' is unavailable: " + why);
}

// Runs the work; returns an error message (empty on success). Safe off the JS thread.
std::string run_forward(const RenderArgs& a) {
  try {
    if (a.cuda) {
      forward_cuda_host(a.splats, a.camera, a.background, a.out);
    } else {
      forward_cpu(a.splats, a.camera, a.background, a.out, a.threads);
    }
    return std::string();
  } catch (const std::bad_alloc&) {
    return "splat_raster: out of memory while rendering";
  } catch (const std::exception& e) {
    return std::string("splat_raster: ") + e.what();
  } catch (...) {
    return "splat_raster: unknown native error";
  }
}

std::string run_backward(const BackwardArgs& a) {
  try {
    if (a.cuda) {
      backward_cuda_host(a.splats, a.camera, a.background, a.grad_rgb, a.grad_alpha, a.grads);
    } else {
      backward_cpu(a.splats, a.camera, a.background, a.grad_rgb, a.grad_alpha, a.grads, a.threads);
    }
    return std::string();
  } catch (const std::bad_alloc&) {
    return "splat_raster: out of memory in the backward pass";
  } catch (const std::exception& e) {
    return std::string("splat_raster: ") + e.what();
  } catch (...) {
    return "splat_raster: unknown native error";
  }
}

Napi::Value Backends(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  const std::string why = cuda_unavailable_reason();
  result.Set("cpu", Napi::Boolean::New(env, true));
  result.Set("cuda", Napi::Boolean::New(env, why.empty()));
  result.Set("cudaReason", why.empty() ? env.Null() : Napi::String::New(env, why));
#ifdef SPLAT_WITH_CUDA
  result.Set("cudaCompiled", Napi::Boolean::New(env, true));
#else
  result.Set("cudaCompiled", Napi::Boolean::New(env, false));
#endif
  return result;
}

Napi::Value Render(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const RenderArgs args = parse_render_args(env, info[0]);
  require_backend(env, args);
  const std::string error = run_forward(args);
  if (!error.empty()) throw Napi::Error::New(env, error);
  return env.Undefined();
}

Napi::Value RenderBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const BackwardArgs args = parse_backward_args(env, info[0]);
  require_backend(env, args);
  const std::string error = run_backward(args);
  if (!error.empty()) throw Napi::Error::New(env, error);
  return env.Undefined();
}

// Forward on a libuv worker thread. Every typed array is held by a persistent reference until
// the promise settles, so the GC cannot free a buffer while the worker reads or writes it. The
// caller must neither transfer nor touch those buffers before then (native-raster.ts says so).
class RenderWorker : public Napi::AsyncWorker {
 public:
  RenderWorker(const Napi::Env& env, RenderArgs args)
      : Napi::AsyncWorker(env, "splat_raster.renderAsync"), args_(std::move(args)),
        deferred_(Napi::Promise::Deferred::New(env)) {
    for (const Napi::Value& v : args_.arrays) refs_.push_back(Napi::Persistent(v.As<Napi::Object>()));
    args_.arrays.clear();
  }
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    const std::string error = run_forward(args_);
    if (!error.empty()) SetError(error);
  }
  void OnOK() override {
    refs_.clear();
    deferred_.Resolve(Env().Undefined());
  }
  void OnError(const Napi::Error& e) override {
    refs_.clear();
    deferred_.Reject(e.Value());
  }

 private:
  RenderArgs args_;
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::ObjectReference> refs_;
};

Napi::Value RenderAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RenderArgs args = parse_render_args(env, info[0]);
  require_backend(env, args);
  auto* worker = new RenderWorker(env, std::move(args));  // deletes itself when done
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("backends", Napi::Function::New(env, Backends, "backends"));
  exports.Set("render", Napi::Function::New(env, Render, "render"));
  exports.Set("renderAsync", Napi::Function::New(env, RenderAsync, "renderAsync"));
  exports.Set("renderBackward", Napi::Function::New(env, RenderBackward, "renderBackward"));
  return exports;
}

}  // namespace

}  // namespace splat::node

static Napi::Object InitSplatRaster(Napi::Env env, Napi::Object exports) { return splat::node::Init(env, exports); }

NODE_API_MODULE(splat_raster, InitSplatRaster)
