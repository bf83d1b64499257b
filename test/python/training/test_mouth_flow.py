"""The pose-free expression flow (data/mouth.expression_flow) and its loss on the dynamic offsets
(losses.mouth_flow, loss.mouth_flow_weight)."""

from __future__ import annotations

import copy
import math

import numpy as np
import torch

from splatportrait import losses
from splatportrait.data import PreparedDataset
from splatportrait.data.mouth import FLOW_REACH, FLOW_SIGMA, NOSE_TIP, expression_flow, rigid_part_fit
from splatportrait.trainer import Trainer

SIZE, RES = 256, 64


def face(seed: int = 0) -> np.ndarray:
    """478 landmarks spread over a 140 px face, the nose tip at its centre."""
    rng = np.random.default_rng(seed)
    lm = rng.uniform(58, 198, size=(478, 2)).astype(np.float32)
    lm[NOSE_TIP] = (128, 128)
    return lm


def similarity(lm: np.ndarray, deg: float, scale: float, shift) -> np.ndarray:
    a = math.radians(deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]]) * scale
    return ((lm - 128) @ rot.T + 128 + np.asarray(shift)).astype(np.float32)


def slow_flow(src: np.ndarray, tgt: np.ndarray, size: int, res: int) -> np.ndarray:
    """Obviously-correct reference: the kernel regression pixel by pixel."""
    a = rigid_part_fit(tgt, src)
    resid = np.c_[tgt, np.ones(len(tgt))] @ a - src
    resid[src[:, 1] < src[NOSE_TIP, 1]] = 0
    pts, resid = src * res / size, resid * res / size
    sigma = FLOW_SIGMA * res
    out = np.zeros((res, res, 2))
    for v in range(res):
        for u in range(res):
            w = np.exp(-((u + 0.5 - pts[:, 0]) ** 2 + (v + 0.5 - pts[:, 1]) ** 2) / (2 * sigma ** 2))
            out[v, u] = (w @ resid) / w.sum() * min(1.0, w.sum() / FLOW_REACH)
    return out


def test_a_head_movement_alone_gives_no_flow():
    src = face()
    tgt = similarity(src, deg=6.0, scale=1.07, shift=(9.0, -5.0))
    flow = expression_flow(src, tgt, SIZE, RES)
    assert np.abs(flow).max() < 1e-3


def test_flow_matches_the_pixel_by_pixel_reference():
    src = face(1)
    tgt = similarity(src, deg=-4.0, scale=0.95, shift=(3.0, 2.0))
    below = np.nonzero(src[:, 1] > 140)[0]
    tgt[below] += np.random.default_rng(2).normal(0, 3, size=(len(below), 2)).astype(np.float32)
    fast = expression_flow(src, tgt, SIZE, RES)
    np.testing.assert_allclose(fast, slow_flow(src, tgt, SIZE, RES), atol=2e-4)


def test_a_jaw_drop_moves_the_chin_down_and_leaves_the_eyes_and_background_still():
    src = face(3)
    tgt = src.copy()
    chin = src[:, 1] > 170
    tgt[chin, 1] += 8.0  # 8 crop px = 2 model px down, under the face's own pose
    flow = expression_flow(src, tgt, SIZE, RES)
    scale = RES / SIZE
    # the pose fit sees only the upper face, which did not move
    deep_chin = np.nonzero(src[:, 1] > 185)[0]
    for k in deep_chin[:5]:
        u, v = (src[k] * scale).astype(int)
        assert abs(flow[v, u, 1] - 2.0) < 0.35 and abs(flow[v, u, 0]) < 0.2
    assert np.abs(flow[: int(110 * scale)]).max() < 0.05  # rows above the mouth
    assert np.abs(flow[:4, :4]).max() == 0.0  # far from every landmark


def test_mouth_flow_loss_is_zero_for_offsets_that_carry_the_flow_and_counts_depth():
    r, f = 8, 16.0
    intr = torch.tensor([[f, f, r / 2, r / 2]])
    view = torch.eye(4)[None]
    view[0, 2, 3] = 1.0  # world origin one unit in front of the camera
    v, u = torch.meshgrid(torch.arange(r) + 0.5, torch.arange(r) + 0.5, indexing="ij")
    depth = 1.5
    means = torch.stack([(u - r / 2) / f * depth, (v - r / 2) / f * depth, torch.full_like(u, depth - 1.0)], -1)
    means = means.reshape(1, r * r, 3)
    flow = torch.zeros(1, r, r, 2)
    flow[0, 5:7, 3:5, 1] = 0.5  # half a pixel down
    flow[0, 6, 4, 0] = -0.25
    valid = torch.ones(1)
    carry = torch.cat([flow.reshape(1, -1, 2) * depth / f, torch.zeros(1, r * r, 1)], dim=-1)
    assert float(losses.mouth_flow(means, carry, view, intr, flow, valid)) < 1e-12
    still = losses.mouth_flow(means, torch.zeros(1, r * r, 3), view, intr, flow, valid)
    assert math.isclose(float(still), float((flow ** 2).sum()) / (r * r), rel_tol=1e-6)
    deeper = carry.clone()
    deeper[0, 0, 2] = 0.1 * depth / f  # 0.1 px-equivalent towards the camera's axis
    got = float(losses.mouth_flow(means, deeper, view, intr, flow, valid, depth_weight=0.5))
    assert math.isclose(got, 0.5 * 0.1 ** 2 / (r * r), rel_tol=1e-4)
    assert float(losses.mouth_flow(means, torch.zeros(1, r * r, 3), view, intr, flow, torch.zeros(1))) == 0.0


