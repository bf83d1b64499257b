"""PyTorch binding of the native rasterizer (../SPEC.md): forward and backward of 3D Gaussian
splatting on CPU tensors (the C++ CPU backend) and CUDA tensors (the CUDA backend, when torch
has CUDA and the extension was built with it).

    import splat_raster as sr
    cam = sr.Camera(width=64, height=48, fx=60, fy=60, cx=32, cy=24, view=eye4, near=0.01, far=100)
    rgb, alpha, depth = sr.rasterize(means, scales, quats, opacities, colors, cam, background)

The extension is compiled on first use by torch.utils.cpp_extension.load (20-60 s on two cores)
into src/native-gpu/build/torch/<name>/; later calls reuse it unless a source changed.
Twin: test/python/reference_rasterizer.py (float64 reference with the same signature).
"""

from __future__ import annotations

import glob
import os
import threading
from dataclasses import dataclass, field
from typing import Sequence

import torch

_HERE = os.path.dirname(os.path.abspath(__file__))
_NATIVE = os.path.dirname(_HERE)  # src/native-gpu
BUILD_ROOT = os.path.join(_NATIVE, "build", "torch")


@dataclass(frozen=True)
class Camera:
    """Pinhole camera in OpenCV convention (x right, y down, z forward); params.h splat::Camera.

    width, height: image size in pixels (>= 1). fx, fy, cx, cy: intrinsics in pixels.
    view: world-to-camera 4x4, row-major, 16 numbers. near, far: clip depths (0 < near < far)."""

    width: int
    height: int
    fx: float
    fy: float
    cx: float
    cy: float
    view: Sequence[float] = field(default=(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1))
    near: float = 0.01
    far: float = 1000.0

    def args(self) -> tuple:
        """The camera as the extension's positional arguments."""
        view = [float(v) for v in (self.view.flatten().tolist() if torch.is_tensor(self.view) else self.view)]
        return (int(self.width), int(self.height), float(self.fx), float(self.fy), float(self.cx), float(self.cy),
                view, float(self.near), float(self.far))


_ext = None
_lock = threading.Lock()


def core_sources(with_cuda: bool = False) -> list[str]:
    """The C++ core and CPU backend (src/native-gpu/src/**/*.cpp). cuda_stub.cpp stands in for
    the CUDA entry points in builds without CUDA (as in CMakeLists.txt) and is left out of CUDA
    builds, where cuda/*.cu define them."""
    found = sorted(glob.glob(os.path.join(_NATIVE, "src", "**", "*.cpp"), recursive=True))
    return [f for f in found if not (with_cuda and os.path.basename(f) == "cuda_stub.cpp")]


def cuda_sources() -> list[str]:
    return sorted(glob.glob(os.path.join(_NATIVE, "cuda", "*.cu")))


def want_cuda() -> bool:
    """Build the CUDA backend in when this torch has CUDA and nvcc can be found."""
    if torch.version.cuda is None:
        return False
    from torch.utils.cpp_extension import CUDA_HOME

    return CUDA_HOME is not None and os.path.exists(os.path.join(CUDA_HOME, "bin", "nvcc"))


def _torch_version() -> tuple[int, int]:
    major, minor = torch.__version__.split(".")[:2]
    return int(major), int("".join(c for c in minor if c.isdigit()) or 0)


def load(verbose: bool = False):
    """Builds (first time, or after a source changed) and imports the extension."""
    global _ext
    with _lock:
        if _ext is not None:
            return _ext
        from torch.utils import cpp_extension

        with_cuda = want_cuda()
        name = "splat_raster_cuda" if with_cuda else "splat_raster_cpu"
        build_dir = os.path.join(BUILD_ROOT, name)
        os.makedirs(build_dir, exist_ok=True)
        if not core_sources():
            raise RuntimeError(f"splat_raster: no C++ core sources under {os.path.join(_NATIVE, 'src')}")
        sources = core_sources(with_cuda) + [os.path.join(_HERE, "binding.cpp")]
        includes = [os.path.join(_NATIVE, "include"), os.path.join(_NATIVE, "src")]
        # The sources need C++17. torch < 2.1 builds extensions as C++14 unless told otherwise;
        # later versions pick C++17 or newer themselves, which their headers may require.
        std = ["-std=c++17"] if _torch_version() < (2, 1) else []
        cflags = ["-O3", *std]
        cuda_flags = []
        if with_cuda:
            sources += cuda_sources()
            cflags.append("-DSPLAT_WITH_CUDA")
            cuda_flags = ["-O3", *std, "-DSPLAT_WITH_CUDA"]
        _ext = cpp_extension.load(
            name=name, sources=sources, extra_cflags=cflags, extra_cuda_cflags=cuda_flags,
            extra_include_paths=includes, build_directory=build_dir, with_cuda=with_cuda, verbose=verbose)
        return _ext


def cuda_available() -> tuple[bool, str]:
    """(usable, reason): whether the extension can run CUDA tensors, and why not."""
    return tuple(load().cuda_available())


class _Rasterize(torch.autograd.Function):
    @staticmethod
    def forward(ctx, means, scales, quats, opacities, colors, background, camera: Camera, threads: int):
        ext = load()
        cam = camera.args()
        inputs = [t.contiguous() for t in (means, scales, quats, opacities, colors, background)]
        rgb, alpha, depth = ext.forward(*inputs[:5], *cam, inputs[5], threads)
        ctx.save_for_backward(*inputs)
        ctx.camera = cam
        ctx.threads = threads
        ctx.mark_non_differentiable(depth)  # SPEC "Backward": no gradient through depth
        return rgb, alpha, depth

    @staticmethod
    def backward(ctx, grad_rgb, grad_alpha, _grad_depth):
        means, scales, quats, opacities, colors, background = ctx.saved_tensors
        grads = load().backward(means, scales, quats, opacities, colors, *ctx.camera, background,
                                grad_rgb.contiguous(), grad_alpha.contiguous() if grad_alpha is not None else None,
                                ctx.threads)
        return (*grads, None, None)


def rasterize(means: torch.Tensor, scales: torch.Tensor, quats: torch.Tensor, opacities: torch.Tensor,
              colors: torch.Tensor, camera: Camera, background: torch.Tensor, threads: int = 0):
    """Renders N splats; differentiable in every tensor argument except through depth.

    means [N,3] world, scales [N,3] linear, quats [N,4] (w, x, y, z, any norm > 0), opacities [N]
    in [0, 1], colors [N,3] linear RGB, background [3] or [H,W,3]: float32, all on one device
    (CPU or CUDA). threads: CPU worker threads, 0 = all. Returns rgb [H,W,3] (composited over the
    background), alpha [H,W] (1 - final transmittance), depth [H,W] (expected depth, 0 where
    alpha <= 1e-6)."""
    return _Rasterize.apply(means, scales, quats, opacities, colors, background, camera, threads)
