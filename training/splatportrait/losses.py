"""Losses of paper Eq. 1, 2 and 3-6.

Reconstruction: mean squared error (the paper's ||.||_2 term, averaged per pixel and channel)
plus a perceptual term with weight λ (0.01 in the paper). The paper's LPIPS on VGGFace + VGG19
needs weights that cannot be downloaded here, so the default perceptual term is 1 - SSIM
(Gaussian window 11, σ 1.5, Wang et al. 2004) which needs none; `register_perceptual` plugs in
LPIPS when weights are available, and model.json records which term was used.

Score distillation (paper 3.3): `sds_loss` with any `Denoiser` (EDM convention:
D(x, sigma) -> denoised x, images in [-1, 1]), the Karras schedule (Eq. 3) and Euler steps (Eq. 4)."""

from __future__ import annotations

from typing import Callable, Protocol

import torch
import torch.nn.functional as F

# ---- perceptual terms -----------------------------------------------------------------------------

_PERCEPTUAL: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {}


def register_perceptual(name: str, fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> None:
    """fn(pred [B,H,W,3], target [B,H,W,3]) -> scalar loss (lower is better)."""
    _PERCEPTUAL[name] = fn


def perceptual(name: str) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    if name not in _PERCEPTUAL:
        raise KeyError(f"perceptual term {name!r} not registered (have {sorted(_PERCEPTUAL)}); "
                       "LPIPS needs VGG weights: register it with losses.register_perceptual('lpips', fn)")
    return _PERCEPTUAL[name]


def _gauss(size: int, sigma: float, device, dtype) -> torch.Tensor:
    x = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    g = torch.exp(-x * x / (2 * sigma * sigma))
    return g / g.sum()


def ssim(a: torch.Tensor, b: torch.Tensor, size: int = 11, sigma: float = 1.5) -> torch.Tensor:
    """Mean SSIM of images [B,H,W,3] in [0,1] (C1 = 0.01^2, C2 = 0.03^2, valid-region windows)."""
    a = a.permute(0, 3, 1, 2)
    b = b.permute(0, 3, 1, 2)
    c = a.shape[1]
    g = _gauss(size, sigma, a.device, a.dtype)
    wx = g.view(1, 1, 1, size).repeat(c, 1, 1, 1)
    wy = g.view(1, 1, size, 1).repeat(c, 1, 1, 1)

    def blur(x):
        return F.conv2d(F.conv2d(x, wx, groups=c), wy, groups=c)

    mu_a, mu_b = blur(a), blur(b)
    saa = blur(a * a) - mu_a ** 2
    sbb = blur(b * b) - mu_b ** 2
    sab = blur(a * b) - mu_a * mu_b
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    s = ((2 * mu_a * mu_b + c1) * (2 * sab + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (saa + sbb + c2))
    return s.mean()


register_perceptual("ssim", lambda pred, target: 1.0 - ssim(pred, target))
register_perceptual("none", lambda pred, target: pred.new_zeros(()))


def psnr(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return -10.0 * torch.log10(F.mse_loss(pred, target).clamp_min(1e-10))


def region_mse(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """MSE over the pixels where mask [B,H,W] is 1 (per image, then averaged over the batch;
    an image with an empty mask contributes 0)."""
    se = ((pred - target) ** 2).mean(dim=-1)  # [B,H,W]
    area = mask.flatten(1).sum(dim=1)
    per_image = (se * mask).flatten(1).sum(dim=1) / area.clamp_min(1.0)
    return per_image.mean()


def reconstruction(pred: torch.Tensor, target: torch.Tensor, perceptual_name: str, weight: float,
                   mouth: torch.Tensor | None = None, mouth_weight: float = 0.0) -> torch.Tensor:
    """One term of Eq. 1/2: ||I - I*||_2 (as MSE) + λ L_perc(I, I*), plus, when mouth_weight > 0,
    mouth_weight · MSE inside the target's mouth box (not in the paper: at 64 px the lips are too
    small for the plain L2 to teach lip motion; see data/mouth.py)."""
    loss = F.mse_loss(pred, target)
    if weight:
        loss = loss + weight * perceptual(perceptual_name)(pred, target)
    if mouth_weight and mouth is not None:
        loss = loss + mouth_weight * region_mse(pred, target, mouth)
    return loss


def _project_lip_splats(means, offsets, src_lips, tgt_view, intrinsics, resolution: int) -> torch.Tensor:
    """The splat born at each source lip landmark's pixel (index v * R + u, model.json
    splat_order), moved by its offset and projected into the target camera: [B,L,2] pixels."""
    r = resolution
    u = src_lips[..., 0].floor().clamp(0, r - 1)
    v = src_lips[..., 1].floor().clamp(0, r - 1)
    gather = (v * r + u).long().unsqueeze(-1).expand(-1, -1, 3)
    p = torch.gather(means, 1, gather) + torch.gather(offsets, 1, gather)  # [B,L,3]
    cam = torch.einsum("bij,blj->bli", tgt_view[:, :3, :3], p) + tgt_view[:, None, :3, 3]
    z = cam[..., 2].clamp_min(1e-4)
    return torch.stack([intrinsics[:, None, 0] * cam[..., 0] / z + intrinsics[:, None, 2],
                        intrinsics[:, None, 1] * cam[..., 1] / z + intrinsics[:, None, 3]], dim=-1)


def lip_reprojection(means: torch.Tensor, offsets: torch.Tensor, src_lips: torch.Tensor, tgt_lips: torch.Tensor,
                     tgt_view: torch.Tensor, intrinsics: torch.Tensor, valid: torch.Tensor, resolution: int,
                     delta_px: float = 1.0) -> torch.Tensor:
    """Lip keypoints (not in the paper; see data/mouth.py): the splat born at each source lip
    landmark's pixel, moved by its dynamic offset and projected into the target camera, should
    land on that landmark in the target frame. Huber (delta_px) in model pixels, mean over valid
    samples. means/offsets [B,N,3] world; lips [B,L,2] model pixels; tgt_view [B,4,4];
    intrinsics [B,4]; valid [B]."""
    proj = _project_lip_splats(means, offsets, src_lips, tgt_view, intrinsics, resolution)
    err = F.huber_loss(proj, tgt_lips, reduction="none", delta=delta_px).sum(dim=-1).mean(dim=-1)  # [B]
    return (err * valid).sum() / valid.sum().clamp_min(1.0)


def lip_opening(means: torch.Tensor, offsets: torch.Tensor, src_lips: torch.Tensor, tgt_lips: torch.Tensor,
                tgt_view: torch.Tensor, intrinsics: torch.Tensor, valid: torch.Tensor, resolution: int,
                pairs: list[tuple[int, int]], delta_px: float = 1.0) -> torch.Tensor:
    """How far the mouth is open, not where it is: for each (upper, lower) lip landmark pair (indices
    into the lips' L points), the projected gap (lower - upper, both axes) of their splats in the
    target camera should equal the gap of the target frame's landmarks. Differences of two points
    cancel the head pose and the static misalignment that dominate lip_reprojection's residual,
    leaving the opening and closing that audio predicts. Huber in model pixels, mean over valid."""
    proj = _project_lip_splats(means, offsets, src_lips, tgt_view, intrinsics, resolution)
    up = torch.tensor([a for a, _ in pairs], device=proj.device)
    lo = torch.tensor([b for _, b in pairs], device=proj.device)
    gap = proj[:, lo] - proj[:, up]
    want = tgt_lips[:, lo] - tgt_lips[:, up]
    err = F.huber_loss(gap, want, reduction="none", delta=delta_px).sum(dim=-1).mean(dim=-1)
    return (err * valid).sum() / valid.sum().clamp_min(1.0)


def offset_pixels(means: torch.Tensor, offsets: torch.Tensor, src_view: torch.Tensor,
                  intrinsics: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """World offsets seen from the source camera, in model pixels at each splat's depth
    (fx * dx / z): the in-plane part [B,N,2] and the depth part [B,N] (fx * dz / z).
    means/offsets [B,N,3] world; src_view [B,4,4]; intrinsics [B,4]."""
    rot = src_view[:, :3, :3]
    cam = torch.einsum("bij,bnj->bni", rot, means) + src_view[:, None, :3, 3]
    d = torch.einsum("bij,bnj->bni", rot, offsets)
    z = cam[..., 2:3].clamp_min(1e-4)
    f = intrinsics[:, None, 0:2]
    return d[..., 0:2] * f / z, d[..., 2] * f[..., 0] / z[..., 0]


def mouth_flow(means: torch.Tensor, offsets: torch.Tensor, src_view: torch.Tensor, intrinsics: torch.Tensor,
               flow: torch.Tensor, valid: torch.Tensor, depth_weight: float = 0.1) -> torch.Tensor:
    """Dense expression target for the dynamic offsets (not in the paper; data/mouth.py
    expression_flow): each splat's offset, seen from the source camera, should move its source
    pixel by the landmark-derived flow. The in-plane part of the offset is turned into pixels at
    the splat's depth (fx * dx / z); its depth part, which the flow cannot see, is held near zero
    with depth_weight. Squared error in model pixels, mean over splats and valid samples.
    means/offsets [B,N,3] world; src_view [B,4,4]; intrinsics [B,4]; flow [B,R,R,2]; valid [B]."""
    px, pz = offset_pixels(means, offsets, src_view, intrinsics)
    err = ((px - flow.flatten(1, 2)) ** 2).sum(-1) + depth_weight * pz ** 2  # [B,N]
    return (err.mean(dim=1) * valid).sum() / valid.sum().clamp_min(1.0)


# ---- score distillation ---------------------------------------------------------------------------

class Denoiser(Protocol):
    """A pre-trained 2D diffusion denoiser in the EDM convention (Karras et al. 2022):
    D(x [B,3,H,W] noisy, in the [-1, 1] image range plus noise; sigma [B]) -> denoised [B,3,H,W].
    `resolution` is the size it expects (renders are resized to it)."""

    resolution: int

    def __call__(self, x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor: ...


def karras_sigmas(sigma_min: float, sigma_max: float, rho: float, n: int) -> torch.Tensor:
    """Eq. 3: sigma_i = (smax^(1/rho) + i/(N-1) (smin^(1/rho) - smax^(1/rho)))^rho, i = 0..N-1,
    decreasing from sigma_max to sigma_min; followed by sigma_N = 0 (EDM's final step)."""
    i = torch.arange(n, dtype=torch.float64)
    s = (sigma_max ** (1 / rho) + i / (n - 1) * (sigma_min ** (1 / rho) - sigma_max ** (1 / rho))) ** rho
    return torch.cat([s, torch.zeros(1, dtype=torch.float64)])


@torch.no_grad()
def euler_denoise(denoiser: Denoiser, x_clean: torch.Tensor, sigmas: torch.Tensor, start: int,
                  generator: torch.Generator | None = None) -> torch.Tensor:
    """x_noised = x_clean + sigma_start * eps, then Euler steps (Eq. 4) along sigmas[start:]
    down to 0: x_next = x_cur + (t_next - t_cur) * (x_cur - D(x_cur, t_cur)) / t_cur."""
    eps = torch.randn(x_clean.shape, generator=generator, dtype=x_clean.dtype).to(x_clean.device)
    x = x_clean + float(sigmas[start]) * eps
    for i in range(start, len(sigmas) - 1):
        t_cur, t_next = float(sigmas[i]), float(sigmas[i + 1])
        d = (x - denoiser(x, torch.full((x.shape[0],), t_cur, dtype=x.dtype, device=x.device))) / t_cur
        x = x + (t_next - t_cur) * d
    return x


def sds_loss(render_rgb: torch.Tensor, denoiser: Denoiser, cfg: dict, generator: torch.Generator | None = None):
    """Paper 3.3: render [B,H,W,3] at an extreme view (0..1) -> x_clean in [-1,1] at the
    denoiser's resolution; denoise from a start step drawn in start_fraction of the schedule
    (the paper's "60%-80% of the range"); L_SDS = MSE(x_clean, x_denoised), gradient into x_clean only.
    The paper also crops and aligns the face as FFHQ does [12]; the dataset crops are already
    head-centred squares, so this resizes only. Returns (loss, x_denoised)."""
    x = render_rgb.permute(0, 3, 1, 2) * 2.0 - 1.0
    if x.shape[-1] != denoiser.resolution:
        x = F.interpolate(x, size=(denoiser.resolution, denoiser.resolution), mode="bilinear", align_corners=False)
    n = int(cfg["steps"])
    sigmas = karras_sigmas(cfg["sigma_min"], cfg["sigma_max"], cfg["rho"], n)
    lo, hi = cfg["start_fraction"]
    u = float(torch.rand((), generator=generator))
    start = int(round((lo + (hi - lo) * u) * (n - 1)))
    target = euler_denoise(denoiser, x.detach(), sigmas, start, generator)
    return F.mse_loss(x, target), target


class ToyDenoiser:
    """Test denoiser: D(x, sigma) = a fixed image ([-1,1], [1,3,R,R]) whatever the input, so the
    Euler chain ends exactly on it and SDS pulls renders towards it."""

    def __init__(self, image: torch.Tensor):
        self.image = image
        self.resolution = image.shape[-1]

    def __call__(self, x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        return self.image.expand(x.shape[0], -1, -1, -1)
