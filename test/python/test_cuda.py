"""The CUDA backend on a GPU: the binding's device path and the host-pointer entry points (those
the Node binding calls) against the float64 reference and against the CPU backend. Skipped
without a CUDA device; the CUDA maths is still checked on the host by test_cuda_math.py.

Tolerances are those of checks.py: float32 on the GPU differs from the CPU by contraction into
FMAs, the order of the atomicAdd sums and expf's last bits, all within the float32 rounding
budget those tolerances were set for."""

from __future__ import annotations

import pytest
import torch

import checks
import scenes
import splat_raster as sr

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(),
                                reason="no CUDA device (torch.cuda.is_available() is False); "
                                       "the CUDA maths is tested on the host by test_cuda_math.py")

SCENE_IDS = list(scenes.SCENES)


@pytest.fixture(scope="module")
def cuda_native(native):
    assert native.with_cuda, ("torch has CUDA but splat_raster was built without it: put nvcc on CUDA_HOME "
                              "(or PATH) and delete src/native-gpu/build/torch to rebuild")
    ok, why = native.cuda_available()
    assert ok, f"splat CUDA backend unavailable: {why}"
    return native


def on_cuda(s: scenes.Scene) -> scenes.Scene:
    return scenes.Scene(*(t.cuda() for t in s.inputs()), s.camera, s.background.cuda())


def test_cuda_available_says_nothing_when_usable(cuda_native):
    assert tuple(cuda_native.cuda_available()) == (True, "")


@pytest.mark.parametrize("scene_id", SCENE_IDS)
def test_forward_matches_reference_and_cpu(cuda_native, scene_id):
    s = checks.scene(scene_id)
    with torch.no_grad():
        out = [t.cpu() for t in sr.rasterize(*on_cuda(s).args())]
        cpu = sr.rasterize(*s.args())
    checks.check_forward(out, scene_id, "CUDA")
    _, unsure = checks.reference_forward(scene_id)
    for name, a, b in zip(("rgb", "alpha"), out, cpu):
        checks.assert_close_masked(a, b, atol=checks.FWD_ATOL, exclude=unsure, what=f"CUDA vs CPU {name}")


@pytest.mark.parametrize("scene_id", SCENE_IDS)
def test_gradients_match_reference(cuda_native, scene_id):
    s = on_cuda(checks.scene(scene_id))
    g_rgb, g_alpha = checks.upstream(scene_id)
    ins = [t.clone().requires_grad_(True) for t in (*s.inputs(), s.background)]
    rgb, alpha, _ = sr.rasterize(*ins[:5], s.camera, ins[5])
    ((rgb * g_rgb.cuda()).sum() + (alpha * g_alpha.cuda()).sum()).backward()
    checks.check_grads([t.grad.cpu() for t in ins], scene_id, "CUDA")


@pytest.mark.parametrize("scene_id", ["random-300-48x40-image-bg", "degenerate", "faint-long-tile-lists"])
def test_host_entry_points_match_reference(cuda_native, scene_id):
    s = checks.scene(scene_id)
    out = cuda_native.forward_host_cuda(*s.inputs(), *s.camera.args(), s.background)
    checks.check_forward(out, scene_id, "CUDA host entry")
    g_rgb, g_alpha = checks.upstream(scene_id)
    grads = cuda_native.backward_host_cuda(*s.inputs(), *s.camera.args(), s.background, g_rgb, g_alpha)
    checks.check_grads(grads, scene_id, "CUDA host entry")


def test_background_image_and_no_alpha_gradient(cuda_native):
    scene_id = "random-300-48x40-image-bg"
    s = on_cuda(checks.scene(scene_id))
    g_rgb, _ = checks.upstream(scene_id, with_alpha=False)
    ins = [t.clone().requires_grad_(True) for t in (*s.inputs(), s.background)]
    rgb, _, _ = sr.rasterize(*ins[:5], s.camera, ins[5])
    (rgb * g_rgb.cuda()).sum().backward()
    checks.check_grads([t.grad.cpu() for t in ins], scene_id, "CUDA (no dL/dalpha)", with_alpha=False)


def test_forward_is_deterministic_and_runs_on_a_side_stream(cuda_native):
    s = on_cuda(checks.scene("dense-stops-and-clamps"))
    first = sr.rasterize(*s.args())
    stream = torch.cuda.Stream()
    with torch.cuda.stream(stream):
        second = sr.rasterize(*s.args())
    stream.synchronize()
    assert all(torch.equal(a, b) for a, b in zip(first, second))


def test_zero_splats_and_everything_culled(cuda_native):
    s = on_cuda(scenes.make_scene(0, 5, 9, 7))
    empty = [t[:0] for t in s.inputs()]
    rgb, alpha, depth = sr.rasterize(*empty, s.camera, s.background)
    assert torch.equal(rgb, s.background.expand_as(rgb)) and not alpha.any() and not depth.any()
    behind = s.means.clone()
    behind[:, 2] = -100.0
    grads = cuda_native.backward(behind, *s.inputs()[1:], *s.camera.args(), s.background,
                                 torch.ones(7, 9, 3, device="cuda"), None, 0)
    assert all(not g.any() for g in grads[:5])
    assert torch.equal(grads[5].cpu(), torch.full((3,), 63.0))


def test_large_scene_against_cpu(cuda_native):
    # 20k splats on 256x192: tile lists of thousands (many shared-memory batches), many tiles.
    # Too large for the reference loop, so CUDA is compared with the CPU backend. Pixels where
    # the two float32 backends take a different discrete decision differ by up to one splat's
    # contribution; those must be rare, everything else within FWD_ATOL-like rounding.
    s = scenes.make_scene(21, 20000, 256, 192, scale_range=(0.01, 0.08))
    g = torch.Generator().manual_seed(5)
    g_rgb = torch.randn(192, 256, 3, generator=g)
    with torch.no_grad():
        cpu = sr.rasterize(*s.args())
        gpu = [t.cpu() for t in sr.rasterize(*on_cuda(s).args())]
    for name, a, b in zip(("rgb", "alpha"), gpu, cpu):
        diff = (a - b).abs()
        diff = diff.amax(-1) if diff.dim() == 3 else diff
        assert (diff > 1e-4).float().mean().item() < 1e-3, f"{name}: {int((diff > 1e-4).sum())} pixels differ"
    grads_cpu = cuda_native.backward(*s.inputs(), *s.camera.args(), s.background, g_rgb, None, 0)
    sc = on_cuda(s)
    grads_gpu = cuda_native.backward(*sc.inputs(), *sc.camera.args(), sc.background, g_rgb.cuda(), None, 0)
    for name, a, b in zip(checks.GRAD_NAMES, grads_gpu, grads_cpu):
        rel = ((a.cpu() - b).norm() / b.norm().clamp(min=1e-30)).item()
        assert rel < 1e-3, f"d{name}: relative difference {rel:.2e}"


def test_wrong_device_mix_is_rejected(cuda_native):
    s = checks.scene("random-40x32")
    with pytest.raises(ValueError, match=r"colors: expected device cuda:0 \(the device of means\), received cpu"):
        cuda_native.forward(s.means.cuda(), s.scales.cuda(), s.quats.cuda(), s.opacities.cuda(), s.colors,
                            *s.camera.args(), s.background.cuda(), 0)
