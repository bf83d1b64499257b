"""Training-time level augmentation of the audio features (features.shift_gain,
train.audio_gain_db) and the expression-flow term alongside the photometric loss in stage II."""

from __future__ import annotations

import copy
import math

import numpy as np
import torch

from splatportrait import features as feats
from splatportrait.data import PreparedDataset
from splatportrait.trainer import Trainer


def test_shifted_features_equal_the_features_of_the_scaled_audio():
    rng = np.random.default_rng(3)
    t = np.arange(16000) / 16000.0
    speech = (0.2 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t)) + 0.01 * rng.standard_normal(16000))
    wav = np.concatenate([np.zeros(3200), speech]).astype(np.float32)  # digital silence, then sound
    base = feats.clip_features(wav)
    floor = (np.log(feats.spec().log_floor) - feats.spec().norm_mean) / feats.spec().norm_std
    assert np.isclose(base[:10].max(), floor, atol=1e-6)  # the silence sits at the floor
    for gain_db in (-12.0, 6.0):
        want = feats.clip_features((wav * 10 ** (gain_db / 20)).astype(np.float32))
        got = feats.shift_gain(torch.from_numpy(base)[None], torch.tensor([gain_db]))[0].numpy()
        assert np.allclose(got, want, atol=2e-5), np.abs(got - want).max()
    assert float(feats.shift_gain(torch.from_numpy(base)[None], torch.tensor([-40.0])).min()) >= floor - 1e-6


def test_each_sample_of_a_batch_gets_its_own_gain():
    x = torch.zeros(3, 2, 4, 5)
    got = feats.shift_gain(x, torch.tensor([0.0, 10.0, -10.0]))
    step = math.log(10.0) / feats.spec().norm_std
    assert torch.allclose(got[0], x[0])
    assert torch.allclose(got[1], torch.full_like(x[1], step))
    assert torch.allclose(got[2], torch.full_like(x[2], -step))


def test_stage2_draws_a_gain_per_sample_only_when_asked(tiny_cfg, stage2_step_audio):
    cfg = copy.deepcopy(tiny_cfg)
    for gain in (0.0, 12.0):
        cfg["train"]["audio_gain_db"] = gain
        original, seen = stage2_step_audio(cfg)
        shift = (seen - original).flatten(1)
        above = (original > original.min() + 1e-3).flatten(1)
        per_sample = torch.stack([shift[i][above[i]].mean() for i in range(4)])
        if gain == 0.0:
            assert torch.equal(seen, original)
        else:
            limit = 12.0 * math.log(10.0) / 10.0 / feats.spec().norm_std
            assert per_sample.abs().max() <= limit + 1e-5 and per_sample.std() > 0.01


def test_photometric_stage2_adds_the_weighted_flow_term_to_its_total(synth_root, tiny_cfg, jaw_drop_batch):
    cfg = copy.deepcopy(tiny_cfg)
    cfg["loss"].update(photometric=True, mouth_flow_weight=1.0)
    ds = PreparedDataset(synth_root, cfg)
    tr = Trainer(cfg, ds)
    tr.set_stage(2)
    batch = jaw_drop_batch(tr, 2)
    state = tr.gen.get_state()
    with_flow = tr.losses(batch)
    tr.gen.set_state(state)  # the same random background colours
    tr.cfg["loss"]["mouth_flow_weight"] = 0.0
    without = tr.losses(batch)
    assert with_flow["flow_px2"] > 0 and "flow_px2" not in without
    assert math.isclose(float(with_flow["total"]) - float(without["total"]), with_flow["flow_px2"], rel_tol=1e-4)
