"""Import path for the audio front-end (training/splatportrait/audio) and its spec."""

from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TRAINING = os.path.join(ROOT, "training")
if TRAINING not in sys.path:
    sys.path.insert(0, TRAINING)

from splatportrait.audio import logmel as lm  # noqa: E402


@pytest.fixture(scope="session")
def spec() -> "lm.LogMelSpec":
    return lm.load_spec(os.path.join(ROOT, "resources", "audio-frontend", "logmel-v1.json"))
