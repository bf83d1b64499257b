"""The float64 reference itself: its constants against params.h, hand-computed cases of every
SPEC rule, the SPEC "Backward" conventions as autograd produces them, gradcheck, and the
ambiguity helper the comparison tests rely on."""

from __future__ import annotations

import math
import os
import re

import numpy as np
import pytest
import torch

import reference_rasterizer as ref
import scenes
from splat_raster import Camera

PARAMS_H = os.path.join(os.path.dirname(__file__), "..", "..", "src", "native-gpu", "include", "splat", "params.h")


def parse_params_h() -> dict:
    """`constexpr int|float NAME = EXPR;` of params.h, EXPR evaluated as C++ would: float
    literals and divisions in float32."""
    text = open(PARAMS_H).read()
    out = {}
    for kind, name, expr in re.findall(r"constexpr\s+(int|float)\s+(\w+)\s*=\s*([^;]+);", text):
        if kind == "int":
            out[name] = int(expr)
            continue
        parts = [np.float32(float(p.strip().rstrip("f"))) for p in expr.split("/")]
        value = parts[0]
        for p in parts[1:]:
            value = np.float32(value / p)
        out[name] = float(value)
    return out


def test_constants_match_params_h():
    params = parse_params_h()
    assert set(params) == {"TILE", "LOW_PASS", "SIGMA_EXTENT", "ALPHA_MAX", "ALPHA_MIN", "T_MIN", "JACOBIAN_CLAMP",
                           "DEPTH_ALPHA_EPS"}, f"params.h constants changed: {sorted(params)}; update the twin"
    for name, value in params.items():
        assert getattr(ref, name) == value, f"{name}: reference {getattr(ref, name)!r} != params.h {value!r}"


def test_params_parser_evaluates_in_float32():
    # 1.0f / 255.0f in float32 is not the float64 1/255; the parser must give the former.
    assert parse_params_h()["ALPHA_MIN"] == float(np.float32(1.0) / np.float32(255.0))
    assert parse_params_h()["ALPHA_MIN"] != 1.0 / 255.0


# ---- Hand-built scenes. Identity view, f = 100 px, splats at z = 10 with scales (s, s, 0):
# Sigma2D = (f s / z)^2 I + LOW_PASS I exactly (the Jacobian's z column meets a zero scale).

def cam(width=64, height=32, cx=0.0, cy=0.0, near=0.5, far=100.0) -> Camera:
    return Camera(width=width, height=height, fx=100.0, fy=100.0, cx=cx, cy=cy, near=near, far=far)


def splats_at(pixels, z=10.0, s=0.0, opacities=None, colors=None, f=100.0):
    """Splats whose means project to the given pixel coordinates (camera cx = cy = 0)."""
    n = len(pixels)
    means = torch.tensor([[u * z / f, v * z / f, z] for u, v in pixels], dtype=torch.float64)
    scales = torch.tensor([[s, s, 0.0]] * n, dtype=torch.float64)
    quats = torch.tensor([[1.0, 0.0, 0.0, 0.0]] * n, dtype=torch.float64)
    opac = torch.tensor(opacities if opacities is not None else [0.5] * n, dtype=torch.float64)
    col = torch.tensor(colors if colors is not None else [[1.0, 0.0, 0.0]] * n, dtype=torch.float64)
    return means, scales, quats, opac, col


def test_projection_of_an_axis_aligned_splat():
    means, scales, quats, _, _ = splats_at([(20.5, 8.5)], s=0.5)
    p = ref.project(means, scales, quats, cam())
    var = (100 * 0.5 / 10) ** 2 + ref.LOW_PASS  # 25.3 px^2
    torch.testing.assert_close(p["mean2d"][0], torch.tensor([20.5, 8.5], dtype=torch.float64))
    torch.testing.assert_close(p["conic"][0], torch.tensor([1 / var, 0.0, 1 / var], dtype=torch.float64))
    lam = var + math.sqrt(0.1)  # mid^2 - det = 0 < 0.1
    assert p["radius"][0].item() == math.ceil(3 * math.sqrt(lam))
    assert p["depth"][0].item() == 10.0 and bool(p["visible"][0])


