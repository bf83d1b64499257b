"""Cross-language proof for logmel-v1, Python side: this module against the TypeScript golden file
(test/golden/logmel/logmel-v1.ts.json, by test/golden/logmel/make-golden-ts.ts), and the Python
golden file against the current Python code (never stale; its other reader is
test/unit/audio/golden.test.ts). Twin of that TS test; same tolerances, same reasons:

features   |py - golden| <= 5e-6 |golden| + 1e-6: 6-significant-digit rounding in the file (<= 5e-6
           relative), plus the float32 output cast (1.2e-7 at |x| = 2) and pocketfft vs RealFft
           float64 differences (~1e-15 in the log domain).
filterbank 1e-9 absolute (weights < 0.04; measured 7e-17, ulps of math.log vs Math.log).
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from splatportrait.audio import logmel as lm
from splatportrait.audio import make_golden as mg

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

GOLDEN_DIR = os.path.join(ROOT, "test", "golden", "logmel")


def read(name: str) -> dict:
    with open(os.path.join(GOLDEN_DIR, name), encoding="utf-8") as f:
        return json.load(f)


TS = read("logmel-v1.ts.json")


def test_ts_file_covers_the_stated_cases():
    assert TS["spec"] == "logmel-v1"
    assert [(c["name"], c["n_samples"], c["frames"]) for c in TS["cases"]] == [
        ("chirp", 8000, 51), ("tone", 8000, 51), ("noise", 8000, 51), ("short", 300, 2), ("one", 1, 1)]


@pytest.mark.parametrize("case", TS["cases"], ids=[c["name"] for c in TS["cases"]])
def test_python_matches_typescript(spec, case):
    pcm = mg.decode_pcm(case["pcm16_base64"])
    assert pcm.shape == (case["n_samples"],)
    f = lm.logmel(mg.pcm_to_float(pcm), spec)
    expected = np.array(case["features"], dtype=np.float64).reshape(case["frames"], case["mel_bins"])
    assert f.shape == expected.shape
    excess = np.abs(f.astype(np.float64) - expected) - (5e-6 * np.abs(expected) + 1e-6)
    assert excess.size == 0 or excess.max() <= 0


def test_filterbank_matches_typescript(spec):
    fb = lm.mel_filterbank(spec)
    ts = np.zeros_like(fb)
    for m, row in enumerate(TS["filterbank"]):
        ts[m, row["start"]:row["start"] + len(row["weights"])] = row["weights"]
    assert len(TS["filterbank"]) == 80
    assert np.max(np.abs(fb - ts)) < 1e-9


def test_video_windows_match_typescript(spec):
    for entry in TS["video_centres"]:
        assert [lm.video_frame_centre(j, entry["fps"], spec) for j in range(len(entry["centres"]))] == entry["centres"], entry["fps"]
    wc = TS["window_case"]
    frames = next(c["frames"] for c in TS["cases"] if c["name"] == wc["case"])
    assert mg.window_indices(frames, wc["fps"], wc["n_video_frames"], wc["window"], spec) == wc["indices"]


def test_python_golden_file_is_current(spec):
    """Regenerate with `python3 training/splatportrait/audio/make_golden.py` if this fails."""
    assert json.loads(json.dumps(mg.build(spec))) == read("logmel-v1.python.json")