def test_flow_stage2_carries_the_flow_in_the_batch_and_trains_the_decoder_alone(synth_root, tiny_cfg, monkeypatch, jaw_drop_batch):
    cfg = copy.deepcopy(tiny_cfg)
    cfg["loss"].update(photometric=False, lip_landmark_weight=0.0, mouth_flow_weight=1.0)
    cfg["train"].update(freeze_static=True, lr=1e-3)
    ds = PreparedDataset(synth_root, cfg)
    assert ds.sample(0, 0, 3)["mouth_flow"].shape == (64, 64, 2)
    assert "mouth_flow" not in PreparedDataset(synth_root, tiny_cfg).sample(0, 0, 3)
    tr = Trainer(cfg, ds)
    tr.set_stage(2)
    batch = jaw_drop_batch(tr, 2)
    monkeypatch.setattr(tr.sampler, "batch", lambda size, forward_only: batch)
    first = tr.train_step()["flow_px2"]
    static_before = [p.detach().clone() for p in tr.model.static.parameters()]
    for _ in range(30):
        last = tr.train_step()["flow_px2"]
    assert last < 0.5 * first
    assert all(torch.equal(a, b) for a, b in zip(static_before, tr.model.static.parameters()))


def test_decoder_only_stage2_caches_the_frozen_static_outputs_without_changing_the_loss(synth_root, tiny_cfg, jaw_drop_batch):
    cfg = copy.deepcopy(tiny_cfg)
    cfg["loss"].update(photometric=False, lip_landmark_weight=1.0, lip_opening_weight=1.0, mouth_flow_weight=1.0)
    cfg["train"]["freeze_static"] = True
    ds = PreparedDataset(synth_root, cfg)
    frozen = Trainer(cfg, ds)
    frozen.set_stage(2)
    batch = jaw_drop_batch(frozen, 4)
    first = frozen.losses(batch)
    assert len(frozen._static_cache) == len(set(zip(batch["clip_index"].tolist(), batch["src_frame"].tolist())))
    again = frozen.losses(batch)
    assert float(again["total"]) == float(first["total"])
    live_cfg = copy.deepcopy(cfg)
    live_cfg["train"]["freeze_static"] = False
    live = Trainer(live_cfg, ds)  # same seed: same initial weights
    live.set_stage(2)
    assert math.isclose(float(live.losses(batch)["total"]), float(first["total"]), rel_tol=1e-5)
    frozen.set_stage(2)
    assert frozen._static_cache == {}


def test_flow_smoothing_averages_each_frames_landmarks_over_its_neighbours(tmp_path):
    """Clip.expression_flow(i, n, smooth): a chin that jitters +-2 px from frame to frame moves 4 px
    a step unsmoothed, and a third of that (reversed) once each frame is averaged with its two neighbours."""
    from splatportrait.data.dataset import Clip

    base = face(4)
    frames = np.stack([base.copy() for _ in range(6)])
    chin = base[:, 1] > 170
    for j in range(6):
        frames[j, chin, 1] += 2.0 if j % 2 else -2.0
    clip = Clip.__new__(Clip)  # a clip's landmark and flow parts alone, without a prepared folder
    clip.frames, clip.size, clip.resolution = 6, SIZE, RES
    clip._landmarks = frames
    raw = clip.expression_flow(2, 3)
    assert np.abs(raw[..., 1]).max() > 0.5  # 4 crop px = 1 model px
    smooth = clip.expression_flow(2, 3, smooth=3)
    # frames 1-3 average to base + 2/3 px on the chin, frames 2-4 to base - 2/3 px
    np.testing.assert_allclose(smooth, expression_flow(frames[1:4].mean(0), frames[2:5].mean(0), SIZE, RES), atol=1e-6)
    # The averages swap sides: a third of the step, reversed (the chin's pixels shift a little too).
    assert 0.28 < np.abs(smooth[..., 1]).max() / np.abs(raw[..., 1]).max() < 0.4
    assert float((smooth[..., 1] * raw[..., 1]).sum()) < 0
