"""The mouth-weighted reconstruction term (losses.region_mse, data/mouth.py, loss.mouth_weight)."""

from __future__ import annotations

import copy

import numpy as np
import torch

from splatportrait import losses
from splatportrait.data import PreparedDataset
from splatportrait.data.mouth import LIPS, box_mask, mouth_boxes
from splatportrait.trainer import Trainer


def test_region_mse_counts_only_the_masked_pixels():
    pred = torch.zeros(2, 4, 4, 3)
    target = torch.zeros(2, 4, 4, 3)
    target[0, 1, 2] = 0.5  # inside image 0's mask
    target[0, 3, 3] = 1.0  # outside it
    mask = torch.zeros(2, 4, 4)
    mask[0, 1:3, 1:3] = 1.0  # 4 pixels
    mask[1, 0, 0] = 1.0  # image 1: identical there
    got = losses.region_mse(pred, target, mask)
    # image 0: one pixel of squared error 0.25 over 4 masked pixels; image 1: 0; mean over 2 images
    assert torch.isclose(got, torch.tensor(0.25 / 4 / 2))
    assert float(losses.region_mse(pred, target, torch.zeros(2, 4, 4))) == 0.0


def test_mouth_weight_adds_the_region_term_only_when_set():
    pred, target = torch.rand(1, 8, 8, 3), torch.rand(1, 8, 8, 3)
    mask = torch.zeros(1, 8, 8)
    mask[0, 5:7, 2:6] = 1
    base = losses.reconstruction(pred, target, "none", 0.0)
    assert torch.equal(losses.reconstruction(pred, target, "none", 0.0, mask, 0.0), base)
    weighted = losses.reconstruction(pred, target, "none", 0.0, mask, 3.0)
    assert torch.isclose(weighted, base + 3.0 * losses.region_mse(pred, target, mask))


def test_mouth_boxes_from_lip_landmarks_and_fallback():
    lm = np.full((2, 478, 2), 10.0, dtype=np.float32)
    for j in LIPS:
        lm[0, j] = (100, 150)
    lm[0, 61], lm[0, 291], lm[0, 0], lm[0, 17] = (80, 150), (120, 150), (100, 140), (100, 160)
    lm[1, 61] = np.nan
    boxes = mouth_boxes(lm, 2, 256)
    np.testing.assert_allclose(boxes[0], [72, 136, 128, 164])  # 40 x 20 box padded 20 % per side
    np.testing.assert_allclose(boxes[1], np.array([0.35, 0.55, 0.65, 0.75]) * 256, rtol=1e-6)
    m = box_mask(boxes[0], 256, 64)  # model pixel k covers crop [4k, 4k + 4), centre 4k + 2
    rows, cols = np.nonzero(m)
    assert (cols.min(), cols.max(), rows.min(), rows.max()) == (18, 31, 34, 40)


def test_samples_carry_the_mouth_masks_and_training_uses_them(synth_root, tiny_cfg):
    ds = PreparedDataset(synth_root, tiny_cfg)
    s = ds.sample(0, 0, 3)
    assert s["src_mouth"].shape == (64, 64) and s["tgt_mouth"].shape == (64, 64)
    assert 0 < float(s["tgt_mouth"].sum()) < 64 * 64
    batch = Trainer(tiny_cfg, ds).sampler.batch(2, forward_only=True)
    trainers = []
    for w in (0.0, 10.0):
        cfg = copy.deepcopy(tiny_cfg)
        cfg["loss"]["mouth_weight"] = w
        trainers.append(Trainer(cfg, ds))
        trainers[-1].set_stage(2)
    plain, weighted = trainers
    a, b = float(plain.losses(batch)["recon"]), float(weighted.losses(batch)["recon"])
    assert b > a  # same weights (same seed), same batch: only the mouth term differs


