"""The PyTorch binding on CPU tensors (C++ CPU backend) against the float64 reference: forward,
gradients of every input through the autograd.Function, and argument validation.

torch.autograd.gradcheck does not apply to the native kernels: they compute in float32, where a
finite-difference step small enough to stay linear drowns in rounding (relative error around
eps^(1/2) ~ 3e-4 at best, and far worse next to the discrete skip/stop rules), so gradcheck would
fail or need tolerances that prove nothing. Instead the native gradients are compared with
autograd of the float64 reference (checks.GRAD_REL), and the reference itself passes gradcheck
(test_reference.py)."""

from __future__ import annotations

import pytest
import torch

import checks
import scenes
import splat_raster as sr

SCENE_IDS = list(scenes.SCENES)


@pytest.mark.parametrize("scene_id", SCENE_IDS)
def test_forward_matches_reference(native, scene_id):
    s = checks.scene(scene_id)
    with torch.no_grad():
        out = sr.rasterize(*s.args())
    checks.check_forward(out, scene_id, "CPU binding")


@pytest.mark.parametrize("scene_id", SCENE_IDS)
def test_gradients_match_reference_autograd(native, scene_id):
    s = checks.scene(scene_id)
    g_rgb, g_alpha = checks.upstream(scene_id)
    ins = [t.clone().requires_grad_(True) for t in (*s.inputs(), s.background)]
    rgb, alpha, depth = sr.rasterize(*ins[:5], s.camera, ins[5])
    assert not depth.requires_grad  # SPEC: no gradient through depth
    ((rgb * g_rgb).sum() + (alpha * g_alpha).sum()).backward()
    checks.check_grads([t.grad for t in ins], scene_id, "CPU binding")


def test_gradients_without_alpha_in_the_loss(native):
    scene_id = "random-300-48x40-image-bg"
    s = checks.scene(scene_id)
    g_rgb, _ = checks.upstream(scene_id, with_alpha=False)
    ins = [t.clone().requires_grad_(True) for t in (*s.inputs(), s.background)]
    rgb, _, _ = sr.rasterize(*ins[:5], s.camera, ins[5])
    (rgb * g_rgb).sum().backward()
    checks.check_grads([t.grad for t in ins], scene_id, "CPU binding (no dL/dalpha)", with_alpha=False)
    # The extension's backward with grad_alpha None equals zeros.
    a = native.backward(*s.inputs(), *s.camera.args(), s.background, g_rgb, None, 0)
    b = native.backward(*s.inputs(), *s.camera.args(), s.background, g_rgb, torch.zeros_like(g_rgb[..., 0]), 0)
    assert all(torch.equal(x, y) for x, y in zip(a, b))


def test_background_colour_gradient_is_the_image_gradient_summed(native):
    s = checks.scene("odd-17x31")
    g_rgb, g_alpha = checks.upstream("odd-17x31")
    image = s.background.expand(s.camera.height, s.camera.width, 3).contiguous()
    colour = native.backward(*s.inputs(), *s.camera.args(), s.background, g_rgb, g_alpha, 0)[5]
    per_pixel = native.backward(*s.inputs(), *s.camera.args(), image, g_rgb, g_alpha, 0)[5]
    assert colour.shape == (3,) and per_pixel.shape == image.shape
    torch.testing.assert_close(colour, per_pixel.sum((0, 1)), rtol=1e-5, atol=1e-5)


def test_non_contiguous_inputs_and_grads_are_accepted_by_the_wrapper(native):
    s = checks.scene("random-40x32")
    means_t = s.means.t().contiguous().t().requires_grad_(True)  # same values, column-major
    assert not means_t.is_contiguous()
    rgb, alpha, _ = sr.rasterize(means_t, *s.args()[1:])
    rgb.sum().backward()  # grad_rgb of ones, expanded: not contiguous
    ref_rgb, _, _ = sr.rasterize(*s.args())
    assert torch.equal(rgb.detach(), ref_rgb)
    assert means_t.grad.shape == s.means.shape and torch.isfinite(means_t.grad).all()


def test_zero_splats_render_the_background(native):
    s = checks.scene("random-40x32")
    empty = [t[:0].clone().requires_grad_(True) for t in s.inputs()]
    bg = s.background.clone().requires_grad_(True)
    rgb, alpha, depth = sr.rasterize(*empty, s.camera, bg)
    assert torch.equal(rgb.detach(), s.background.expand_as(rgb)) and not alpha.any() and not depth.any()
    rgb.sum().backward()
    assert torch.equal(bg.grad, torch.full((3,), float(s.camera.width * s.camera.height)))
    assert all(t.grad.shape == t.shape for t in empty)


