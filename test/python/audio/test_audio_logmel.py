"""The logmel-v1 front-end, training side (training/splatportrait/audio/logmel.py): against its
direct-DFT twin, its edge cases and the spec parser. Mirrors test/unit/audio/logmel.test.ts and
feature-window.test.ts."""

from __future__ import annotations

import copy
import json
import math
import os

import numpy as np
import pytest

from splatportrait.audio import logmel as lm

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

SPEC_JSON = os.path.join(ROOT, "resources", "audio-frontend", "logmel-v1.json")


def noise(n: int, seed: int, amp: float = 0.3) -> np.ndarray:
    return (amp * (2 * np.random.default_rng(seed).random(n) - 1)).astype(np.float32)


def test_spec_constants(spec):
    assert (spec.name, spec.sample_rate, spec.n_fft, spec.win_length, spec.hop_length, spec.window_offset) == (
        "logmel-v1", 16000, 512, 400, 160, 56)
    assert (spec.n_mels, spec.fmin, spec.fmax, spec.log_floor, spec.norm_mean, spec.norm_std) == (80, 55, 7600, 1e-10, -10, 8)
    assert spec.n_bins == 257 and spec.frames_per_second == 100


@pytest.mark.parametrize("edit, message", [
    (lambda j: j.__setitem__("name", "wav2vec2"), "computes 'logmel-v1'"),
    (lambda j: j["mel"].__setitem__("scale", "htk"), "mel.scale must be 'slaney'"),
    (lambda j: j["stft"].pop("hop_length"), "missing field 'stft.hop_length'"),
    (lambda j: j["stft"].__setitem__("n_fft", 500), "power of two"),
    (lambda j: j["mel"].__setitem__("fmax", 9000), "fmax <= sample_rate"),
    (lambda j: j["stft"].__setitem__("center", 1), "stft.center must be True"),
])
def test_spec_refusals(edit, message):
    with open(SPEC_JSON, encoding="utf-8") as f:
        j = json.load(f)
    j = copy.deepcopy(j)
    edit(j)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        lm.parse_spec(j)


@pytest.mark.parametrize("name", ["noise", "tone", "short", "one"])
def test_matches_direct_dft(spec, name):
    """Fast (numpy rfft, vectorised reflect) vs slow (direct DFT, per-sample reflect): both float64,
    both cast to float32 at the end; allowed 2.5e-7 = the float32 cast (2^-24 relative, |x| < 4);
    measured: equal after the cast."""
    x = {
        "noise": noise(1000, 3),
        "tone": (0.2 * np.sin(2 * np.pi * 1000 * np.arange(1200) / 16000)).astype(np.float32),
        "short": noise(250, 4),
        "one": np.array([0.25], dtype=np.float32),
    }[name]
    fast, slow = lm.logmel(x, spec), lm.slow_logmel(x, spec)
    assert fast.shape == slow.shape == (lm.frame_count(x.shape[0], spec), 80)
    assert fast.dtype == np.float32
    assert np.max(np.abs(fast.astype(np.float64) - slow)) < 2.5e-7


def test_chunking_is_invisible(spec):
    x = noise(16000, 5)
    np.testing.assert_array_equal(lm.logmel(x, spec, chunk_frames=7), lm.logmel(x, spec))


@pytest.mark.parametrize("n, t", [(0, 0), (1, 1), (159, 1), (160, 2), (399, 3), (16000, 101), (16159, 101)])
def test_frame_count(spec, n, t):
    assert lm.frame_count(n, spec) == t
    assert lm.logmel(noise(n, n), spec).shape == (t, 80)


@pytest.mark.parametrize("n", [1, 2, 3, 100, 399])
def test_shorter_than_a_window(spec, n):
    assert np.all(np.isfinite(lm.logmel(noise(n, 10 + n), spec)))


def test_rejects_non_finite_and_bad_shapes(spec):
    x = noise(500, 1)
    x[123] = np.nan
    x[400] = np.inf
    with pytest.raises(ValueError, match=r"2 non-finite samples \(first at index 123: nan\)"):
        lm.logmel(x, spec)
    with pytest.raises(ValueError, match="mono"):
        lm.logmel(np.zeros((2, 100), np.float32), spec)
    with pytest.raises(ValueError, match="float"):
        lm.logmel(np.zeros(100, np.int16), spec)


def test_silence_is_the_floor(spec):
    f = lm.logmel(np.zeros(1600, np.float32), spec)
    assert np.allclose(f, (math.log(1e-10) + 10) / 8, atol=1e-6)


def test_click_is_centred(spec):
    x = np.zeros(3200, np.float32)
    x[1600] = 1
    assert int(np.argmax(lm.logmel(x, spec).sum(axis=1))) == 10


def test_reflect_index_matches_numpy_pad():
    x = np.arange(7)
    pad = 5
    idx = lm.reflect_index(np.arange(-pad, 7 + pad), 7)
    np.testing.assert_array_equal(x[idx], np.pad(x, pad, mode="reflect"))
    np.testing.assert_array_equal(lm.reflect_index(np.array([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7]), 4), [3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1])
    np.testing.assert_array_equal(lm.reflect_index(np.array([-5, 0, 5]), 1), [0, 0, 0])


def test_filterbank(spec):
    fb = lm.mel_filterbank(spec)
    assert fb.shape == (80, 257)
    assert np.all((fb > 0).sum(axis=1) >= 2)
    assert fb[79].sum() * 31.25 == pytest.approx(1, abs=0.05)
    assert lm.mel_to_hz(lm.hz_to_mel(440.0)) == pytest.approx(440, abs=1e-9)
    assert lm.mel_to_hz(lm.hz_to_mel(5000.0)) == pytest.approx(5000, abs=1e-9)


def test_video_frame_centre(spec):
    assert [lm.video_frame_centre(j, 25, spec) for j in range(5)] == [0, 4, 8, 12, 16]
    assert [lm.video_frame_centre(j, 30, spec) for j in range(5)] == [0, 3, 7, 10, 13]
    assert [lm.video_frame_centre(j, 40, spec) for j in range(4)] == [0, 3, 5, 8]


def test_frames_for_video(spec):
    t, m = 20, 3
    f = (1000 * np.arange(t)[:, None] + np.arange(m)[None, :]).astype(np.float32)
    out = lm.frames_for_video(f, 6, 25, 4)
    assert out.shape == (6, 4, 3) and out.dtype == np.float32
    assert list(out[0, :, 0] // 1000) == [0, 0, 0, 1]
    assert list(out[2, :, 0] // 1000) == [6, 7, 8, 9]
    assert list(out[5, :, 0] // 1000) == [18, 19, 19, 19]
    assert out[2, 1, 2] == 7002
    assert lm.frames_for_video(f, 0, 25, 5).shape == (0, 5, 3)
    with pytest.raises(ValueError, match="T = 0"):
        lm.frames_for_video(np.zeros((0, 80), np.float32), 1, 25, 5)
    with pytest.raises(ValueError, match="window"):
        lm.frames_for_video(f, 1, 25, 0)
    with pytest.raises(ValueError, match="fps"):
        lm.frames_for_video(f, 1, float("nan"), 5)
