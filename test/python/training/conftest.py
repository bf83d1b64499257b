"""Fixtures of the training tests: training/ on sys.path and one small synthetic dataset
(training/splatportrait/data/synthetic.py: two talking clips and a silent one, 24 frames, 64 px)."""

from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TRAINING = os.path.join(ROOT, "training")
if TRAINING not in sys.path:
    sys.path.insert(0, TRAINING)


@pytest.fixture(scope="session")
def synth_root(tmp_path_factory):
    from splatportrait.data.synthetic import make_dataset

    return make_dataset(str(tmp_path_factory.mktemp("synth")), clips=2, frames=24, size=64)


@pytest.fixture()
def tiny_cfg():
    import splatportrait as sp

    # render_threads 1: the CPU backward's accumulation order is then fixed, so runs repeat exactly.
    return sp.load_config("tiny", {"train.render_threads": 1, "train.log_every": 0, "train.ckpt_every": 0})


@pytest.fixture()
def stage2_step_audio(synth_root, monkeypatch):
    """A function: cfg -> (audio of a fixed 4-sample batch, audio that batch's losses received) in
    one stage II train_step, the losses replaced by a zero loss: what the step's augmentations did."""
    import torch

    from splatportrait.data import PreparedDataset
    from splatportrait.trainer import Trainer

    def run(cfg: dict):
        tr = Trainer(cfg, PreparedDataset(synth_root, cfg))
        tr.set_stage(2)
        batch = tr.sampler.batch(4, forward_only=True)
        original = batch["audio"].clone()
        seen = []

        def record_audio(b: dict) -> dict:
            seen.append(b["audio"])
            return {"total": torch.zeros((), requires_grad=True)}

        monkeypatch.setattr(tr.sampler, "batch", lambda size, forward_only: dict(batch))
        monkeypatch.setattr(tr, "losses", record_audio)
        tr.train_step()
        return original, seen[0]

    return run


@pytest.fixture()
def jaw_drop_batch():
    """A function: (trainer, size) -> a stage II batch of that trainer whose expression flow drops a
    band of the lower face by 1 model pixel, lips marked valid (the synthetic clips have no landmarks)."""

    def draw(trainer, size: int) -> dict:
        batch = trainer.sampler.batch(size, forward_only=True)
        batch["mouth_flow"][:, 40:50, 20:44, 1] = 1.0
        batch["lips_valid"][:] = 1.0
        return batch

    return draw
