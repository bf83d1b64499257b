"""Comparison helpers with their reasons spelled out (STYLE 5); tested in test_compare.py."""

from __future__ import annotations

import torch


def assert_close_masked(actual: torch.Tensor, expected: torch.Tensor, *, atol: float, rtol: float = 0.0,
                        exclude: torch.Tensor | None = None, what: str = "") -> None:
    """|actual - expected| <= atol + rtol * |expected| everywhere except where `exclude` (a bool
    mask broadcastable over the leading dimensions, e.g. [H,W] for [H,W,3]) is set. Compared in
    float64. Fails with the worst element, its index and the number of offenders."""
    a = actual.detach().to(torch.float64).cpu()
    e = expected.detach().to(torch.float64).cpu()
    assert a.shape == e.shape, f"{what}: shape {tuple(a.shape)} != expected {tuple(e.shape)}"
    keep = torch.ones_like(a, dtype=torch.bool)
    if exclude is not None:
        m = exclude.cpu()
        while m.dim() < a.dim():
            m = m.unsqueeze(-1)
        keep = ~m.expand_as(a)
    bad = ((a - e).abs() > atol + rtol * e.abs()) & keep
    bad |= torch.isnan(a) & keep
    if bad.any():
        err = torch.where(keep, (a - e).abs(), torch.zeros_like(a))
        err = torch.where(torch.isnan(err), torch.full_like(err, float("inf")), err)
        idx = tuple(int(i) for i in torch.nonzero(err == err.max())[0])
        raise AssertionError(f"{what}: {int(bad.sum())} of {int(keep.sum())} elements differ; worst at {idx}: "
                             f"{a[idx].item()!r} vs expected {e[idx].item()!r} (atol {atol}, rtol {rtol})")


def assert_grad_close(actual: torch.Tensor, expected: torch.Tensor, *, rel: float, what: str = "") -> None:
    """Gradient of a float32 kernel against a float64 reference: every element within
    rel * max|expected| (one scale per tensor, because float32 sums of many pixel contributions
    carry an absolute error proportional to the largest terms, not to each element), and the
    relative norm of the difference within rel as well. Zero reference gradients must be zero."""
    a = actual.detach().to(torch.float64).cpu()
    e = expected.detach().to(torch.float64).cpu()
    assert a.shape == e.shape, f"{what}: shape {tuple(a.shape)} != expected {tuple(e.shape)}"
    assert torch.isfinite(a).all(), f"{what}: non-finite gradient at {torch.nonzero(~torch.isfinite(a))[:5].tolist()}"
    scale = e.abs().max().item()
    if scale == 0.0:
        assert a.abs().max().item() == 0.0, f"{what}: expected all zero, max |actual| {a.abs().max().item()}"
        return
    diff = (a - e).abs()
    worst = diff.max().item()
    norm_rel = (diff.norm() / e.norm()).item()
    if worst > rel * scale or norm_rel > rel:
        idx = tuple(int(i) for i in torch.nonzero(diff == worst)[0])
        raise AssertionError(f"{what}: max |diff| {worst:.3e} at {idx} ({a[idx].item():.6e} vs {e[idx].item():.6e}), "
                             f"allowed {rel:.1e} * max|expected| {scale:.3e}; relative norm {norm_rel:.3e}")
