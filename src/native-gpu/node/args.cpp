// Validation of the binding's arguments; see args.h. Names in messages are those of the
// TypeScript API (src/main/raster/native-raster.ts): splats.*, camera.*, options.*, gradRgb...
#include "args.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace splat::node {

namespace {

std::string number_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

const char* typed_array_name(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "TypedArray";
  }
}

// What a value is, for "received ..." in messages.
std::string describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsNumber()) return "the number " + number_text(v.As<Napi::Number>().DoubleValue());
  if (v.IsBoolean()) return "a boolean";
  if (v.IsString()) return "the string \"" + v.As<Napi::String>().Utf8Value().substr(0, 40) + "\"";
  if (v.IsTypedArray()) {
    const auto t = v.As<Napi::TypedArray>();
    return std::string("a ") + typed_array_name(t.TypedArrayType()) + " of length " + std::to_string(t.ElementLength());
  }
  if (v.IsArray()) return "an Array of length " + std::to_string(v.As<Napi::Array>().Length());
  if (v.IsArrayBuffer()) return "an ArrayBuffer";
  if (v.IsFunction()) return "a function";
  if (v.IsObject()) return "an object";
  return "an unsupported value";
}

struct MemoryRange {
  std::string name;
  uintptr_t begin, end;
  bool output;
  Napi::Value array;
  size_t length;
  float* data;
};

class Parser {
 public:
  Parser(const Napi::Env& env, Common& common) : env_(env), common_(common) {}

  [[noreturn]] void type_error(const std::string& msg) const { throw Napi::TypeError::New(env_, msg); }
  [[noreturn]] void range_error(const std::string& msg) const { throw Napi::RangeError::New(env_, msg); }

  Napi::Object object(const Napi::Value& v, const std::string& name) const {
    if (!v.IsObject() || v.IsArray() || v.IsTypedArray() || v.IsFunction())
      type_error(name + " must be an object, received " + describe(v));
    return v.As<Napi::Object>();
  }

  double number(const Napi::Value& v, const std::string& name) const {
    if (!v.IsNumber()) type_error(name + " must be a number, received " + describe(v));
    return v.As<Napi::Number>().DoubleValue();
  }

  double finite(const Napi::Value& v, const std::string& name) const {
    const double d = number(v, name);
    if (!std::isfinite(d)) range_error(name + " must be finite, received " + number_text(d));
    return d;
  }

  // A float value that must stay finite once stored as float32.
  float finite_float(double d, const std::string& name) const {
    const float f = static_cast<float>(d);
    if (!std::isfinite(d) || !std::isfinite(f))
      range_error(name + " must be a finite float32, received " + number_text(d));
    return f;
  }

  // A Float32Array of exactly `expected` elements. `what` explains the expected length, e.g.
  // "3 * N = 30", `note` may add where N came from. Inputs are checked for non-finite values
  // when `finite_check`.
  float* float32(const Napi::Value& v, const std::string& name, size_t expected, const std::string& what,
                 bool output, bool finite_check, const std::string& note = std::string()) {
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
      type_error(name + " must be a Float32Array, received " + describe(v));
    auto arr = v.As<Napi::Float32Array>();
    if (arr.ArrayBuffer().IsDetached())
      type_error(name + ": its ArrayBuffer is detached (transferred or freed); pass a live Float32Array");
    const size_t length = arr.ElementLength();
    if (length != expected)
      range_error(name + ": expected " + what + " floats" + note + ", received a Float32Array of length " +
                  std::to_string(length));
    float* data = arr.Data();
    if (finite_check) {
      for (size_t i = 0; i < length; ++i) {
        if (!std::isfinite(data[i]))
          range_error(name + "[" + std::to_string(i) + "] is " + number_text(data[i]) + ": every value must be finite");
      }
    }
    const auto begin = reinterpret_cast<uintptr_t>(data);
    ranges_.push_back({name, begin, begin + length * sizeof(float), output, v, length, data});
    common_.arrays.push_back(v);
    return data;
  }

  // After every argument was read: no buffer changed under us (a getter may run JS that detaches
  // one), and outputs share no memory with any other buffer (the core reads inputs while writing).
  void finish() const {
    for (const MemoryRange& r : ranges_) {
      auto arr = r.array.As<Napi::Float32Array>();
      if (arr.ArrayBuffer().IsDetached() || arr.ElementLength() != r.length || arr.Data() != r.data)
        type_error(r.name + " changed (detached or resized) while the arguments were read");
    }
    for (size_t i = 0; i < ranges_.size(); ++i) {
      for (size_t j = 0; j < ranges_.size(); ++j) {
        const MemoryRange &a = ranges_[i], &b = ranges_[j];
        if (i == j || !a.output || (b.output && j < i) || a.begin == a.end || b.begin == b.end) continue;
        if (a.begin < b.end && b.begin < a.end)
          range_error(a.name + " shares memory with " + b.name + ": output buffers must not overlap other buffers");
      }
    }
  }

