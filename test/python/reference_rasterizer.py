"""Slow, obviously-correct, differentiable reference of the rasterizer (src/native-gpu/SPEC.md).

The twin of the native `rasterize` (src/native-gpu/torch/splat_raster.py, same name and
signature): float64 PyTorch, one loop over the splats in depth order, each step written with
tensor ops over all pixels at once, following the SPEC text line by line. Gradients come from
autograd; nobody derives the backward twice (STYLE 4).

Discrete decisions (culling, radius, tile membership, skip and stop) are taken without gradient
and applied as masks, so the SPEC's "Backward" conventions fall out of autograd:
- `torch.clamp(raw, max=ALPHA_MAX)` passes no gradient where raw > ALPHA_MAX: dalpha/dopacity and
  dalpha/dpower are 0 where alpha was clamped (torch's clamp passes gradient at equality, and the
  native code clamps only when raw > ALPHA_MAX, the same convention).
- `torch.clamp(t.x / t.z, -lim, lim) * t.z`: where clamped, the clamp output is a constant, so
  d tx / d t.x = 0 and tx = +-lim * t.z depends on t.z with slope +-lim, as the SPEC states.
- skipped, stopped and culled splats enter through masks (zero weight), so they get no gradient;
  radius and tile sets are computed under no_grad, so they are constants.
- quats are normalised inside with autograd, which gives the projected gradient of the SPEC.
Do not use torch.minimum for the alpha clamp: at equality it splits the gradient in half.

Shapes (N splats, H x W image): means [N,3] world, scales [N,3] linear, quats [N,4] (w,x,y,z),
opacities [N], colors [N,3]; background [3] or [H,W,3]; outputs rgb [H,W,3], alpha [H,W],
depth [H,W]. The camera is any object with width, height, fx, fy, cx, cy, view (16 numbers,
world-to-camera row-major), near, far (splat_raster.Camera).
"""

from __future__ import annotations


import numpy as np
import torch


def _f32(x: float) -> float:
    """The float32 value of a C++ `float` literal, held in a Python float (float64)."""
    return float(np.float32(x))


# Constants: twins of src/native-gpu/include/splat/params.h (same names), stored as the float32
# values the C++ literals denote; test_reference.py parses params.h and checks equality.
TILE = 16  # twin: params.h TILE, tile edge in pixels
LOW_PASS = _f32(0.3)  # twin: params.h LOW_PASS (0.3f), pixels^2 added to the 2D covariance
SIGMA_EXTENT = _f32(3.0)  # twin: params.h SIGMA_EXTENT (3.0f), radius in standard deviations
ALPHA_MAX = _f32(0.99)  # twin: params.h ALPHA_MAX (0.99f)
ALPHA_MIN = float(np.float32(1.0) / np.float32(255.0))  # twin: params.h ALPHA_MIN (1.0f / 255.0f)
T_MIN = _f32(1e-4)  # twin: params.h T_MIN (1e-4f)
JACOBIAN_CLAMP = _f32(1.3)  # twin: params.h JACOBIAN_CLAMP (1.3f)
DEPTH_ALPHA_EPS = _f32(1e-6)  # twin: params.h DEPTH_ALPHA_EPS (1e-6f)

F64 = torch.float64
# Relative margin of the tile-edge test in ambiguous_pixels: about 100 float32 ulps of a pixel
# coordinate, well above the rounding error of a float32 mean2d (a few ulps), far below a pixel.
POSITION_REL = 1e-5


