"""Sinusoidal embeddings of scalars (paper 3.1: camera translation and focal length; 3.2: time delta).

Each scalar x becomes [x, sin(2^k pi x), cos(2^k pi x) for k in 0..freqs-1]: 1 + 2*freqs numbers.
With freqs = 7 and four scalars (camera-to-world translation x, y, z and the focal length) that is
the paper's 60 dimensions (the paper says "order 9"; 4 * (1 + 2*7) = 60 is the count it reports,
so we follow the count). Computed inside the ONNX graphs, so the app never re-implements it."""

from __future__ import annotations

import math

import torch


def sinusoidal(x: torch.Tensor, freqs: int) -> torch.Tensor:
    """x [..., D] -> [..., D * (1 + 2 * freqs)]."""
    bands = (2.0 ** torch.arange(freqs, dtype=x.dtype, device=x.device)) * math.pi  # [F]
    ang = x.unsqueeze(-1) * bands  # [..., D, F]
    out = torch.cat([x.unsqueeze(-1), torch.sin(ang), torch.cos(ang)], dim=-1)  # [..., D, 1+2F]
    return out.flatten(-2)


def camera_scalars(cam_to_world: torch.Tensor, intrinsics: torch.Tensor, width: int,
                   translation_scale: float = 1.0, focal_scale: float = 1.0) -> torch.Tensor:
    """The four conditioning scalars: camera-to-world translation (world units * translation_scale)
    and the focal length as fx / width * focal_scale (resolution independent).
    cam_to_world [B,4,4], intrinsics [B,4] (fx, fy, cx, cy pixels) -> [B,4]."""
    t = cam_to_world[:, :3, 3] * translation_scale
    f = intrinsics[:, 0:1] / float(width) * focal_scale
    return torch.cat([t, f], dim=1)
