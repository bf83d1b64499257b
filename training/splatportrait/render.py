"""Rendering through the native differentiable rasterizer (src/native-gpu/torch/splat_raster.py,
one image per call), batched by a loop. Images are [B,H,W,3] RGB 0..1."""

from __future__ import annotations

import os
import sys

import torch

_TORCH_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                          "src", "native-gpu", "torch")
if _TORCH_DIR not in sys.path:
    sys.path.insert(0, _TORCH_DIR)

import splat_raster  # noqa: E402

RASTER_NEAR, RASTER_FAR = 0.01, 100.0


def render(splats: dict, views: torch.Tensor, intrinsics: torch.Tensor, size: int, background: torch.Tensor,
           offsets: torch.Tensor | None = None, threads: int = 0):
    """splats: [B,N,k] tensors (means, scales, quats, opacities, colors); views [B,4,4]
    world-to-camera; intrinsics [B,4]; background [B,3] (a flat colour) or [B,H,W,3];
    offsets [B,N,3] added to means (dynamic splats) or None. Returns (rgb [B,H,W,3], alpha [B,H,W])."""
    rgbs, alphas = [], []
    for b in range(views.shape[0]):
        k = intrinsics[b].tolist()
        cam = splat_raster.Camera(width=size, height=size, fx=k[0], fy=k[1], cx=k[2], cy=k[3],
                                  view=views[b].detach().cpu().reshape(-1).tolist(), near=RASTER_NEAR, far=RASTER_FAR)
        means = splats["means"][b] if offsets is None else splats["means"][b] + offsets[b]
        rgb, alpha, _ = splat_raster.rasterize(means, splats["scales"][b], splats["quats"][b],
                                               splats["opacities"][b], splats["colors"][b], cam,
                                               background[b].contiguous(), threads)
        rgbs.append(rgb)
        alphas.append(alpha)
    return torch.stack(rgbs), torch.stack(alphas)
