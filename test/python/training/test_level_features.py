"""A training clip's features with audio.level_normalise: the same speech at any recording level
gives the same features (audio/level.py applied in data/dataset.Clip)."""

from __future__ import annotations

import os
import shutil
import wave

import numpy as np


def speech(amplitude: float, seconds: float = 4.0, sr: int = 16000) -> np.ndarray:
    """Syllables: a 200 Hz tone switched on for 150 ms of every 300 ms, over `seconds`."""
    t = np.arange(int(seconds * sr)) / sr
    return (amplitude * np.sin(2 * np.pi * 200 * t) * ((t % 0.3) < 0.15)).astype(np.float32)


def write_wav(path, samples: np.ndarray, sr: int = 16000) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes((np.clip(samples, -1, 1) * 32767).round().astype("<i2").tobytes())


def test_a_clip_recorded_20_db_quieter_gives_the_same_features_once_normalised(synth_root, tmp_path):
    from splatportrait.data.dataset import Clip

    loud_root, quiet_root = tmp_path / "loud", tmp_path / "quiet"
    for root, scale in ((loud_root, 0.5), (quiet_root, 0.05)):
        shutil.copytree(os.path.join(synth_root, "synth00"), root / "synth00")
        clip_frames = Clip(synth_root, "synth00", 64, 25.0, 16).frames
        write_wav(root / "synth00" / "audio.wav", speech(scale, seconds=clip_frames / 25.0))
    raw = [Clip(str(r), "synth00", 64, 25.0, 16).windows for r in (loud_root, quiet_root)]
    norm = [Clip(str(r), "synth00", 64, 25.0, 16, level_normalise=True).windows for r in (loud_root, quiet_root)]
    speech_cells = norm[0] > 0.0  # the bins the tone fills: far above 16-bit rounding noise
    assert np.abs(raw[0] - raw[1])[speech_cells].mean() > 0.5  # 20 dB apart before: ln(100) / norm_std
    np.testing.assert_allclose(norm[0][speech_cells], norm[1][speech_cells], atol=1e-2)  # 100 times closer
