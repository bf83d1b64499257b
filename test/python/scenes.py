"""Seeded random scenes for the rasterizer tests. Every tensor is float32 on the CPU (the native
input type); the reference converts to float64 itself."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import torch

from splat_raster import Camera


def look_at(eye, target, up=(0.0, -1.0, 0.0)) -> list[float]:
    """World-to-camera 4x4 row-major (OpenCV: x right, y down, z forward) looking from eye to target."""
    eye, target, up = (np.asarray(v, dtype=np.float64) for v in (eye, target, up))
    z = target - eye
    z /= np.linalg.norm(z)
    x = np.cross(up, z)
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    rot = np.stack([x, y, z])  # rows: camera axes in world coordinates
    view = np.eye(4)
    view[:3, :3] = rot
    view[:3, 3] = -rot @ eye
    return view.reshape(-1).tolist()


@dataclass
class Scene:
    means: torch.Tensor      # [N,3] world
    scales: torch.Tensor     # [N,3] linear
    quats: torch.Tensor      # [N,4] w, x, y, z, not unit
    opacities: torch.Tensor  # [N]
    colors: torch.Tensor     # [N,3]
    camera: Camera
    background: torch.Tensor  # [3] or [H,W,3]

    def inputs(self):
        return self.means, self.scales, self.quats, self.opacities, self.colors

    def args(self):
        """Positional arguments of rasterize(means, scales, quats, opacities, colors, camera, background)."""
        return (*self.inputs(), self.camera, self.background)

    def with_background(self, background):
        return replace(self, background=background)


def make_camera(width: int, height: int, *, fov_deg: float = 50.0, eye=(0.3, -0.4, -4.0), target=(0.0, 0.0, 0.0),
                up=(0.0, -1.0, 0.0), principal=(0.5, 0.5), near=0.05, far=100.0) -> Camera:
    f = 0.5 * max(width, height) / math.tan(math.radians(fov_deg) / 2)
    return Camera(width=width, height=height, fx=f, fy=f * 1.05, cx=principal[0] * width, cy=principal[1] * height,
                  view=look_at(eye, target, up), near=near, far=far)


def make_scene(seed: int, n: int = 200, width: int = 40, height: int = 32, *, camera: Camera | None = None,
               extent: float = 1.5, scale_range=(0.02, 0.25), image_background: bool = False) -> Scene:
    """n splats in a cube of half-size `extent` around the origin, seen by `camera` (default: a
    50 degree camera 4 units away, slightly off-axis)."""
    g = torch.Generator().manual_seed(seed)

    def u(*shape, lo=0.0, hi=1.0):
        return lo + (hi - lo) * torch.rand(*shape, generator=g, dtype=torch.float64)

    means = u(n, 3, lo=-extent, hi=extent)
    scales = torch.exp(u(n, 3, lo=math.log(scale_range[0]), hi=math.log(scale_range[1])))
    quats = torch.randn(n, 4, generator=g, dtype=torch.float64) * u(n, 1, lo=0.5, hi=2.0)
    opacities = u(n, lo=0.05, hi=0.95)
    colors = u(n, 3, lo=-0.1, hi=1.1)  # linear RGB, no clamping (SPEC)
    camera = camera or make_camera(width, height)
    if image_background:
        background = u(camera.height, camera.width, 3)
    else:
        background = u(3)
    f32 = lambda t: t.to(torch.float32).contiguous()  # noqa: E731
    return Scene(f32(means), f32(scales), f32(quats), f32(opacities), f32(colors), camera, f32(background))


def degenerate_scene(seed: int, width: int = 40, height: int = 32) -> Scene:
    """Every degenerate case at once: zero scales (one axis and all axes), opacity 0 and 1,
    splats behind the camera, beyond far and at the near plane, huge splats covering the image,
    splats projected far outside the image (Jacobian clamp), exact duplicates (equal depth:
    tie order by index)."""
    s = make_scene(seed, 120, width, height)
    means, scales, quats, opac, colors = (t.clone() for t in s.inputs())
    scales[0:6, 0] = 0.0           # flat
    scales[6:10] = 0.0             # a point: only the low-pass filter gives it a footprint
    opac[10:16] = 0.0
    opac[16:24] = 1.0              # alpha clamped to ALPHA_MAX near the centre
    scales[16:24] *= 3.0
    eye = torch.tensor([0.3, -0.4, -4.0])
    means[24:30] = eye + torch.tensor([0.0, 0.0, -1.0]) * torch.arange(1, 7)[:, None]  # behind the camera
    means[30:33] = torch.tensor([0.0, 0.0, 200.0])  # beyond far
    scales[33:37] = torch.tensor([3.0, 2.0, 2.5])   # huge: every tile
    opac[33:37] = torch.tensor([0.3, 0.2, 0.5, 0.1])
    # Beyond the Jacobian clamp (|t.x / t.z| > 1.3 tan(fov / 2)) yet large enough to reach the image.
    means[37:45, 0] = torch.tensor([-3.6, -3.2, -2.9, -2.6, 2.6, 2.9, 3.2, 3.6])
    means[37:45, 2] = 0.0
    scales[37:45] = 0.9
    opac[37:45] = 0.5
    means[45:50] = means[50:55]                     # duplicates of 50..54: equal depths
    scales[45:50] = scales[50:55]
    quats[45:50] = quats[50:55]
    colors[45:50] = 1.0 - colors[50:55]
    return Scene(means, scales, quats, opac, colors, s.camera, s.background)


def dense_scene(seed: int, n: int = 300, width: int = 33, height: int = 27) -> Scene:
    """Many large, nearly opaque splats stacked in depth: most pixels reach the T_MIN stop and
    many alphas are clamped to ALPHA_MAX."""
    s = make_scene(seed, n, width, height, extent=0.6, scale_range=(0.15, 0.5))
    g = torch.Generator().manual_seed(seed + 7)
    opac = (0.5 + 0.5 * torch.rand(n, generator=g)).to(torch.float32)
    opac[::8] = 1.0  # wide and opaque: alpha > ALPHA_MAX within about a pixel of the centre
    scales = s.scales.clone()
    scales[::8] *= 4.0
    return Scene(s.means, scales, s.quats, opac, s.colors, s.camera, s.background)


def faint_scene(seed: int, n: int = 600, width: int = 20, height: int = 18) -> Scene:
    """Hundreds of faint splats over a small image: tile lists longer than two 256-splat batches
    of the CUDA kernels, and transmittance never reaches T_MIN, so every batch is blended."""
    s = make_scene(seed, n, width, height, extent=0.5, scale_range=(0.2, 0.4))
    opac = torch.full((n,), 0.012) + 0.01 * torch.rand(n, generator=torch.Generator().manual_seed(seed))
    return Scene(s.means, s.scales, s.quats, opac.to(torch.float32), s.colors, s.camera, s.background)


# Every scene the comparison tests run, by id. Each is a function of nothing (seeded).
SCENES = {
    "random-40x32": lambda: make_scene(0, 200, 40, 32),
    "random-300-48x40-image-bg": lambda: make_scene(1, 300, 48, 40, image_background=True),
    "odd-17x31": lambda: make_scene(2, 150, 17, 31),
    "single-pixel-1x1": lambda: make_scene(3, 60, 1, 1),
    "off-centre-principal-point": lambda: make_scene(4, 200, 36, 28, camera=make_camera(36, 28, principal=(0.18, 0.83))),
    "rotated-camera": lambda: make_scene(5, 200, 40, 30, camera=make_camera(
        40, 30, eye=(2.8, 1.5, -2.6), target=(0.1, -0.2, 0.3), up=(0.6, -1.0, 0.3), fov_deg=60.0)),
    "degenerate": lambda: degenerate_scene(6),
    "dense-stops-and-clamps": lambda: dense_scene(7),
    "faint-long-tile-lists": lambda: faint_scene(8),
    "one-splat": lambda: make_scene(9, 1, 24, 20, scale_range=(0.3, 0.4)),
}
