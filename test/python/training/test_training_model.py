"""The network: parameter counts, output shapes and activation bounds, camera conventions."""

from __future__ import annotations

import math

import torch

import splatportrait as sp
from splatportrait import geometry
from splatportrait.model import SplatPortrait, parameter_report


def _inputs(cfg, b=2, seed=0):
    r = cfg["resolution"]
    g = torch.Generator().manual_seed(seed)
    img = torch.rand((b, 3, r, r), generator=g)
    views = torch.stack([geometry.orbit_view(geometry.look_at_view((0, 0, -0.8)), 20.0 * i - 10, 5.0) for i in range(b)])
    c2w = geometry.invert_rigid(views)
    f = 0.5 * r / math.tan(math.radians(15))
    intr = torch.tensor([[f, f, r / 2, r / 2]]).repeat(b, 1)
    return img, views, c2w, intr


def test_parameter_counts():
    tiny = parameter_report(sp.load_config("tiny"))
    base = parameter_report(sp.load_config("base", {"depth.near": 0.5, "depth.far": 1.1}))
    # Measured: tiny 356,370 + 92,984; base 9,653,922 + 1,128,680 (48 base channels). Ranges, so
    # width tweaks do not break the test; base's static graph (float32) must stay under the 50 MB
    # a committed file may take.
    assert 2e5 < tiny["static"] < 1e6 and 3e4 < tiny["dynamic"] < 3e5
    assert 5e6 < base["static"] and 4 * base["static"] < 50e6 and 3e5 < base["dynamic"] < 1e7
    assert tiny["total"] == tiny["static"] + tiny["dynamic"]


def test_static_outputs_shapes_and_bounds(tiny_cfg):
    torch.manual_seed(0)
    m = SplatPortrait(tiny_cfg)
    img, views, c2w, intr = _inputs(tiny_cfg)
    with torch.no_grad():
        # Push the heads to extremes so the bounds are exercised, not just the init's mid-range.
        m.static.head.bias.add_(torch.randn_like(m.static.head.bias) * 20)
        s, bg, dec = m.static(img, c2w, intr)
    r, n = tiny_cfg["resolution"], tiny_cfg["resolution"] ** 2
    near, far = tiny_cfg["depth"]["near"], tiny_cfg["depth"]["far"]
    st = tiny_cfg["static"]
    assert s["means"].shape == (2, n, 3) and s["scales"].shape == (2, n, 3) and s["quats"].shape == (2, n, 4)
    assert s["opacities"].shape == (2, n) and s["colors"].shape == (2, n, 3) and bg.shape == (2, r, r, 3)
    assert 0 <= s["opacities"].min() and s["opacities"].max() <= 1
    assert 0 <= s["colors"].min() and s["colors"].max() <= 1
    assert 0 <= bg.min() and bg.max() <= 1
    assert near <= s["depth"].min() and s["depth"].max() <= far
    assert torch.allclose(s["quats"].norm(dim=-1), torch.ones(2, n), atol=1e-5)
    fx = intr[0, 0].item()
    assert s["scales"].min() >= st["scale_px_min"] * near / fx * (1 - 1e-5)
    assert s["scales"].max() <= st["scale_px_max"] * far / fx * (1 + 1e-5)
    assert torch.isfinite(s["means"]).all()
    # decoder features at every level
    assert sorted(dec) == [16, 32, 64]


def test_dynamic_offsets_batched_and_bounded(tiny_cfg):
    torch.manual_seed(0)
    m = SplatPortrait(tiny_cfg)
    img, views, c2w, intr = _inputs(tiny_cfg, b=1)
    a = tiny_cfg["audio"]
    with torch.no_grad():
        _, _, dec = m.static(img, c2w, intr)
        feats = m.dynamic.select_features(dec)
        audio = torch.randn(5, a["att_frames"], a["window"], a["n_mels"])
        td = torch.linspace(0.04, 1.0, 5)
        off = m.dynamic(feats, c2w, audio, td)
        one = m.dynamic(feats, c2w, audio[2:3], td[2:3])
    assert off.shape == (5, tiny_cfg["resolution"] ** 2, 3)
    # Offsets are tanh-bounded per component in the camera frame, then rotated: norm <= sqrt(3) max.
    assert off.norm(dim=-1).max() <= math.sqrt(3) * tiny_cfg["dynamic"]["offset_max"] + 1e-6
    # Frames are independent: one frame alone gives the batch's row (float32 reorders: 1e-6).
    assert torch.allclose(one[0], off[2], atol=1e-6)
    # different audio or time delta gives different offsets
    assert (off[0] - off[1]).abs().max() > 0


def test_means_lie_on_source_rays(tiny_cfg):
    """With the static offset head zeroed, each splat projects onto its pixel centre (+0.5, OpenCV)
    in the source camera, at the predicted depth."""
    torch.manual_seed(0)
    m = SplatPortrait(tiny_cfg)
    img, views, c2w, intr = _inputs(tiny_cfg)
    with torch.no_grad():
        w, b = m.static.head.weight, m.static.head.bias
        w[1:4].zero_()
        b[1:4].zero_()  # channels 1..3: static offset (HEAD_LAYOUT)
        s, _, _ = m.static(img, c2w, intr)
    r = tiny_cfg["resolution"]
    cam = s["means"] @ views[:, :3, :3].transpose(1, 2) + views[:, None, :3, 3]
    u = intr[:, None, 0] * cam[..., 0] / cam[..., 2] + intr[:, None, 2]
    v = intr[:, None, 1] * cam[..., 1] / cam[..., 2] + intr[:, None, 3]
    vv, uu = torch.meshgrid(torch.arange(r) + 0.5, torch.arange(r) + 0.5, indexing="ij")
    # float32 through a 4x4 rigid transform and back: ~1e-4 px error measured; allow 1e-3.
    assert torch.allclose(u, uu.reshape(1, -1).expand_as(u), atol=1e-3)
    assert torch.allclose(v, vv.reshape(1, -1).expand_as(v), atol=1e-3)
    assert torch.allclose(cam[..., 2], s["depth"], atol=1e-5)


def test_rotmat_to_quat_round_trip():
    g = torch.Generator().manual_seed(1)
    q = torch.randn((64, 4), generator=g)
    q = q / q.norm(dim=1, keepdim=True)
    w, x, y, z = q.unbind(1)
    r = torch.stack([
        1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
        2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
        2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], 1).reshape(-1, 3, 3)
    back = geometry.rotmat_to_quat(r)
    # q and -q are the same rotation
    err = torch.minimum((back - q).abs().max(1).values, (back + q).abs().max(1).values)
    assert err.max() < 1e-5


def test_invert_rigid():
    v = geometry.orbit_view(geometry.look_at_view((0.1, -0.2, -0.8)), 30, 10)
    assert torch.allclose(geometry.invert_rigid(v) @ v, torch.eye(4), atol=1e-6)
