"""ctypes driver of native/cuda_emulator.cpp, the host emulation of the CUDA pipeline.

build() compiles it with the system C++ compiler into src/native-gpu/build/torch/cuda_emulator/,
named by a hash of its sources and flags, so an unchanged tree reuses the library (about a second
to build; no torch headers). Emulator methods take and return float32 CPU tensors with the
shapes of splat_raster's extension (forward, backward), so tests treat both alike."""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NATIVE = os.path.join(ROOT, "src", "native-gpu")
SOURCE = os.path.join(HERE, "native", "cuda_emulator.cpp")
HEADERS = [os.path.join(NATIVE, "cuda", "splat_math.h"), os.path.join(NATIVE, "include", "splat", "params.h")]
FLAGS = ["-O2", "-std=c++17", "-shared", "-fPIC", "-Wall", "-Wextra", "-Werror",
         "-I", os.path.join(NATIVE, "include"), "-I", os.path.join(NATIVE, "cuda")]
BUILD_DIR = os.path.join(NATIVE, "build", "torch", "cuda_emulator")


class CameraStruct(ctypes.Structure):
    """Twin of splat::Camera (include/splat/params.h); emu_camera_size() checks the layout."""
    _fields_ = [("width", ctypes.c_int32), ("height", ctypes.c_int32), ("fx", ctypes.c_float),
                ("fy", ctypes.c_float), ("cx", ctypes.c_float), ("cy", ctypes.c_float),
                ("view", ctypes.c_float * 16), ("near_plane", ctypes.c_float), ("far_plane", ctypes.c_float)]


class InputsStruct(ctypes.Structure):
    """Twin of Inputs in native/cuda_emulator.cpp."""
    _fields_ = [("n", ctypes.c_int64)] + [(k, ctypes.c_void_p) for k in
                                          ("means", "scales", "quats", "opacities", "colors", "bg")] + \
               [("bg_image", ctypes.c_bool)]


def build() -> str:
    compiler = os.environ.get("CXX") or shutil.which("c++") or shutil.which("g++")
    if compiler is None:
        raise RuntimeError("cuda_emulator: no C++ compiler (c++ / g++) on PATH")
    h = hashlib.sha256(" ".join([compiler, *FLAGS]).encode())
    for path in [SOURCE, *HEADERS]:
        with open(path, "rb") as f:
            h.update(f.read())
    lib = os.path.join(BUILD_DIR, f"cuda_emulator-{h.hexdigest()[:16]}.so")
    if not os.path.exists(lib):
        os.makedirs(BUILD_DIR, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".so", dir=BUILD_DIR)
        os.close(fd)
        done = subprocess.run([compiler, *FLAGS, SOURCE, "-o", tmp], capture_output=True, text=True)
        if done.returncode != 0:
            os.unlink(tmp)
            raise RuntimeError(f"cuda_emulator: compiling {SOURCE} failed:\n{done.stderr}")
        os.replace(tmp, lib)  # atomic: concurrent test runs never load a half-written file
    return lib


def _ptr(t: torch.Tensor | None):
    return None if t is None else ctypes.c_void_p(t.data_ptr())


def _f32(t: torch.Tensor) -> torch.Tensor:
    assert t.dtype == torch.float32 and t.device.type == "cpu", f"emulator: float32 CPU tensors, got {t.dtype} {t.device}"
    return t.contiguous()


class Emulator:
    def __init__(self, path: str | None = None):
        self.lib = ctypes.CDLL(path or build())
        self.lib.emu_camera_size.restype = ctypes.c_int64
        self.lib.emu_sorted_pairs.restype = ctypes.c_int64
        self.lib.emu_sort_key.restype = ctypes.c_uint64
        self.lib.emu_sort_key.argtypes = [ctypes.c_int32, ctypes.c_float]
        self.lib.emu_sort_end_bit.restype = ctypes.c_int32
        self.lib.emu_sort_end_bit.argtypes = [ctypes.c_int64]
        assert self.lib.emu_camera_size() == ctypes.sizeof(CameraStruct), "CameraStruct does not mirror splat::Camera"

    @staticmethod
    def _camera(width, height, fx, fy, cx, cy, view, near, far) -> CameraStruct:
        return CameraStruct(width, height, fx, fy, cx, cy, (ctypes.c_float * 16)(*view), near, far)

    @staticmethod
    def _inputs(tensors, background):
        tensors = [_f32(t) for t in tensors] + [_f32(background)]
        s = InputsStruct(tensors[0].shape[0], *(t.data_ptr() for t in tensors), background.dim() == 3)
        return s, tensors  # keep the tensors alive while the struct points at them

    def forward(self, means, scales, quats, opacities, colors, width, height, fx, fy, cx, cy, view, near, far,
                background):
        """rgb [H,W,3], alpha [H,W], depth [H,W], n_contrib [H,W] int32."""
        inputs, keep = self._inputs((means, scales, quats, opacities, colors), background)
        cam = self._camera(width, height, fx, fy, cx, cy, view, near, far)
        rgb = torch.empty(height, width, 3)
        alpha = torch.empty(height, width)
        depth = torch.empty(height, width)
        n_contrib = torch.empty(height, width, dtype=torch.int32)
        self.lib.emu_forward(ctypes.byref(inputs), ctypes.byref(cam), _ptr(rgb), _ptr(alpha), _ptr(depth),
                             _ptr(n_contrib))
        return rgb, alpha, depth, n_contrib

    def backward(self, means, scales, quats, opacities, colors, width, height, fx, fy, cx, cy, view, near, far,
                 background, grad_rgb, grad_alpha):
        """Gradients of means, scales, quats, opacities, colors, background."""
        inputs, keep = self._inputs((means, scales, quats, opacities, colors), background)
        cam = self._camera(width, height, fx, fy, cx, cy, view, near, far)
        grad_rgb = _f32(grad_rgb)
        grad_alpha = None if grad_alpha is None else _f32(grad_alpha)
        n = means.shape[0]
        out = [torch.empty(n, 3), torch.empty(n, 3), torch.empty(n, 4), torch.empty(n), torch.empty(n, 3),
               torch.empty_like(background)]
        self.lib.emu_backward(ctypes.byref(inputs), ctypes.byref(cam), _ptr(grad_rgb), _ptr(grad_alpha),
                              *(_ptr(t) for t in out))
        return out

    def sorted_pairs(self, means, scales, quats, opacities, colors, width, height, fx, fy, cx, cy, view, near, far,
                     background):
        """Sorted splat ids [pairs] int64 and per-tile (start, end) [tiles, 2] int32."""
        inputs, keep = self._inputs((means, scales, quats, opacities, colors), background)
        cam = self._camera(width, height, fx, fy, cx, cy, view, near, far)
        pairs = self.lib.emu_sorted_pairs(ctypes.byref(inputs), ctypes.byref(cam), None, None)
        tiles = ((width + 15) // 16) * ((height + 15) // 16)
        values = torch.empty(pairs, dtype=torch.int64)
        ranges = torch.empty(tiles, 2, dtype=torch.int32)
        self.lib.emu_sorted_pairs(ctypes.byref(inputs), ctypes.byref(cam), _ptr(values), _ptr(ranges))
        return values, ranges

    def sort_key(self, tile: int, depth: float) -> int:
        return int(self.lib.emu_sort_key(tile, depth))

    def sort_end_bit(self, tiles: int) -> int:
        return int(self.lib.emu_sort_end_bit(tiles))
