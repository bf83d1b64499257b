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
