"""Shared fixtures: import paths and the (cached) native builds.

Builds land in src/native-gpu/build/torch/<name>/: the binding through
torch.utils.cpp_extension.load with ninja (first run 20-60 s on two cores, later runs only hash
the sources and import), the CUDA emulator with the plain C++ compiler (about a second)."""

from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TORCH_DIR = os.path.join(ROOT, "src", "native-gpu", "torch")
HERE = os.path.dirname(os.path.abspath(__file__))
for p in (TORCH_DIR, HERE):
    if p not in sys.path:
        sys.path.insert(0, p)

import splat_raster  # noqa: E402


@pytest.fixture(scope="session")
def native():
    """The splat_raster extension (CPU backend; CUDA too when torch has CUDA)."""
    return splat_raster.load()


@pytest.fixture(scope="session")
def emulator():
    """Host emulation of the CUDA pipeline over cuda/splat_math.h (native/cuda_emulator.cpp)."""
    import cuda_emulator

    return cuda_emulator.Emulator()
