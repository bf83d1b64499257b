"""The comparison helpers catch what they must and forgive only what they say (STYLE 5)."""

import pytest
import torch

from compare import assert_close_masked, assert_grad_close


def test_close_masked_passes_within_tolerance():
    e = torch.rand(4, 5, 3, dtype=torch.float64)
    assert_close_masked(e.float(), e, atol=1e-6, what="rounding")


def test_close_masked_reports_the_worst_element():
    e = torch.zeros(4, 5, 3, dtype=torch.float64)
    a = e.clone()
    a[2, 3, 1] = 0.5
    a[0, 0, 0] = 1e-7
    with pytest.raises(AssertionError, match=r"1 of 60 elements differ; worst at \(2, 3, 1\)"):
        assert_close_masked(a, e, atol=1e-6, what="x")


def test_close_masked_excludes_pixels_and_broadcasts_the_mask():
    e = torch.zeros(4, 5, 3, dtype=torch.float64)
    a = e.clone()
    a[2, 3, :] = 1.0
    mask = torch.zeros(4, 5, dtype=torch.bool)
    mask[2, 3] = True
    assert_close_masked(a, e, atol=1e-6, exclude=mask)
    mask[2, 3], mask[1, 1] = False, True
    with pytest.raises(AssertionError):
        assert_close_masked(a, e, atol=1e-6, exclude=mask)


def test_close_masked_catches_nan_and_shape():
    e = torch.zeros(3)
    with pytest.raises(AssertionError, match="differ"):
        assert_close_masked(torch.tensor([0.0, float("nan"), 0.0]), e, atol=1.0)
    with pytest.raises(AssertionError, match="shape"):
        assert_close_masked(torch.zeros(4), e, atol=1.0)


def test_close_masked_rtol():
    e = torch.tensor([1000.0, 1.0], dtype=torch.float64)
    assert_close_masked(e + torch.tensor([0.05, 0.0], dtype=torch.float64), e, atol=1e-6, rtol=1e-4)
    with pytest.raises(AssertionError):
        assert_close_masked(e + torch.tensor([0.0, 0.05], dtype=torch.float64), e, atol=1e-6, rtol=1e-4)


def test_grad_close_scales_by_the_largest_gradient():
    e = torch.tensor([100.0, 1e-3, -50.0], dtype=torch.float64)
    # An absolute error of 1e-3 on the small element is 1e-5 of the scale: accepted.
    assert_grad_close(e + torch.tensor([0.0, 1e-3, 0.0], dtype=torch.float64), e, rel=1e-4)
    with pytest.raises(AssertionError, match="max \\|diff\\|"):
        assert_grad_close(e + torch.tensor([0.0, 0.1, 0.0], dtype=torch.float64), e, rel=1e-4)


def test_grad_close_zero_means_zero_and_finite():
    z = torch.zeros(5)
    assert_grad_close(z, z.double(), rel=1e-3)
    with pytest.raises(AssertionError, match="all zero"):
        assert_grad_close(torch.tensor([0, 0, 1e-30, 0, 0]), z.double(), rel=1e-3)
    with pytest.raises(AssertionError, match="non-finite"):
        assert_grad_close(torch.tensor([0, float("inf"), 0, 0, 0]), torch.ones(5, dtype=torch.float64), rel=1e-3)


def test_grad_close_relative_norm():
    # Many small errors, each under rel * scale, but together over rel in norm: rejected.
    e = torch.zeros(10000, dtype=torch.float64)
    e[0] = 1.0
    a = e + 9e-5
    with pytest.raises(AssertionError, match="relative norm"):
        assert_grad_close(a, e, rel=1e-4)