def test_lip_reprojection_is_zero_on_the_landmarks_and_pulls_offsets_towards_them():
    r = 8
    n = r * r
    fx = fy = 16.0
    intr = torch.tensor([[fx, fy, r / 2, r / 2]])
    view = torch.eye(4)[None]
    # Splat of pixel (u, v) at depth 1 on its pixel centre's ray.
    v, u = torch.meshgrid(torch.arange(r) + 0.5, torch.arange(r) + 0.5, indexing="ij")
    means = torch.stack([(u - r / 2) / fx, (v - r / 2) / fy, torch.ones_like(u)], dim=-1).reshape(1, n, 3)
    src = torch.tensor([[[2.5, 3.5], [5.5, 6.5]]])
    valid = torch.ones(1)
    offsets = torch.zeros(1, n, 3, requires_grad=True)
    still = losses.lip_reprojection(means, offsets, src, src.clone(), view, intr, valid, r)
    assert float(still) < 1e-10
    moved = src + torch.tensor([[[0.0, 0.5], [0.0, 0.5]]])  # the lips open half a pixel
    loss = losses.lip_reprojection(means, offsets, src, moved, view, intr, valid, r)
    loss.backward()
    g = offsets.grad.reshape(r, r, 3)
    assert float(loss) > 0
    assert float(g[3, 2, 1]) < 0 and float(g[6, 5, 1]) < 0  # descending moves those splats down (+y)
    assert float(g.abs().sum()) == float(g[3, 2].abs().sum() + g[6, 5].abs().sum())  # only the lip splats
    assert float(losses.lip_reprojection(means, offsets, src, moved, view, intr, torch.zeros(1), r)) == 0.0


def test_keypoint_stage2_trains_the_decoder_alone_without_rendering(synth_root, tiny_cfg, monkeypatch):
    cfg = copy.deepcopy(tiny_cfg)
    cfg["loss"].update(photometric=False, lip_landmark_weight=1.0, offset_reg=1.0)
    cfg["train"]["freeze_static"] = True
    tr = Trainer(cfg, PreparedDataset(synth_root, cfg))
    tr.set_stage(2)
    import splatportrait.trainer as trainer_module

    def no_render(*args, **kwargs):
        raise AssertionError("keypoint mode must not render")

    monkeypatch.setattr(trainer_module, "render", no_render)
    static_before = [p.detach().clone() for p in tr.model.static.parameters()]
    dynamic_before = [p.detach().clone() for p in tr.model.dynamic.parameters()]
    rec = tr.train_step()
    assert np.isfinite(rec["total"]) and "lips_px" in rec and "still" in rec
    assert all(torch.equal(a, b) for a, b in zip(static_before, tr.model.static.parameters()))
    assert any(not torch.equal(a, b) for a, b in zip(dynamic_before, tr.model.dynamic.parameters()))


def test_lip_opening_ignores_a_shift_of_the_whole_mouth_but_not_an_opening():
    r, fx = 8, 16.0
    intr = torch.tensor([[fx, fx, r / 2, r / 2]])
    view = torch.eye(4)[None]
    v, u = torch.meshgrid(torch.arange(r) + 0.5, torch.arange(r) + 0.5, indexing="ij")
    means = torch.stack([(u - r / 2) / fx, (v - r / 2) / fx, torch.ones_like(u)], dim=-1).reshape(1, r * r, 3)
    src = torch.tensor([[[3.5, 2.5], [3.5, 4.5]]])  # upper lip, lower lip
    offsets = torch.zeros(1, r * r, 3)
    pairs = [(0, 1)]
    shifted = src + torch.tensor([[[1.0, 1.0], [1.0, 1.0]]])
    assert float(losses.lip_opening(means, offsets, src, shifted, view, intr, torch.ones(1), r, pairs)) < 1e-10
    opened = src + torch.tensor([[[0.0, 0.0], [0.0, 0.8]]])
    assert float(losses.lip_opening(means, offsets, src, opened, view, intr, torch.ones(1), r, pairs)) > 0.1