  void splats(const Napi::Value& v) {
    const Napi::Object s = object(v, "splats");
    const Napi::Value op = s.Get("opacities");
    if (!op.IsTypedArray() || op.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
      type_error("splats.opacities must be a Float32Array, received " + describe(op));
    const size_t n = op.As<Napi::TypedArray>().ElementLength();
    if (n > static_cast<size_t>(INT32_MAX)) range_error("splats: at most 2147483647 splats, received " + std::to_string(n));
    const std::string note = " (N = " + std::to_string(n) + " splats, from splats.opacities)";
    auto in = [&](const char* key, size_t comps) {
      const std::string what = comps == 1 ? std::to_string(n) : std::to_string(comps) + " * N = " + std::to_string(comps * n);
      return float32(s.Get(key), std::string("splats.") + key, comps * n, what, false, true, note);
    };
    SplatsView& sv = common_.splats;
    sv.count = static_cast<int64_t>(n);
    sv.opacities = in("opacities", 1);
    sv.means = in("means", 3);
    sv.scales = in("scales", 3);
    sv.quats = in("quats", 4);
    sv.colors = in("colors", 3);
    for (size_t i = 0; i < n; ++i) {  // the core normalises each quaternion: it needs a length
      const float* q = sv.quats + 4 * i;
      const float len = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
      if (!(len > 0.0f) || !std::isfinite(len) || !std::isfinite(1.0f / len))
        range_error("splats.quats[" + std::to_string(4 * i) + ".." + std::to_string(4 * i + 3) + "] (splat " +
                    std::to_string(i) + ") has length " + number_text(len) + ": a rotation needs a non-zero, finite quaternion");
    }
  }

  int32_t image_edge(const Napi::Object& cam, const char* key) const {
    const std::string name = std::string("camera.") + key;
    const double d = number(cam.Get(key), name);
    if (!(d >= 1 && d <= MAX_IMAGE_EDGE && std::floor(d) == d))
      range_error(name + " must be an integer in 1.." + std::to_string(MAX_IMAGE_EDGE) + ", received " + number_text(d));
    return static_cast<int32_t>(d);
  }

  void camera(const Napi::Value& v) {
    const Napi::Object cam = object(v, "camera");
    Camera& c = common_.camera;
    c.width = image_edge(cam, "width");
    c.height = image_edge(cam, "height");
    const char* keys[4] = {"fx", "fy", "cx", "cy"};
    float* dst[4] = {&c.fx, &c.fy, &c.cx, &c.cy};
    for (int k = 0; k < 4; ++k) {
      const std::string name = std::string("camera.") + keys[k];
      *dst[k] = finite_float(finite(cam.Get(keys[k]), name), name);
      if (k < 2 && !(*dst[k] > 0.0f)) range_error(name + " must be > 0 (pixels), received " + number_text(*dst[k]));
    }
    const Napi::Value view = cam.Get("view");
    size_t length = 0;
    if (view.IsArray()) {
      length = view.As<Napi::Array>().Length();
    } else if (view.IsTypedArray() && (view.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array ||
                                       view.As<Napi::TypedArray>().TypedArrayType() == napi_float64_array)) {
      length = view.As<Napi::TypedArray>().ElementLength();
    } else {
      type_error("camera.view must be an Array, Float32Array or Float64Array of 16 numbers, received " + describe(view));
    }
    if (length != 16) range_error("camera.view: expected 16 numbers (row-major 4x4), received " + std::to_string(length));
    const Napi::Object vo = view.As<Napi::Object>();
    for (uint32_t k = 0; k < 16; ++k) {
      const std::string name = "camera.view[" + std::to_string(k) + "]";
      c.view[k] = finite_float(finite(vo.Get(k), name), name);
    }
    const double near_plane = finite(cam.Get("near"), "camera.near");
    const double far_plane = finite(cam.Get("far"), "camera.far");
    if (!(near_plane > 0)) range_error("camera.near must be > 0, received " + number_text(near_plane));
    if (!(far_plane > near_plane))
      range_error("camera.far must be > camera.near (" + number_text(near_plane) + "), received " + number_text(far_plane));
    c.near_plane = finite_float(near_plane, "camera.near");
    c.far_plane = finite_float(far_plane, "camera.far");
    if (!(c.near_plane > 0.0f && c.far_plane > c.near_plane))
      range_error("camera.near and camera.far must stay 0 < near < far in float32, received " +
                  number_text(near_plane) + " and " + number_text(far_plane));
  }

  size_t pixels() const { return static_cast<size_t>(common_.camera.width) * static_cast<size_t>(common_.camera.height); }
  std::string image_size(size_t comps) const {
    const std::string hw = std::to_string(common_.camera.height) + " * " + std::to_string(common_.camera.width);
    return (comps == 1 ? "H * W = " + hw : "H * W * 3 = " + hw + " * 3") + " = " + std::to_string(pixels() * comps);
  }

  void background(const Napi::Value& v) {
    Background& bg = common_.background;
    bg.image = nullptr;
    bg.color[0] = bg.color[1] = bg.color[2] = 0.0f;
    if (v.IsUndefined() || v.IsNull()) return;  // default black
    const Napi::Object o = object(v, "options.background");
    const bool has_color = o.Has("color") && !o.Get("color").IsUndefined();
    const bool has_image = o.Has("image") && !o.Get("image").IsUndefined();
    if (has_color == has_image)
      type_error("options.background must have exactly one of { color: [r, g, b] } or { image: Float32Array }");
    if (has_image) {
      bg.image = float32(o.Get("image"), "options.background.image", pixels() * 3, image_size(3), false, true);
      return;
    }
    const Napi::Value color = o.Get("color");
    if (!color.IsArray() && !(color.IsTypedArray() && (color.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array ||
                                                       color.As<Napi::TypedArray>().TypedArrayType() == napi_float64_array)))
      type_error("options.background.color must be an array of 3 numbers, received " + describe(color));
    const Napi::Object co = color.As<Napi::Object>();
    const size_t length = color.IsArray() ? color.As<Napi::Array>().Length() : color.As<Napi::TypedArray>().ElementLength();
    if (length != 3) range_error("options.background.color: expected 3 numbers (r, g, b), received " + std::to_string(length));
    for (uint32_t k = 0; k < 3; ++k) {
      const std::string name = "options.background.color[" + std::to_string(k) + "]";
      bg.color[k] = finite_float(finite(co.Get(k), name), name);
    }
  }

  void backend_and_threads(const Napi::Object& args) {
    const Napi::Value b = args.Get("backend");
    if (b.IsUndefined()) {
      common_.cuda = false;
    } else if (!b.IsString()) {
      type_error("options.backend must be 'cpu' or 'cuda', received " + describe(b));
    } else {
      const std::string s = b.As<Napi::String>().Utf8Value();
      if (s != "cpu" && s != "cuda") range_error("options.backend must be 'cpu' or 'cuda', received \"" + s + "\"");
      common_.cuda = s == "cuda";
    }
    const Napi::Value t = args.Get("threads");
    if (t.IsUndefined()) {
      common_.threads = 0;
    } else {
      const double d = number(t, "options.threads");
      if (!(d >= 0 && d <= 1024 && std::floor(d) == d))
        range_error("options.threads must be an integer in 0..1024 (0: every hardware thread), received " + number_text(d));
      common_.threads = static_cast<int>(d);
    }
  }

 private:
  Napi::Env env_;
  Common& common_;
  std::vector<MemoryRange> ranges_;
};

}  // namespace