def test_culling_by_depth_and_by_tiles():
    means, scales, quats, _, _ = splats_at([(5.5, 5.5)] * 4)
    means[1, 2] = 0.5    # exactly at near: culled (t.z <= near)
    means[2, 2] = 100.0  # exactly at far: culled (t.z >= far)
    means[3] = torch.tensor([-20.0, 0.0, 10.0])  # projects to x = -200 px, radius 3: touches no tile
    p = ref.project(means, scales, quats, cam())
    assert p["visible"].tolist() == [True, False, False, False]
    # scale 0: lambda_max = 0.3 + sqrt(0.1), radius = ceil(3 * 0.785) = 3.
    assert p["radius"].tolist() == [3.0, 0.0, 0.0, 0.0]


def test_blend_one_splat_at_a_pixel_centre():
    # scale 0: Sigma2D = 0.3 I; at the pixel centre power = 0, alpha = opacity.
    means, scales, quats, opac, col = splats_at([(10.5, 4.5)], opacities=[0.6], colors=[[0.2, 0.4, 1.5]])
    bg = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)
    rgb, alpha, depth = ref.rasterize(means, scales, quats, opac, col, cam(), bg)
    torch.testing.assert_close(rgb[4, 10], 0.6 * col[0] + 0.4 * bg)
    assert alpha[4, 10].item() == pytest.approx(0.6)
    assert depth[4, 10].item() == pytest.approx(10.0)
    # One pixel away: power = -0.5 / 0.3; alpha = 0.6 exp(-5/3) = 0.113 >= ALPHA_MIN.
    assert alpha[4, 11].item() == pytest.approx(0.6 * math.exp(-0.5 / ref.LOW_PASS))
    # Two pixels away: 0.6 exp(-20/3) = 7.6e-4 < ALPHA_MIN: skipped, so exactly background.
    assert alpha[4, 12].item() == 0.0 and depth[4, 12].item() == 0.0
    torch.testing.assert_close(rgb[4, 12], bg)


def test_alpha_clamp_and_stop_rule():
    # Three point splats on one pixel centre, front to back opacities 1.0 (clamped to 0.99),
    # 0.95, 0.95: T = 1 -> 0.01 -> 5e-4 -> 2.5e-5 < T_MIN, so the third is not blended.
    cols = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    means, scales, quats, opac, col = splats_at([(3.5, 3.5)] * 3, opacities=[1.0, 0.95, 0.95], colors=cols)
    means[:, 2] = torch.tensor([10.0, 11.0, 12.0])
    means[:, :2] *= means[:, 2:3] / 10.0  # keep the projection at (3.5, 3.5)
    bg = torch.zeros(3, dtype=torch.float64)
    rgb, alpha, depth = ref.rasterize(means, scales, quats, opac, col, cam(), bg)
    a0 = ref.ALPHA_MAX
    expected = torch.tensor([a0, 0.95 * (1 - a0), 0.0], dtype=torch.float64)
    torch.testing.assert_close(rgb[3, 3], expected)
    assert alpha[3, 3].item() == pytest.approx(1 - (1 - a0) * 0.05)
    counts = ref.decision_counts(means, scales, quats, opac, col, cam())
    assert counts["stopped_pixels"] == 1 and counts["clamped_alpha"] == 1


def test_depth_order_and_stable_ties():
    # Splat 1 is nearer than splat 0: drawn first. Splats 2 and 3 share a depth: index order.
    cols = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
    means, scales, quats, opac, col = splats_at([(3.5, 3.5), (3.5, 3.5), (20.5, 3.5), (20.5, 3.5)],
                                                opacities=[0.5] * 4, colors=cols)
    means[1] *= 0.5  # same pixel, half the depth
    bg = torch.zeros(3, dtype=torch.float64)
    rgb, _, _ = ref.rasterize(means, scales, quats, opac, col, cam(), bg)
    torch.testing.assert_close(rgb[3, 3], 0.5 * col[1] + 0.25 * col[0])
    torch.testing.assert_close(rgb[3, 20], 0.5 * col[2] + 0.25 * col[3])


def test_tile_membership_cuts_a_visible_tail():
    # s = 1: sigma^2 = 100.3 px^2, radius ceil(3 sqrt(100.3 + sqrt(0.1))) = 31. Centre at x = 0.5:
    # the square reaches x = 31.5, tiles 0 and 1. Pixel 32 (tile 2) lies 32 px away, where alpha
    # = exp(-0.5 * 32^2 / 100.3) = 6.1e-3 >= ALPHA_MIN, yet it is outside the splat's tiles.
    means, scales, quats, opac, col = splats_at([(0.5, 8.5)], s=1.0, opacities=[1.0])
    p = ref.project(means, scales, quats, cam())
    assert p["radius"][0].item() == 31
    _, alpha, _ = ref.rasterize(means, scales, quats, opac, col, cam(), torch.zeros(3, dtype=torch.float64))
    assert alpha[8, 31].item() == pytest.approx(math.exp(-0.5 * 31 ** 2 / 100.3))
    assert math.exp(-0.5 * 32 ** 2 / 100.3) >= ref.ALPHA_MIN
    assert alpha[8, 32].item() == 0.0


