"""Writes test/golden/logmel/logmel-v1.python.json: the Python side's golden vectors of logmel-v1.

    /usr/bin/python3 training/splatportrait/audio/make_golden.py    (from the repository root)

Twin: test/golden/logmel/make-golden-ts.ts writes logmel-v1.ts.json from the TypeScript side.
Each file holds, for a few 0.5 s test signals, the input as 16-bit PCM (little-endian, base64;
sample = int16 / 32768, so both languages read bit-identical float32 input), the features rounded
to 6 significant digits, the filterbank at full float64 precision (sparse rows), and the mel frame
centres of a few video frame rates. test/unit/audio/golden.test.ts checks the TypeScript front-end
against this file; test/python/audio/test_golden.py checks this module against the TS file, and
each side checks its own file is current.

The signal recipes (also in test/golden/logmel/signals.ts; the samples are stored, so the two
generators need not agree bit for bit):
  chirp       0.5 sin(2 pi (100 t + (4000 - 100) t^2 / (2 * 0.5))), linear 100 -> 4000 Hz
  tone        0.3 sin(2 pi 440 t) for t < 0.25 s, then digital silence
  noise       0.25 (2 u - 1), u from mulberry32(seed 1234) (uniform [0, 1))
  short       the first 300 samples of noise (shorter than one 400-sample window)
  one         a single sample, 0.5
quantised as int16 = clamp(floor(x * 32767 + 0.5), -32768, 32767).
"""

from __future__ import annotations

import base64
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
if __package__ in (None, ""):
    sys.path.insert(0, os.path.join(ROOT, "training"))
    from splatportrait.audio.logmel import LogMelSpec, frames_for_video, load_spec, logmel, mel_filterbank, video_frame_centre
else:
    from .logmel import LogMelSpec, frames_for_video, load_spec, logmel, mel_filterbank, video_frame_centre

SPEC_PATH = os.path.join(ROOT, "resources", "audio-frontend", "logmel-v1.json")
GOLDEN_DIR = os.path.join(ROOT, "test", "golden", "logmel")
PYTHON_GOLDEN = os.path.join(GOLDEN_DIR, "logmel-v1.python.json")
SR = 16000
SECONDS = 0.5
# Video rates whose mel frame centres the files record (29.97: the float64 rounding rule; 40: exact
# ties, 2.5 frames per video frame, which round up).
FPS = (25.0, 29.97, 30.0, 40.0)
VIDEO_FRAMES = 16
# One frames_for_video case: indices of the mel frames each video frame's window reads.
WINDOW_CASE = {"case": "tone", "fps": 29.97, "n_video_frames": 16, "window": 7}


def mulberry32(seed: int):
    """Twin: seededPrng in test/helpers/prng.ts (Tommy Ettinger's mulberry32, 32-bit integer maths)."""
    state = seed & 0xFFFFFFFF

    def imul(a: int, b: int) -> int:
        return (a * b) & 0xFFFFFFFF

    def nxt() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296.0

    return nxt


def quantise(x: np.ndarray) -> np.ndarray:
    return np.clip(np.floor(x * 32767.0 + 0.5), -32768, 32767).astype("<i2")


def signals() -> dict[str, np.ndarray]:
    """name -> int16 samples."""
    n = int(SR * SECONDS)
    t = np.arange(n, dtype=np.float64) / SR
    chirp = 0.5 * np.sin(2 * np.pi * (100.0 * t + (4000.0 - 100.0) * t * t / (2 * SECONDS)))
    tone = np.where(t < 0.25, 0.3 * np.sin(2 * np.pi * 440.0 * t), 0.0)
    rnd = mulberry32(1234)
    noise = np.array([0.25 * (2.0 * rnd() - 1.0) for _ in range(n)])
    return {
        "chirp": quantise(chirp),
        "tone": quantise(tone),
        "noise": quantise(noise),
        "short": quantise(noise[:300]),
        "one": quantise(np.array([0.5])),
    }


def pcm_to_float(pcm: np.ndarray) -> np.ndarray:
    return (pcm.astype(np.float64) / 32768.0).astype(np.float32)


def decode_pcm(b64: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), dtype="<i2")


def round6(v: float) -> float:
    return float(f"{v:.6g}")


def sparse_filterbank(spec: LogMelSpec) -> list[dict]:
    rows = []
    for row in mel_filterbank(spec):
        nz = np.flatnonzero(row)
        a, b = (int(nz[0]), int(nz[-1]) + 1) if nz.size else (0, 0)
        rows.append({"start": a, "weights": [float(w) for w in row[a:b]]})
    return rows


def window_indices(n_frames: int, fps: float, n_video_frames: int, window: int, spec: LogMelSpec) -> list[list[int]]:
    index_features = np.arange(n_frames, dtype=np.float32)[:, None]
    out = frames_for_video(index_features, n_video_frames, fps, window, spec)
    return [[int(v) for v in row[:, 0]] for row in out]


def build(spec: LogMelSpec) -> dict:
    cases = []
    for name, pcm in signals().items():
        feats = logmel(pcm_to_float(pcm), spec)
        cases.append({
            "name": name,
            "n_samples": int(pcm.shape[0]),
            "pcm16_base64": base64.b64encode(pcm.tobytes()).decode("ascii"),
            "frames": int(feats.shape[0]),
            "mel_bins": int(feats.shape[1]),
            "features": [[round6(float(v)) for v in row] for row in feats],
        })
    tone_frames = next(c["frames"] for c in cases if c["name"] == WINDOW_CASE["case"])
    return {
        "spec": spec.name,
        "producer": "python: training/splatportrait/audio/make_golden.py (numpy.fft.rfft, float64)",
        "features_rounding": "6 significant digits",
        "filterbank": sparse_filterbank(spec),
        "cases": cases,
        "video_centres": [{"fps": fps, "centres": [video_frame_centre(j, fps, spec) for j in range(VIDEO_FRAMES)]} for fps in FPS],
        "window_case": {
            **WINDOW_CASE,
            "indices": window_indices(tone_frames, WINDOW_CASE["fps"], WINDOW_CASE["n_video_frames"], WINDOW_CASE["window"], spec),
        },
    }


def main() -> None:
    spec = load_spec(SPEC_PATH)
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    with open(PYTHON_GOLDEN, "w", encoding="utf-8") as f:
        json.dump(build(spec), f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(PYTHON_GOLDEN, ROOT)}")


if __name__ == "__main__":
    main()