RenderArgs parse_render_args(const Napi::Env& env, const Napi::Value& value) {
  RenderArgs r;
  Parser p(env, r);
  const Napi::Object args = p.object(value, "arguments");
  p.splats(args.Get("splats"));
  p.camera(args.Get("camera"));
  p.background(args.Get("background"));
  p.backend_and_threads(args);
  const Napi::Object out = p.object(args.Get("out"), "options.out");
  r.out.rgb = p.float32(out.Get("rgb"), "options.out.rgb", p.pixels() * 3, p.image_size(3), true, false);
  r.out.alpha = p.float32(out.Get("alpha"), "options.out.alpha", p.pixels(), p.image_size(1), true, false);
  r.out.depth = p.float32(out.Get("depth"), "options.out.depth", p.pixels(), p.image_size(1), true, false);
  p.finish();
  return r;
}

BackwardArgs parse_backward_args(const Napi::Env& env, const Napi::Value& value) {
  BackwardArgs r;
  Parser p(env, r);
  const Napi::Object args = p.object(value, "arguments");
  p.splats(args.Get("splats"));
  p.camera(args.Get("camera"));
  p.background(args.Get("background"));
  p.backend_and_threads(args);
  r.grad_rgb = p.float32(args.Get("gradRgb"), "gradRgb", p.pixels() * 3, p.image_size(3), false, true);
  const Napi::Value ga = args.Get("gradAlpha");
  r.grad_alpha = ga.IsUndefined() || ga.IsNull() ? nullptr
                                                 : p.float32(ga, "gradAlpha", p.pixels(), p.image_size(1), false, true);
  const Napi::Object g = p.object(args.Get("grads"), "grads");
  const size_t n = static_cast<size_t>(r.splats.count);
  auto out = [&](const char* key, size_t expected) {
    return p.float32(g.Get(key), std::string("grads.") + key, expected, std::to_string(expected), true, false);
  };
  r.grads.means = out("means", 3 * n);
  r.grads.scales = out("scales", 3 * n);
  r.grads.quats = out("quats", 4 * n);
  r.grads.opacities = out("opacities", n);
  r.grads.colors = out("colors", 3 * n);
  r.grads.background = out("background", r.background.image != nullptr ? p.pixels() * 3 : 3);
  p.finish();
  return r;
}

}  // namespace splat::node