def test_threads_do_not_change_the_result(native):
    s = checks.scene("dense-stops-and-clamps")
    a = native.forward(*s.inputs(), *s.camera.args(), s.background, 1)
    b = native.forward(*s.inputs(), *s.camera.args(), s.background, 0)
    assert all(torch.equal(x, y) for x, y in zip(a, b))


def test_cuda_availability_is_reported(native):
    ok, why = native.cuda_available()
    if not native.with_cuda:
        assert not ok and "without CUDA" in why


# ---- Validation: the argument, the expected and the received shape (STYLE 7).

def _args(s, **override):
    args = dict(means=s.means, scales=s.scales, quats=s.quats, opacities=s.opacities, colors=s.colors,
                background=s.background)
    args.update(override)
    return args


def _forward(native, s, camera=None, **override):
    a = _args(s, **override)
    cam = (camera or s.camera).args()
    return native.forward(a["means"], a["scales"], a["quats"], a["opacities"], a["colors"], *cam, a["background"], 0)


@pytest.mark.parametrize("name,bad,pattern", [
    ("means", torch.zeros(5, 4), r"means: expected shape \[N, 3\], received \[5, 4\]"),
    ("scales", torch.zeros(5, 2), r"scales: expected shape \[N, 3\] = \[5, 3\] \(N from means\), received \[5, 2\]"),
    ("quats", torch.zeros(5, 3), r"quats: expected shape \[N, 4\] = \[5, 4\].*received \[5, 3\]"),
    ("opacities", torch.zeros(5, 1), r"opacities: expected shape \[N\] = \[5\].*received \[5, 1\]"),
    ("colors", torch.zeros(4, 3), r"colors: expected shape \[N, 3\] = \[5, 3\].*received \[4, 3\]"),
    ("background", torch.zeros(7, 9, 4),
     r"background: expected shape \[H, W, 3\] = \[7, 9, 3\] \(H, W from the camera\), received \[7, 9, 4\]"),
    ("background", torch.zeros(4), r"background: expected shape \[3\] or \[H, W, 3\] = \[7, 9, 3\], received \[4\]"),
])
def test_shapes_are_validated(native, name, bad, pattern):
    s = scenes.make_scene(0, 5, 9, 7)
    with pytest.raises(ValueError, match=pattern):
        _forward(native, s, **{name: bad})


def test_dtype_device_and_layout_are_validated(native):
    s = scenes.make_scene(0, 5, 9, 7)
    with pytest.raises(TypeError, match="colors: expected dtype float32, received Double"):
        _forward(native, s, colors=s.colors.double())
    with pytest.raises(ValueError, match=r"scales: expected a contiguous tensor"):
        _forward(native, s, scales=s.scales.t().contiguous().t())
    if torch.cuda.is_available():
        with pytest.raises(ValueError, match="expected device"):
            _forward(native, s, colors=s.colors.cuda())


def test_camera_is_validated(native):
    s = scenes.make_scene(0, 5, 9, 7)
    bad = [(dict(near=0.0), "0 < near < far"), (dict(near=2.0, far=1.0), "0 < near < far"),
           (dict(width=0), "width, height"), (dict(fx=-1.0), "fx, fy > 0"), (dict(view=[1.0] * 12), "16 numbers")]
    for change, pattern in bad:
        cam = sr.Camera(**{**s.camera.__dict__, **change})
        with pytest.raises(ValueError, match=pattern):
            _forward(native, s, camera=cam)


def test_backward_gradients_are_validated(native):
    s = scenes.make_scene(0, 5, 9, 7)
    with pytest.raises(ValueError, match=r"grad_rgb: expected shape \[H, W, 3\] = \[7, 9, 3\].*received \[9, 7, 3\]"):
        native.backward(*s.inputs(), *s.camera.args(), s.background, torch.zeros(9, 7, 3), None, 0)
    with pytest.raises(ValueError, match=r"grad_alpha: expected shape \[H, W\] = \[7, 9\].*received \[7, 9, 1\]"):
        native.backward(*s.inputs(), *s.camera.args(), s.background, torch.zeros(7, 9, 3), torch.zeros(7, 9, 1), 0)
