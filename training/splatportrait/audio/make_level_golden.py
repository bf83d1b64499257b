"""Writes test/golden/level/speech-level.python.json: the Python side's figures of the speech-level
normalisation (audio/level.py) on the logmel-v1 golden signals (their 16-bit PCM, read from
test/golden/logmel/logmel-v1.python.json), checked by test/unit/audio/speech-level.test.ts.

    /usr/bin/python3 training/splatportrait/audio/make_level_golden.py    (from the repository root)
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

from splatportrait.audio.level import RULE, block_rms, level_gain, speech_level  # noqa: E402
from splatportrait.audio.make_golden import PYTHON_GOLDEN, decode_pcm, pcm_to_float  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
LEVEL_GOLDEN = os.path.join(ROOT, "test", "golden", "level", "speech-level.python.json")
# Each logmel case as stored, and scaled to exercise both ends of the rule: 1/1000 (under
# min_rms: left alone) and 1/100 (raised, but by at most max_gain).
SCALES = (1.0, 0.01, 0.001)


def build() -> dict:
    with open(PYTHON_GOLDEN, "r", encoding="utf-8") as f:
        logmel = json.load(f)
    cases = []
    for c in logmel["cases"]:
        for scale in SCALES:
            wav = pcm_to_float(decode_pcm(c["pcm16_base64"])) * np.float32(scale)
            gain = level_gain(wav)
            cases.append({"name": c["name"], "scale": scale, "block_rms": block_rms(wav, RULE["block_samples"]).tolist(),
                          "level": speech_level(wav), "gain": gain,
                          "normalised_sum": float((wav * np.float32(gain)).astype(np.float64).sum())})
    return {"rule": RULE, "pcm_from": os.path.relpath(PYTHON_GOLDEN, ROOT), "cases": cases}


def main() -> None:
    os.makedirs(os.path.dirname(LEVEL_GOLDEN), exist_ok=True)
    with open(LEVEL_GOLDEN, "w", encoding="utf-8") as f:
        json.dump(build(), f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(LEVEL_GOLDEN, ROOT)}")


if __name__ == "__main__":
    main()