def test_background_image_and_colour():
    s = scenes.make_scene(0, 30, 12, 9)
    image = torch.rand(9, 12, 3, dtype=torch.float64)
    rgb_i, alpha, _ = ref.rasterize(*s.inputs(), s.camera, image)
    rgb_c, _, _ = ref.rasterize(*s.inputs(), s.camera, image[0, 0])
    base, _, _ = ref.rasterize(*s.inputs(), s.camera, torch.zeros(3, dtype=torch.float64))
    torch.testing.assert_close(rgb_i, base + (1 - alpha)[..., None] * image)
    torch.testing.assert_close(rgb_c, base + (1 - alpha)[..., None] * image[0, 0])


# ---- SPEC "Backward" conventions, as autograd of the reference produces them.

def test_clamped_alpha_passes_no_opacity_gradient():
    means, scales, quats, opac, col = splats_at([(3.5, 3.5)], opacities=[1.0])
    opac.requires_grad_(True)
    _, alpha, _ = ref.rasterize(means, scales, quats, opac, col, cam(), torch.zeros(3, dtype=torch.float64))
    (g,) = torch.autograd.grad(alpha[3, 3], opac)
    assert g.item() == 0.0  # alpha = min(0.99, 1.0 * exp(0)): clamped
    (g,) = torch.autograd.grad(ref.rasterize(means, scales, quats, opac * 0.5, col, cam(),
                                             torch.zeros(3, dtype=torch.float64))[1][3, 3], opac)
    assert g.item() == pytest.approx(0.5)  # unclamped: d(0.5 o)/do


def test_clamped_jacobian_has_no_tx_slope():
    # x / z = 3 > lim_x = 1.3 * 0.5 * 64 / 100 = 0.416: J's x entry is clamped. Then the conic
    # depends on t.z only through tx = lim * t.z, and not at all on t.x.
    means = torch.tensor([[30.0, 0.5, 10.0]], dtype=torch.float64, requires_grad=True)
    scales = torch.tensor([[0.5, 0.3, 0.8]], dtype=torch.float64)
    quats = torch.tensor([[0.9, 0.2, -0.3, 0.1]], dtype=torch.float64)
    p = ref.project(means, scales, quats, cam())
    (g,) = torch.autograd.grad(p["conic"].sum(), means)
    assert g[0, 0].item() == 0.0 and g[0, 2].item() != 0.0

    # The same conic computed with tx written as lim * t.z by hand has the same z-derivative.
    def conic_with_constant_slope(m):
        lim = ref.JACOBIAN_CLAMP * 0.5 * 64 / 100.0
        tz = m[0, 2]
        ty = m[0, 1]
        jac = torch.stack([torch.stack([100 / tz, 0 * tz, -100 * (lim * tz) / tz ** 2]),
                           torch.stack([0 * tz, 100 / tz, -100 * ty / tz ** 2])])
        q = quats[0] / quats[0].norm()
        mm = ref.quat_to_rotation(q[None])[0] * scales[0]
        cov = jac @ mm @ mm.T @ jac.T + ref.LOW_PASS * torch.eye(2, dtype=torch.float64)
        return torch.linalg.inv(cov)[[0, 0, 1], [0, 1, 1]].sum()

    (g2,) = torch.autograd.grad(conic_with_constant_slope(means), means)
    torch.testing.assert_close(g[0, 2], g2[0, 2])


def test_quaternion_gradient_is_projected():
    s = scenes.make_scene(3, 20, 16, 12)
    quats = (s.quats.double() * 3.0).requires_grad_(True)  # far from unit norm
    rgb, _, _ = ref.rasterize(s.means, s.scales, quats, s.opacities, s.colors, s.camera, s.background)
    (g,) = torch.autograd.grad(rgb.sum(), quats)
    # d/dq of f(q / |q|) is orthogonal to q, and scales as 1 / |q|.
    assert (g * quats.detach()).sum(-1).abs().max().item() < 1e-12 * max(1.0, g.abs().max().item()) * 10
    quats1 = (s.quats.double()).requires_grad_(True)
    rgb1, _, _ = ref.rasterize(s.means, s.scales, quats1, s.opacities, s.colors, s.camera, s.background)
    (g1,) = torch.autograd.grad(rgb1.sum(), quats1)
    torch.testing.assert_close(g * 3.0, g1)


