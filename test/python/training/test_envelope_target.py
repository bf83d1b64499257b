"""The speech-envelope articulation target (loss.mouth_flow_target "envelope"): the openness of
each frame from its audio (data/mouth.speech_envelope), the jaw opened to it on the source frame's
landmarks (jaw_open_landmarks) and the flow between them (Clip.envelope_flow)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from splatportrait.data import PreparedDataset
from splatportrait.data.dataset import MIN_SPEECH_RMS, Clip
from splatportrait.data.mouth import NOSE_TIP, expression_flow, jaw_open_landmarks, speech_envelope

SIZE, RES = 256, 64


def slow_envelope(rms, floor, smooth):
    """Reference: frame by frame, the mean over the frames within smooth // 2 (indices clamped to
    the clip), over the 95th-percentile RMS, mapped from [floor, 1] to [0, 1]."""
    h, n, level = smooth // 2, len(rms), np.percentile(rms, 95)
    out = []
    for j in range(n):
        window = [rms[min(max(k, 0), n - 1)] for k in range(j - h, j + h + 1)]
        out.append(min(1.0, max(0.0, (sum(window) / len(window) / level - floor) / (1 - floor))))
    return np.array(out)


def test_the_envelope_is_zero_in_silence_full_in_loud_speech_and_matches_the_reference():
    rng = np.random.default_rng(0)
    rms = np.concatenate([np.full(20, 0.002), rng.uniform(0.05, 0.2, 60), np.full(20, 0.002)])
    env = speech_envelope(rms, floor=0.2, smooth=5)
    np.testing.assert_allclose(env, slow_envelope(rms, 0.2, 5), atol=1e-6)
    assert np.all(env[:15] == 0) and np.all(env[-15:] == 0)  # room tone: a closed mouth
    assert env[25:75].min() > 0.3 and env[25:75].max() > 0.8  # speech: open, by how loud
    assert not speech_envelope(np.zeros(10)).any()  # digital silence
    assert speech_envelope(np.zeros(0)).shape == (0,)


def mouth_face(gap: float = 4.0) -> np.ndarray:
    """478 landmarks of a face (crop px, y down): mouth corners 40 px apart at y 180, inner lips
    `gap` px apart about that line, and points above, beside and below the mouth."""
    rng = np.random.default_rng(1)
    lm = rng.uniform(60, 196, size=(478, 2))
    lm[NOSE_TIP] = (128, 140)
    lm[61], lm[291] = (108, 180), (148, 180)
    lm[13], lm[14] = (128, 180 - gap / 2), (128, 180 + gap / 2)
    lm[200], lm[201], lm[202], lm[203] = (128, 210), (158, 210), (190, 210), (128, 150)
    return lm


@pytest.mark.parametrize("openness", [0.0, 0.5, 1.0])
def test_the_jaw_drops_by_the_openness_below_the_mouth_line_only(openness):
    lm = mouth_face(gap=4.0)
    out = jaw_open_landmarks(lm, openness, max_opening=0.3)
    change = openness * 0.3 * 40  # of the 40 px mouth width, from wherever the jaw is
    assert out[14, 1] - out[13, 1] == pytest.approx(4.0 + change)  # the inner-lip gap grows by it
    assert out[200, 1] - lm[200, 1] == pytest.approx(change)  # the chin under the mouth: in full
    assert out[201, 1] - lm[201, 1] == pytest.approx(change * 0.5)  # 1.5 half-widths out: half
    assert out[202, 1] == lm[202, 1]  # beyond two half-widths: still
    above = lm[:, 1] < 180
    np.testing.assert_array_equal(out[above], lm[above])  # upper lip, nose, eyes
    np.testing.assert_array_equal(out[:, 0], lm[:, 0])  # nothing moves sideways


def test_the_flow_is_the_openness_times_one_field_of_the_face():
    lm = mouth_face(gap=8.0)
    full = expression_flow(lm, jaw_open_landmarks(lm, 1.0, 0.3), SIZE, RES)
    half = expression_flow(lm, jaw_open_landmarks(lm, 0.5, 0.3), SIZE, RES)
    shut = expression_flow(lm, jaw_open_landmarks(lm, 0.0, 0.3), SIZE, RES)
    u, v = (lm[200] * RES / SIZE).astype(int)
    assert full[v, u, 1] > 2.5  # 12 crop px = 3 model px down
    np.testing.assert_allclose(half, 0.5 * full, atol=1e-5)
    assert np.abs(shut).max() < 1e-6  # silence: the source face as it is
    assert np.abs(full[: int(140 * RES / SIZE)]).max() < 1e-6  # above the nose tip nothing moves


def write_wav(path, samples: np.ndarray, sr: int = 16000) -> None:
    import wave

    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def envelope_clip(tmp_path, amplitude: float) -> Clip:
    """A clip's audio and landmark parts alone: 50 frames, silent for the first 25, then a tone."""
    clip = Clip.__new__(Clip)
    clip.frames, clip.size, clip.resolution = 50, SIZE, RES
    clip._landmarks = np.stack([mouth_face(gap=6.0)] * 50)
    clip._envelope = None
    t = np.arange(32000) / 16000
    wav = np.where(t >= 1.0, amplitude * np.sin(2 * np.pi * 220 * t), 0.0)
    from splatportrait.data.dataset import frame_rms

    clip.rms = frame_rms(wav, 50)
    clip.speech_level = float(np.percentile(clip.rms, 95))
    return clip


def test_a_clip_drops_the_jaw_with_its_speech_and_an_inaudible_one_keeps_it_still(tmp_path):
    speech = envelope_clip(tmp_path, 0.3)
    u, v = (mouth_face()[200] * RES / SIZE).astype(int)
    assert speech.envelope_flow(0, 40, 0.3, 0.2)[v, u, 1] > 2.0
    assert np.abs(speech.envelope_flow(0, 10, 0.3, 0.2)).max() < 1e-6
    inaudible = envelope_clip(tmp_path, MIN_SPEECH_RMS / 10)  # room tone: nobody speaks
    assert np.abs(inaudible.envelope_flow(0, 40, 0.3, 0.2)).max() < 1e-6


def test_the_dataset_serves_the_target_it_is_asked_for(synth_root, tiny_cfg):
    cfg = copy.deepcopy(tiny_cfg)
    cfg["loss"]["mouth_flow_weight"] = 1.0
    cfg["loss"]["mouth_flow_target"] = "envelope"
    ds = PreparedDataset(synth_root, cfg)
    assert ds.sample(0, 0, 3)["mouth_flow"].shape == (RES, RES, 2)
    cfg["loss"]["mouth_flow_target"] = "visemes"
    with pytest.raises(ValueError, match="mouth_flow_target must be 'landmarks' or 'envelope'"):
        PreparedDataset(synth_root, cfg)
