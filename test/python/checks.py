"""Native-versus-reference checks shared by the emulator, CPU binding and CUDA tests.

Tolerances (STYLE 5), measured on the scenes of scenes.SCENES (Debian 12, g++ 12 -O3, x86-64,
2026-11; emulator and CPU backend alike), float32 native against the float64 reference:
- FWD_ATOL = 1e-5 for rgb and alpha: measured max 1.3e-6. Each blended splat adds a few float32
  roundings (eps 6e-8) of quantities <= ~1 and the faint scene blends ~50 splats per pixel;
  1e-5 leaves about 8x headroom and is still ~400x below one 8-bit grey level.
- depth: |d - d_ref| <= d_ref * (DEPTH_RTOL + DEPTH_ALPHA_RTOL / alpha_ref). depth = D / (1 - T)
  and 1 - T computed in float32 from T near 1 keeps only eps / (1 - T) relative accuracy
  (alpha_ref is >= ALPHA_MIN wherever something was blended). Measured at most 0.93 of
  (1e-6 + 1.2e-7 / alpha); the bound below is ~8x that.
- GRAD_REL = 3e-5 of the largest reference gradient of each tensor, elementwise and as a
  relative norm: measured at most 4.3e-6 (means) over every scene. Gradients sum float32
  contributions of hundreds of pixels, so their error scales with the largest terms.
Pixels where a float32 implementation may legitimately take another discrete decision are
excluded from forward comparisons and given zero upstream gradient (ambiguous_pixels, tested
in test_reference.py).
"""

from __future__ import annotations

import functools

import torch

import reference_rasterizer as ref
import scenes
from compare import assert_close_masked, assert_grad_close

FWD_ATOL = 1e-5
DEPTH_RTOL = 1e-5
DEPTH_ALPHA_RTOL = 1e-6
GRAD_REL = 3e-5
GRAD_NAMES = ("means", "scales", "quats", "opacities", "colors", "background")


@functools.lru_cache(maxsize=None)
def scene(scene_id: str) -> scenes.Scene:
    return scenes.SCENES[scene_id]()


@functools.lru_cache(maxsize=None)
def reference_forward(scene_id: str):
    s = scene(scene_id)
    with torch.no_grad():
        out = ref.rasterize(*s.args())
    return out, ref.ambiguous_pixels(*s.inputs(), s.camera)


def check_forward(actual, scene_id: str, what: str) -> None:
    (rgb, alpha, depth), unsure = reference_forward(scene_id)
    a_rgb, a_alpha, a_depth = actual
    assert_close_masked(a_rgb, rgb, atol=FWD_ATOL, exclude=unsure, what=f"{what} rgb")
    assert_close_masked(a_alpha, alpha, atol=FWD_ATOL, exclude=unsure, what=f"{what} alpha")
    tol = depth.abs() * (DEPTH_RTOL + DEPTH_ALPHA_RTOL / alpha.clamp(min=ref.ALPHA_MIN))
    bad = ((a_depth.double().cpu() - depth).abs() > tol) & ~unsure
    assert not bad.any(), (f"{what} depth: {int(bad.sum())} pixels differ, first {torch.nonzero(bad)[0].tolist()}: "
                           f"{a_depth[tuple(torch.nonzero(bad)[0])].item()} vs {depth[tuple(torch.nonzero(bad)[0])].item()}")


@functools.lru_cache(maxsize=None)
def upstream(scene_id: str, with_alpha: bool = True):
    """Seeded dL/drgb [H,W,3] and dL/dalpha [H,W] (float32), zero on ambiguous pixels."""
    s = scene(scene_id)
    _, unsure = reference_forward(scene_id)
    g = torch.Generator().manual_seed(1234)
    keep = (~unsure).to(torch.float32)
    g_rgb = torch.randn(s.camera.height, s.camera.width, 3, generator=g) * keep[..., None]
    g_alpha = torch.randn(s.camera.height, s.camera.width, generator=g) * keep if with_alpha else None
    return g_rgb, g_alpha


@functools.lru_cache(maxsize=None)
def reference_grads(scene_id: str, with_alpha: bool = True):
    """Autograd of the float64 reference: grads of means, scales, quats, opacities, colors, background."""
    s = scene(scene_id)
    g_rgb, g_alpha = upstream(scene_id, with_alpha)
    ins = [t.double().requires_grad_(True) for t in (*s.inputs(), s.background)]
    rgb, alpha, _ = ref.rasterize(*ins[:5], s.camera, ins[5])
    loss = (rgb * g_rgb.double()).sum()
    if g_alpha is not None:
        loss = loss + (alpha * g_alpha.double()).sum()
    return torch.autograd.grad(loss, ins)


def check_grads(actual, scene_id: str, what: str, with_alpha: bool = True) -> None:
    expected = reference_grads(scene_id, with_alpha)
    assert len(actual) == len(expected)
    for name, a, e in zip(GRAD_NAMES, actual, expected):
        assert a.dtype == torch.float32, f"{what} d{name}: dtype {a.dtype}"
        assert_grad_close(a, e, rel=GRAD_REL, what=f"{what} d{name}")