def test_stopped_and_culled_splats_get_no_gradient():
    cols = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
    means, scales, quats, opac, col = splats_at([(3.5, 3.5)] * 4, opacities=[1.0, 0.95, 0.95, 0.5], colors=cols)
    means[:, 2] = torch.tensor([10.0, 11.0, 12.0, 0.1])  # splat 3 in front of near: culled
    means[:, :2] *= means[:, 2:3] / 10.0
    ins = [t.clone().requires_grad_(True) for t in (means, scales, quats, opac, col)]
    rgb, alpha, _ = ref.rasterize(*ins, cam(), torch.zeros(3, dtype=torch.float64))
    # Only the pixel where splat 2 is stopped (at its neighbours it is blended).
    grads = torch.autograd.grad(rgb[3, 3].sum() + alpha[3, 3], ins)
    for g in grads:
        assert g[2].abs().max().item() == 0.0  # stopped
        assert g[3].abs().max().item() == 0.0  # culled
    assert grads[4][1].abs().max().item() > 0.0  # blended


def test_gradcheck_of_the_reference():
    # gradcheck (finite differences in float64) applies to the float64 reference: it shows the
    # no-grad masks are locally constant and autograd is the derivative of the forward. It does
    # not apply to the float32 native kernels: float32 finite differences with a useful step
    # carry errors far above gradcheck's tolerances (eps^(1/2) ~ 3e-4 relative at best), so the
    # native gradients are compared with these autograd gradients instead (test_binding.py).
    s = scenes.make_scene(11, 6, 10, 8, scale_range=(0.2, 0.5))
    assert not ref.ambiguous_pixels(*s.inputs(), s.camera, rel=1e-2).any()
    ins = tuple(t.double().requires_grad_(True) for t in (*s.inputs(), s.background))

    def f(means, scales, quats, opac, col, bg):
        rgb, alpha, _ = ref.rasterize(means, scales, quats, opac, col, s.camera, bg)
        return rgb, alpha

    assert torch.autograd.gradcheck(f, ins, eps=1e-6, atol=1e-6, rtol=1e-5)


# ---- ambiguous_pixels

def test_ambiguous_pixels_flags_an_alpha_at_the_threshold():
    # A point splat one pixel from pixel 11: alpha there = o exp(-0.5 / 0.3). Choose o so that
    # alpha is ALPHA_MIN (1 + 1e-5): within any float32 rounding of the threshold.
    o = ref.ALPHA_MIN * (1 + 1e-5) / math.exp(-0.5 / ref.LOW_PASS)
    means, scales, quats, opac, col = splats_at([(10.5, 4.5)], opacities=[o])
    mask = ref.ambiguous_pixels(means, scales, quats, opac, col, cam())
    assert bool(mask[4, 11]) and bool(mask[4, 9]) and bool(mask[5, 10]) and not bool(mask[4, 10])
    opac2 = opac * 2  # clear of the threshold
    assert not ref.ambiguous_pixels(means, scales, quats, opac2, col, cam()).any()


def test_ambiguous_pixels_flags_a_tile_edge():
    # Radius 31 square ending exactly on the tile boundary x = 32 (centre 1.0, 1.0 + 31 = 32).
    # Opacity 0.9 keeps every alpha clear of ALPHA_MAX.
    means, scales, quats, opac, col = splats_at([(1.0, 8.5)], s=1.0, opacities=[0.9])
    mask = ref.ambiguous_pixels(means, scales, quats, opac, col, cam())
    assert bool(mask[8, 32]) and bool(mask[8, 0])
    means2, *_ = splats_at([(0.5, 8.5)], s=1.0)
    assert not ref.ambiguous_pixels(means2, scales, quats, opac, col, cam()).any()


@pytest.mark.parametrize("scene_id", list(scenes.SCENES))
def test_ambiguous_pixels_are_rare(scene_id):
    # The comparison tests skip these pixels; if they were common the tests would say little.
    s = scenes.SCENES[scene_id]()
    mask = ref.ambiguous_pixels(*s.inputs(), s.camera)
    # At most 10%: the faint scene (hundreds of splats per pixel with alphas near ALPHA_MIN) has
    # 5.3%, the others under 1.5%.
    assert mask.float().mean().item() <= 0.10 or mask.numel() == 1, f"{int(mask.sum())} of {mask.numel()} pixels"
