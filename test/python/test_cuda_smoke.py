"""Builds src/native-gpu/cuda/*.cu with nvcc (static CUDA runtime, as the Node addon links it)
into native/cuda_smoke.cpp and runs it: the backend links, cuda_available explains itself, and
without a usable GPU the entry points raise std::runtime_error naming the failing CUDA call
rather than crash. Skipped where nvcc is absent. The build is cached by source hash in
src/native-gpu/build/torch/cuda_smoke/ (about 15 s the first time on two cores)."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import tempfile

import pytest
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
NATIVE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "src", "native-gpu")
BUILD_DIR = os.path.join(NATIVE, "build", "torch", "cuda_smoke")
# Targets the lowest architecture nvcc 13 supports; PTX for later GPUs is JIT-compiled.
NVCC_FLAGS = ["-std=c++17", "-O2", "-arch=sm_75", "--cudart", "static", "-Xcompiler", "-Wall,-Wextra",
              "--Werror", "all-warnings"]


def find_nvcc():
    cands = [shutil.which("nvcc")] + [os.path.join(os.environ.get(v, ""), "bin", "nvcc") for v in ("CUDA_HOME", "CUDA_PATH")]
    cands.append("/usr/local/cuda/bin/nvcc")
    return next((c for c in cands if c and os.path.exists(c)), None)


NVCC = find_nvcc()


def build_smoke() -> str:
    sources = sorted(glob.glob(os.path.join(NATIVE, "cuda", "*.cu"))) + [os.path.join(HERE, "native", "cuda_smoke.cpp")]
    headers = sorted(glob.glob(os.path.join(NATIVE, "cuda", "*.h")) + glob.glob(os.path.join(NATIVE, "include", "splat", "*.h")))
    h = hashlib.sha256(" ".join([NVCC, *NVCC_FLAGS]).encode())
    for path in sources + headers:
        with open(path, "rb") as f:
            h.update(path.encode() + f.read())
    exe = os.path.join(BUILD_DIR, f"cuda_smoke-{h.hexdigest()[:16]}")
    if not os.path.exists(exe):
        os.makedirs(BUILD_DIR, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=BUILD_DIR)
        os.close(fd)
        cmd = [NVCC, *NVCC_FLAGS, "-I", os.path.join(NATIVE, "include"), "-I", os.path.join(NATIVE, "cuda"),
               *sources, "-o", tmp]
        done = subprocess.run(cmd, capture_output=True, text=True)
        assert done.returncode == 0, f"nvcc failed:\n{' '.join(cmd)}\n{done.stdout}\n{done.stderr}"
        os.replace(tmp, exe)
    return exe


@pytest.mark.skipif(NVCC is None, reason="nvcc not found (PATH, CUDA_HOME, /usr/local/cuda): CUDA backend not built")
def test_cuda_backend_links_and_reports():
    exe = build_smoke()
    out = subprocess.run([exe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    facts = dict(line.split(": ", 1) if ": " in line else (line.rstrip(":"), "")
                 for line in out.stdout.splitlines())
    if facts["available"] == "1":
        assert facts["why"] == "" and facts["forward"] == "ok" and facts["backward"] == "ok"
        assert float(facts["alpha_sum"]) > 1.0 and facts["finite"] == "1"
    else:
        # e.g. "cudaGetDeviceCount failed: cudaErrorInsufficientDriver (35): CUDA driver version
        # is insufficient for CUDA runtime version" on a machine without an NVIDIA driver.
        assert facts["why"].startswith(("cudaGetDeviceCount", "the CUDA kernels cannot run")), facts["why"]
        assert facts["forward"] == "threw"
        assert facts["error"].startswith("splat CUDA: ") and " failed: cuda" in facts["error"], facts["error"]
        if not torch.cuda.is_available():
            print(f"\ncuda_available: {facts['why']}\nforward_cuda_host: {facts['error']}")
