"""Speech-level normalisation before the front-end (audio/level.py, audio.level_normalise)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from splatportrait.audio.level import RULE, block_rms, level_gain, speech_level


def slow_block_rms(wav, block):
    """Reference: block by block, the last one partial."""
    out = []
    for start in range(0, len(wav), block):
        part = [float(x) for x in wav[start:start + block]]
        out.append(math.sqrt(sum(x * x for x in part) / len(part)))
    return out


def test_block_rms_matches_the_reference_with_a_partial_last_block():
    wav = np.random.default_rng(0).normal(0, 0.1, 640 * 3 + 17).astype(np.float32)
    np.testing.assert_allclose(block_rms(wav, 640), slow_block_rms(wav, 640), rtol=1e-12)
    assert block_rms(np.zeros(0), 640).shape == (0,)


def speech(amplitude: float, seconds: float = 4.0, sr: int = 16000) -> np.ndarray:
    """Syllables: a 200 Hz tone switched on for 150 ms of every 300 ms, over `seconds`."""
    t = np.arange(int(seconds * sr)) / sr
    return (amplitude * np.sin(2 * np.pi * 200 * t) * ((t % 0.3) < 0.15)).astype(np.float32)


@pytest.mark.parametrize("amplitude", [0.01, 0.05, 0.5])
def test_every_level_of_the_same_speech_is_brought_to_the_target(amplitude):
    wav = speech(amplitude)
    assert speech_level(wav) == pytest.approx(amplitude / math.sqrt(2), rel=1e-3)  # the syllables' RMS
    assert speech_level(wav * level_gain(wav)) == pytest.approx(RULE["target_rms"], rel=1e-6)  # float32 samples


def test_silence_and_room_tone_are_left_alone_and_no_gain_passes_the_cap():
    assert level_gain(np.zeros(16000, dtype=np.float32)) == 1.0
    assert level_gain(np.zeros(0, dtype=np.float32)) == 1.0
    hum = speech(0.001)  # syllable RMS 7e-4, under min_rms
    assert level_gain(hum) == 1.0
    faint = speech(0.0015)  # RMS 1.06e-3: speech, but 39.5 dB under the target
    assert level_gain(faint) == pytest.approx(RULE["target_rms"] / speech_level(faint))
    whisper = speech(0.0015) * 0.75  # 8e-4 RMS < min_rms: left alone, not raised 42 dB
    assert level_gain(whisper) == 1.0
    assert level_gain(speech(0.0016)) <= RULE["max_gain"]


def test_the_golden_file_for_the_app_is_current():
    """test/golden/level/speech-level.python.json, which test/unit/audio/speech-level.test.ts
    checks the TypeScript twin against, is what this code computes now."""
    import json

    from splatportrait.audio import make_level_golden

    with open(make_level_golden.LEVEL_GOLDEN, encoding="utf-8") as f:
        stored = json.load(f)
    assert stored == json.loads(json.dumps(make_level_golden.build()))
    assert {c["gain"] == 1.0 for c in stored["cases"]} == {True, False}  # both branches are covered
