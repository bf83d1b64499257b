"""Audio conditioning per video frame: the log-mel front-end (audio/logmel.py, spec
resources/audio-frontend/logmel-v1.json, owned by the audio engineer) windowed per video frame,
then stacked over K neighbouring video frames for AudioAttNet (paper 3.2).

For video frame j the dynamic decoder gets audio [K, W, n_mels]: the W-frame windows
(audio.logmel.frames_for_video) of video frames j - K//2 .. j - K//2 + K - 1, frame indices
clamped to 0 .. n_video_frames - 1 (edge replication, as the window rule does for mel frames).
Twin rule on the app side: model.json "feature_window" states it for src/shared/audio."""

from __future__ import annotations

import os

import numpy as np

from .audio import logmel as lm

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC_PATH = os.path.join(ROOT, "resources", "audio-frontend", "logmel-v1.json")

_spec = None


def spec() -> "lm.LogMelSpec":
    global _spec
    if _spec is None:
        _spec = lm.load_spec(SPEC_PATH)
    return _spec


def spec_json() -> dict:
    import json

    with open(SPEC_PATH, "r", encoding="utf-8") as f:
        return json.load(f)


def clip_features(wav: np.ndarray) -> np.ndarray:
    """[N] float32 16 kHz mono -> [T, n_mels] normalised log-mel."""
    if wav.shape[0] == 0:
        wav = np.zeros(1, dtype=np.float32)
    return lm.logmel(wav.astype(np.float32), spec())


def video_windows(features: np.ndarray, n_video_frames: int, fps: float, window: int) -> np.ndarray:
    """[n_video_frames, W, n_mels] (frames_for_video of the front-end)."""
    return lm.frames_for_video(features, n_video_frames, fps, window, spec())


def attention_stack(windows: np.ndarray, frames: np.ndarray | list[int], k: int) -> np.ndarray:
    """windows [n_video, W, M]; frames: target video frame indices -> [len(frames), K, W, M]."""
    n = windows.shape[0]
    frames = np.asarray(frames, dtype=np.int64)
    idx = frames[:, None] - k // 2 + np.arange(k, dtype=np.int64)[None, :]
    return windows[np.clip(idx, 0, n - 1)]


def shift_gain(features, gain_db):
    """Normalised log-mel features [B, ...] (torch) as if each sample's audio had been scaled by
    gain_db[b] decibels: power x 10^(g/10) is a shift of ln(10) g / 10 / norm_std. Values at the
    log floor (digital silence) stay there, and nothing goes under it. Exact wherever the mel
    energy of both levels is above the floor, so a training-time level augmentation needs no
    re-analysis of the audio (train.audio_gain_db)."""
    import torch

    s = spec()
    floor = (np.log(s.log_floor) - s.norm_mean) / s.norm_std
    shift = (torch.as_tensor(gain_db, dtype=features.dtype) * (np.log(10.0) / 10.0 / s.norm_std))
    shift = shift.reshape((-1,) + (1,) * (features.dim() - 1))
    at_floor = features <= floor + 1e-6
    return torch.where(at_floor, torch.full_like(features, floor), (features + shift).clamp_min(floor))


def mask_bands(features, max_mels: int, max_frames: int, gen):
    """SpecAugment-style masking of normalised log-mel windows [B, K, W, n_mels] (torch): per
    sample, one band of up to max_mels mel bins and one run of up to max_frames mel frames (the same
    in all K neighbouring windows) are set to 0, the normalised mean. A regulariser for stage II
    (train.audio_mask_mels, train.audio_mask_frames): no single band or instant can carry the motion."""
    import torch

    b, _, w, m = features.shape
    out = features.clone()
    for i in range(b):
        for size, limit, axis in ((max_mels, m, 2), (max_frames, w, 1)):  # axes of one sample [K, W, n_mels]
            if size <= 0:
                continue
            width = int(torch.randint(0, min(size, limit) + 1, (1,), generator=gen))
            start = int(torch.randint(0, limit - width + 1, (1,), generator=gen))
            out[i].narrow(axis, start, width).zero_()
    return out


def read_wav(path: str) -> np.ndarray:
    """16-bit PCM mono WAV -> float32 [-1, 1] (16-bit / 32768, as the spec says)."""
    import wave

    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: want 16-bit PCM, got {8 * w.getsampwidth()}-bit")
        ch = w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
        rate = w.getframerate()
    if ch > 1:
        data = data.reshape(-1, ch).mean(axis=1)
    if rate != spec().sample_rate:
        raise ValueError(f"{path}: want {spec().sample_rate} Hz, got {rate} (DATASET.md: audio.wav is 16 kHz mono)")
    return data


def write_wav(path: str, wav: np.ndarray, rate: int = 16000) -> None:
    import wave

    pcm = np.clip(np.round(wav * 32768.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