def quat_to_rotation(q: torch.Tensor) -> torch.Tensor:
    """[N,4] unit quaternions (w, x, y, z) -> [N,3,3] rotation matrices."""
    w, x, y, z = q.unbind(-1)
    rows = [
        [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
        [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
        [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ]
    return torch.stack([torch.stack(r, -1) for r in rows], -2)


def tile_grid(camera) -> tuple[int, int]:
    """Number of tile columns and rows covering the image."""
    return (camera.width + TILE - 1) // TILE, (camera.height + TILE - 1) // TILE


def tile_rect(mean2d: torch.Tensor, radius: torch.Tensor, camera) -> tuple[torch.Tensor, torch.Tensor]:
    """SPEC "Tiles": inclusive tile rectangle [N,4] = (x0, y0, x1, y1) clamped to the image, and
    whether it is non-empty [N]. Float64 arithmetic, no gradient."""
    tiles_x, tiles_y = tile_grid(camera)
    lo = torch.floor((mean2d - radius[:, None]) / TILE)
    hi = torch.floor((mean2d + radius[:, None]) / TILE)
    touches = (hi[:, 0] >= 0) & (lo[:, 0] <= tiles_x - 1) & (hi[:, 1] >= 0) & (lo[:, 1] <= tiles_y - 1)
    x0 = lo[:, 0].clamp(min=0)
    y0 = lo[:, 1].clamp(min=0)
    x1 = hi[:, 0].clamp(max=tiles_x - 1)
    y1 = hi[:, 1].clamp(max=tiles_y - 1)
    return torch.stack([x0, y0, x1, y1], -1), touches


def project(means, scales, quats, camera):
    """SPEC "Per splat (projection)" for every splat, float64 with autograd.

    Returns a dict: mean2d [N,2], conic [N,3] (a, b, c of [[a, b], [b, c]]), depth [N],
    radius [N] (float, no grad), rect [N,4] (tile x0, y0, x1, y1, no grad), visible [N] bool,
    cov2d [N,3] (xx, xy, yy), txz [N,2] (t.x / t.z and t.y / t.z, for margins). Culled splats
    (visible False) carry placeholder values computed from a safe depth; callers mask them out."""
    view = torch.tensor(list(camera.view), dtype=F64).reshape(4, 4)
    rot, trans = view[:3, :3], view[:3, 3]
    t = means.to(F64) @ rot.T + trans
    tz_raw = t[:, 2]
    with torch.no_grad():
        in_depth = (tz_raw > camera.near) & (tz_raw < camera.far)
    # Culled splats may sit at t.z = 0; a safe depth keeps their (masked) values finite so that
    # zero gradients do not turn into 0 * inf = NaN.
    tz = torch.where(in_depth, tz_raw, torch.ones_like(tz_raw))

    q = quats.to(F64)
    q = q / q.norm(dim=-1, keepdim=True)
    m = quat_to_rotation(q) * scales.to(F64)[:, None, :]  # R * diag(s): column j scaled by s_j
    sigma = m @ m.transpose(1, 2)

    lim_x = JACOBIAN_CLAMP * 0.5 * camera.width / camera.fx
    lim_y = JACOBIAN_CLAMP * 0.5 * camera.height / camera.fy
    tx = torch.clamp(t[:, 0] / tz, -lim_x, lim_x) * tz
    ty = torch.clamp(t[:, 1] / tz, -lim_y, lim_y) * tz
    zero = torch.zeros_like(tz)
    jac = torch.stack([
        torch.stack([camera.fx / tz, zero, -camera.fx * tx / tz ** 2], -1),
        torch.stack([zero, camera.fy / tz, -camera.fy * ty / tz ** 2], -1),
    ], -2)  # [N,2,3]
    tm = jac @ rot  # J * W
    cov = tm @ sigma @ tm.transpose(1, 2) + LOW_PASS * torch.eye(2, dtype=F64)
    xx, xy, yy = cov[:, 0, 0], cov[:, 0, 1], cov[:, 1, 1]
    det = xx * yy - xy * xy
    with torch.no_grad():
        det_ok = det > 0
    det_safe = torch.where(det_ok, det, torch.ones_like(det))
    conic = torch.stack([yy / det_safe, -xy / det_safe, xx / det_safe], -1)
    mean2d = torch.stack([camera.fx * t[:, 0] / tz + camera.cx, camera.fy * t[:, 1] / tz + camera.cy], -1)

    with torch.no_grad():
        mid = 0.5 * (xx + yy)
        lambda_max = mid + torch.sqrt(torch.clamp(mid * mid - det, min=0.1))
        radius = torch.ceil(SIGMA_EXTENT * torch.sqrt(lambda_max))
        rect, touches = tile_rect(mean2d, radius, camera)
        visible = in_depth & det_ok & touches
        radius = torch.where(visible, radius, torch.zeros_like(radius))
    return {
        "mean2d": mean2d, "conic": conic, "depth": tz, "radius": radius, "rect": rect,
        "visible": visible, "cov2d": torch.stack([xx, xy, yy], -1).detach(),
        "txz": torch.stack([t[:, 0] / tz, t[:, 1] / tz], -1).detach(), "tz_raw": tz_raw.detach(),
        "lim": (lim_x, lim_y),
    }


def _pixel_grid(camera):
    """Pixel centres px, py and tile column/row of every pixel, flattened row-major [H*W]."""
    ys, xs = torch.meshgrid(torch.arange(camera.height), torch.arange(camera.width), indexing="ij")
    xs, ys = xs.reshape(-1), ys.reshape(-1)
    return xs.to(F64) + 0.5, ys.to(F64) + 0.5, xs // TILE, ys // TILE


def _render(means, scales, quats, opacities, colors, camera, background, margins: float | None, stats=None):
    """The blending loop of SPEC "Per pixel". With margins=None returns (rgb, alpha, depth);
    with margins=rel returns the [H,W] mask of pixels whose result could change under a
    relative perturbation `rel` of a discrete decision (see ambiguous_pixels). `stats`, a dict,
    receives counts of the decisions taken (see decision_counts)."""
    proj = project(means, scales, quats, camera)
    h, w = camera.height, camera.width
    px, py, tile_col, tile_row = _pixel_grid(camera)
    opac = opacities.to(F64)
    col = colors.to(F64)

    visible = proj["visible"]
    ids = torch.nonzero(visible).flatten()
    # Front to back by increasing depth; equal depths keep increasing splat index (stable sort).
    order = ids[torch.sort(proj["depth"].detach()[ids], stable=True).indices]

    T = torch.ones(h * w, dtype=F64)
    C = torch.zeros(h * w, 3, dtype=F64)
    D = torch.zeros(h * w, dtype=F64)
    active = torch.ones(h * w, dtype=torch.bool)  # not yet stopped
    unsure = torch.zeros(h * w, dtype=torch.bool)
    if margins is not None:
        unsure_splat = _ambiguous_splats(proj, camera, margins)
    if stats is not None:
        lim = torch.tensor(proj["lim"], dtype=F64)
        stats.update(culled=int((~visible).sum()), visible=int(visible.sum()),
                     jacobian_clamped=int((visible & (proj["txz"].abs() > lim).any(-1)).sum()),
                     stopped_pixels=0, clamped_alpha=0, skipped=0, blended=0)

    for i in order.tolist():
        x0, y0, x1, y1 = proj["rect"][i].tolist()
        in_tile = (tile_col >= x0) & (tile_col <= x1) & (tile_row >= y0) & (tile_row <= y1)
        dx = proj["mean2d"][i, 0] - px
        dy = proj["mean2d"][i, 1] - py
        a, b, c = proj["conic"][i]
        power = -0.5 * (a * dx * dx + c * dy * dy) - b * dx * dy
        raw = opac[i] * torch.exp(power)
        alpha = torch.clamp(raw, max=ALPHA_MAX)
        with torch.no_grad():
            considered = active & in_tile & (power <= 0) & (alpha >= ALPHA_MIN)
            t_next = T * (1 - alpha)
            stop = considered & (t_next < T_MIN)
            blend = considered & ~stop
            if margins is not None:
                near_min = (alpha - ALPHA_MIN).abs() <= margins * ALPHA_MIN
                near_stop = considered & ((t_next - T_MIN).abs() <= margins * T_MIN)
                near_max = considered & ((raw - ALPHA_MAX).abs() <= margins)
                reach = alpha >= ALPHA_MIN * (1 - margins)
                unsure |= active & ((in_tile & (near_min | near_max)) | near_stop | (reach & unsure_splat[i]))
            if stats is not None:
                stats["stopped_pixels"] += int(stop.sum())
                stats["clamped_alpha"] += int((blend & (raw > ALPHA_MAX)).sum())
                stats["skipped"] += int((active & in_tile & ~considered).sum())
                stats["blended"] += int(blend.sum())
            active = active & ~stop
        a_eff = torch.where(blend, alpha, torch.zeros_like(alpha))
        C = C + col[i] * (a_eff * T)[:, None]
        D = D + proj["depth"][i] * a_eff * T
        T = T * (1 - a_eff)

    if margins is not None:
        with torch.no_grad():
            near_depth_eps = ((1 - T) - DEPTH_ALPHA_EPS).abs() <= margins * DEPTH_ALPHA_EPS
        return (unsure | near_depth_eps).reshape(h, w)

    bg = background.to(F64)
    bg = bg.reshape(h * w, 3) if bg.dim() == 3 else bg.reshape(1, 3)
    rgb = C + T[:, None] * bg
    alpha_out = 1 - T
    hit = alpha_out > DEPTH_ALPHA_EPS
    depth = torch.where(hit, D / torch.where(hit, alpha_out, torch.ones_like(alpha_out)), torch.zeros_like(D))
    return rgb.reshape(h, w, 3), alpha_out.reshape(h, w), depth.reshape(h, w)


def _ambiguous_splats(proj, camera, rel: float) -> torch.Tensor:
    """Splats whose culling, tile rectangle or Jacobian clamp sits within `rel` of a boundary."""
    with torch.no_grad():
        tz = proj["tz_raw"]
        near_planes = ((tz - camera.near).abs() <= rel * camera.near) | ((tz - camera.far).abs() <= rel * camera.far)
        lim = torch.tensor(proj["lim"], dtype=F64)
        near_clamp = ((proj["txz"].abs() - lim).abs() <= rel * lim).any(-1)
        xx, xy, yy = proj["cov2d"].unbind(-1)
        mid = 0.5 * (xx + yy)
        det = xx * yy - xy * xy
        lambda_max = mid + torch.sqrt(torch.clamp(mid * mid - det, min=0.1))
        extent = SIGMA_EXTENT * torch.sqrt(lambda_max)
        radius = torch.ceil(extent)
        near_ceil = (extent - torch.round(extent)).abs() <= POSITION_REL * extent.clamp(min=1)
        rect, touches = tile_rect(proj["mean2d"].detach(), radius, camera)
        # Positions: float32 rounding of mean2d is ~1e-7 relative; POSITION_REL is ~100 ulps.
        mean2d = proj["mean2d"].detach()
        edges = torch.cat([mean2d - radius[:, None], mean2d + radius[:, None]], -1)
        scale = torch.cat([mean2d.abs(), mean2d.abs()], -1) + radius[:, None] + TILE
        near_edge = ((edges - TILE * torch.round(edges / TILE)).abs() <= POSITION_REL * scale).any(-1)
        other = near_ceil.clone()
        for delta in (-1.0, 1.0):
            r2, t2 = tile_rect(proj["mean2d"].detach(), radius + delta, camera)
            other &= ~(((r2 != rect).any(-1)) | (t2 != touches))
        near_radius = near_ceil & ~other
        return near_planes | near_clamp | near_edge | near_radius


def rasterize(means, scales, quats, opacities, colors, camera, background):
    """The SPEC forward in float64 with autograd; returns rgb [H,W,3], alpha [H,W], depth [H,W]."""
    return _render(means, scales, quats, opacities, colors, camera, background, None)


@torch.no_grad()
def ambiguous_pixels(means, scales, quats, opacities, colors, camera, rel: float = 1e-3) -> torch.Tensor:
    """[H,W] bool: pixels where a float32 implementation may legitimately take another discrete
    decision than this float64 reference (an alpha within `rel` of ALPHA_MIN or ALPHA_MAX, a
    transmittance within `rel` of T_MIN, 1 - T within `rel` of DEPTH_ALPHA_EPS, or a splat whose
    culling, tile rectangle or Jacobian clamp is within `rel` of its boundary, at pixels where
    that splat would be visible). Comparisons exclude these pixels and gradient tests give them
    zero upstream gradient; test_reference.py tests this helper."""
    return _render(means, scales, quats, opacities, colors, camera, None, rel)


@torch.no_grad()
def decision_counts(means, scales, quats, opacities, colors, camera) -> dict:
    """How often each discrete rule fired, so tests can show a scene exercises it: culled and
    visible splats, visible splats with a clamped Jacobian, stopped pixels (T_MIN), blended
    (pixel, splat) pairs with alpha clamped to ALPHA_MAX, skipped and blended pairs."""
    stats: dict = {}
    _render(means, scales, quats, opacities, colors, camera, torch.zeros(3), None, stats)
    return stats
