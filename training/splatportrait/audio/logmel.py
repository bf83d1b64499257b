"""Log-mel audio front-end "logmel-v1" (training side).

Twin of src/shared/audio/logmel.ts (the app side); both read resources/audio-frontend/logmel-v1.json,
which states every constant and every rule (padding, window placement, mel scale, log floor,
normalisation, feature window). The two are proved identical by the golden vectors in
test/golden/logmel/ (written by make_golden.py here and by test/golden/logmel/make-golden-ts.ts),
checked by test/python/audio/ and test/unit/audio/.

Shapes and units:
  wav       [N] float, mono, spec.input.sample_rate Hz, full scale [-1, 1] (16-bit PCM / 32768)
  features  [T, n_mels] float32, T = 0 if N == 0 else 1 + N // hop_length; frame k is centred at
            k * hop_length / sample_rate seconds (100 frames/s for logmel-v1)
  windows   [n_video_frames, W, n_mels] float32 (frames_for_video)

Everything is computed in float64 and cast to float32 once at the end. The FFT is numpy.fft.rfft;
slow_logmel below is the direct-DFT twin the fast path is tested against (STYLE.md habit 4).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

SPEC_NAME = "logmel-v1"


@dataclass(frozen=True)
class LogMelSpec:
    """The numbers of resources/audio-frontend/logmel-v1.json. Twin: LogMelSpec in
    src/shared/audio/spec.ts (same fields, camelCase there)."""

    name: str
    sample_rate: int
    n_fft: int
    win_length: int
    hop_length: int
    window_offset: int
    n_mels: int
    fmin: float
    fmax: float
    log_floor: float
    norm_mean: float
    norm_std: float

    @property
    def n_bins(self) -> int:
        return self.n_fft // 2 + 1

    @property
    def frames_per_second(self) -> float:
        return self.sample_rate / self.hop_length


def _field(obj: Mapping[str, Any], path: str) -> Any:
    cur: Any = obj
    for key in path.split("."):
        if not isinstance(cur, Mapping) or key not in cur:
            raise ValueError(f"audio front-end spec: missing field {path!r}")
        cur = cur[key]
    return cur


def _number(obj: Mapping[str, Any], path: str) -> float:
    v = _field(obj, path)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ValueError(f"audio front-end spec: {path} must be a finite number, got {v!r}")
    return float(v)


def _int(obj: Mapping[str, Any], path: str) -> int:
    v = _number(obj, path)
    if v != int(v) or v <= 0:
        raise ValueError(f"audio front-end spec: {path} must be a positive integer, got {v!r}")
    return int(v)


def parse_spec(obj: Mapping[str, Any]) -> LogMelSpec:
    """Validates a parsed spec object. Twin: parseLogMelSpec in src/shared/audio/spec.ts."""
    name = _field(obj, "name")
    if name != SPEC_NAME:
        raise ValueError(f"audio front-end spec: this module computes {SPEC_NAME!r}, got name {name!r}")
    checks = {
        "stft.window": "hann_periodic",
        "stft.center": True,
        "stft.pad_mode": "reflect",
        "stft.power": 2,
        "mel.scale": "slaney",
        "mel.norm": "slaney",
        "log.base": "e",
        "input.channels": 1,
        "input.dither": 0,
        "input.preemphasis": 0,
    }
    for path, want in checks.items():
        got = _field(obj, path)
        if got != want or isinstance(got, bool) != isinstance(want, bool):
            raise ValueError(f"audio front-end spec: {path} must be {want!r}, got {got!r}")
    spec = LogMelSpec(
        name=name,
        sample_rate=_int(obj, "input.sample_rate"),
        n_fft=_int(obj, "stft.n_fft"),
        win_length=_int(obj, "stft.win_length"),
        hop_length=_int(obj, "stft.hop_length"),
        window_offset=int(_number(obj, "stft.window_offset")),
        n_mels=_int(obj, "mel.n_mels"),
        fmin=_number(obj, "mel.fmin"),
        fmax=_number(obj, "mel.fmax"),
        log_floor=_number(obj, "log.floor"),
        norm_mean=_number(obj, "normalise.mean"),
        norm_std=_number(obj, "normalise.std"),
    )
    if spec.n_fft & (spec.n_fft - 1):
        raise ValueError(f"audio front-end spec: stft.n_fft must be a power of two, got {spec.n_fft}")
    if spec.win_length > spec.n_fft or spec.win_length % 2:
        raise ValueError(f"audio front-end spec: stft.win_length must be even and <= n_fft, got {spec.win_length}")
    if spec.window_offset != (spec.n_fft - spec.win_length) // 2:
        raise ValueError("audio front-end spec: stft.window_offset must be (n_fft - win_length) / 2")
    if not 0 <= spec.fmin < spec.fmax <= spec.sample_rate / 2:
        raise ValueError(f"audio front-end spec: need 0 <= fmin < fmax <= sample_rate / 2, got {spec.fmin}, {spec.fmax}")
    if _number(obj, "stft.frames_per_second") != spec.sample_rate / spec.hop_length:
        raise ValueError("audio front-end spec: stft.frames_per_second must be sample_rate / hop_length")
    if spec.log_floor <= 0 or spec.norm_std <= 0:
        raise ValueError("audio front-end spec: log.floor and normalise.std must be > 0")
    return spec


def load_spec(path: str) -> LogMelSpec:
    """Reads and validates a spec file such as resources/audio-frontend/logmel-v1.json."""
    with open(path, "r", encoding="utf-8") as f:
        return parse_spec(json.load(f))


# ---- constants derived from the spec ------------------------------------------------------------

def hann_periodic(length: int) -> np.ndarray:
    """[length] float64, w[n] = 0.5 - 0.5 cos(2 pi n / length). Twin: hannPeriodic in
    src/shared/audio/logmel.ts."""
    n = np.arange(length, dtype=np.float64)
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * n / length)


_F_SP = 200.0 / 3.0
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP  # 15
_LOGSTEP = math.log(6.4) / 27.0


def hz_to_mel(f: float) -> float:
    """Slaney mel scale (librosa htk=False). Twin: hzToMel in src/shared/audio/mel-filters.ts."""
    if f < _MIN_LOG_HZ:
        return f / _F_SP
    return _MIN_LOG_MEL + math.log(f / _MIN_LOG_HZ) / _LOGSTEP


def mel_to_hz(m: float) -> float:
    """Inverse of hz_to_mel. Twin: melToHz in src/shared/audio/mel-filters.ts."""
    if m < _MIN_LOG_MEL:
        return _F_SP * m
    return _MIN_LOG_HZ * math.exp(_LOGSTEP * (m - _MIN_LOG_MEL))


def mel_filterbank(spec: LogMelSpec) -> np.ndarray:
    """[n_mels, n_bins] float64 triangular filters with Slaney area normalisation (equal to
    librosa.filters.mel with the spec's numbers). Twin: melFilterbank in
    src/shared/audio/mel-filters.ts; test_filterbank checks the two agree to 1e-9."""
    lo, hi = hz_to_mel(spec.fmin), hz_to_mel(spec.fmax)
    # Edges: the same arithmetic as the TS twin, lo + (hi - lo) * i / (n_mels + 1).
    edges = np.array([mel_to_hz(lo + (hi - lo) * i / (spec.n_mels + 1)) for i in range(spec.n_mels + 2)])
    freqs = np.arange(spec.n_bins, dtype=np.float64) * spec.sample_rate / spec.n_fft
    fb = np.zeros((spec.n_mels, spec.n_bins), dtype=np.float64)
    for m in range(spec.n_mels):
        e0, e1, e2 = edges[m], edges[m + 1], edges[m + 2]
        lower = (freqs - e0) / (e1 - e0)
        upper = (e2 - freqs) / (e2 - e1)
        fb[m] = np.maximum(0.0, np.minimum(lower, upper)) * (2.0 / (e2 - e0))
    return fb


def frame_count(n_samples: int, spec: LogMelSpec) -> int:
    """T = 0 for empty input, else 1 + N // hop. Twin: frameCount in src/shared/audio/logmel.ts."""
    return 0 if n_samples == 0 else 1 + n_samples // spec.hop_length


def reflect_index(i: np.ndarray, n: int) -> np.ndarray:
    """Reflect (no edge repeat, period 2(n - 1)) indices into 0 .. n - 1; n = 1 maps to 0.
    Twin: reflectIndex in src/shared/audio/logmel.ts."""
    if n == 1:
        return np.zeros_like(i)
    p = 2 * (n - 1)
    i = np.mod(i, p)
    return np.where(i >= n, p - i, i)


def _check_wav(wav: np.ndarray) -> np.ndarray:
    a = np.asarray(wav)
    if a.ndim != 1:
        raise ValueError(f"logmel: wav must be mono [N], got shape {a.shape}")
    if not np.issubdtype(a.dtype, np.floating):
        raise ValueError(f"logmel: wav must be float (int16 PCM / 32768), got dtype {a.dtype}")
    x = a.astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        raise ValueError(f"logmel: wav has {bad.size} non-finite samples (first at index {int(bad[0])}: {x[bad[0]]})")
    return x


def _frame_buffers(x: np.ndarray, spec: LogMelSpec, start: int, stop: int) -> np.ndarray:
    """[stop - start, n_fft] float64 windowed FFT buffers of frames start .. stop - 1."""
    k = np.arange(start, stop, dtype=np.int64)[:, None]
    n = np.arange(spec.win_length, dtype=np.int64)[None, :]
    idx = reflect_index(k * spec.hop_length - spec.win_length // 2 + n, x.shape[0])
    buf = np.zeros((stop - start, spec.n_fft), dtype=np.float64)
    buf[:, spec.window_offset : spec.window_offset + spec.win_length] = x[idx] * hann_periodic(spec.win_length)
    return buf


def _finish(mel: np.ndarray, spec: LogMelSpec) -> np.ndarray:
    log = np.log(np.maximum(mel, spec.log_floor))
    return ((log - spec.norm_mean) / spec.norm_std).astype(np.float32)


def logmel(wav: np.ndarray, spec: LogMelSpec, chunk_frames: int = 4096) -> np.ndarray:
    """[N] float mono at spec.sample_rate -> [T, n_mels] float32 normalised log-mel.
    Twin: logMel in src/shared/audio/logmel.ts. Raises ValueError on non-finite samples."""
    x = _check_wav(wav)
    t = frame_count(x.shape[0], spec)
    out = np.empty((t, spec.n_mels), dtype=np.float32)
    fb_t = mel_filterbank(spec).T
    for s in range(0, t, chunk_frames):  # chunks bound memory on long clips
        e = min(t, s + chunk_frames)
        spectrum = np.fft.rfft(_frame_buffers(x, spec, s, e), axis=1)
        power = spectrum.real ** 2 + spectrum.imag ** 2
        out[s:e] = _finish(power @ fb_t, spec)
    return out


def slow_logmel(wav: np.ndarray, spec: LogMelSpec) -> np.ndarray:
    """The direct-DFT twin of logmel: explicit O(n_fft^2) DFT per frame with per-sample reflect,
    no numpy FFT. For tests only (short inputs). Twin: slowLogMel in
    test/unit/audio/slow-logmel.ts."""
    x = _check_wav(wav)
    n_samples = x.shape[0]
    t = frame_count(n_samples, spec)
    w = hann_periodic(spec.win_length)
    fb = mel_filterbank(spec)
    j = np.arange(spec.n_fft, dtype=np.float64)
    out = np.empty((t, spec.n_mels), dtype=np.float64)
    for k in range(t):
        buf = np.zeros(spec.n_fft)
        for n in range(spec.win_length):
            i = int(reflect_index(np.array([k * spec.hop_length - spec.win_length // 2 + n]), n_samples)[0])
            buf[spec.window_offset + n] = x[i] * w[n]
        power = np.empty(spec.n_bins)
        for b in range(spec.n_bins):
            ang = 2.0 * np.pi * b * j / spec.n_fft
            re, im = float(np.dot(buf, np.cos(ang))), -float(np.dot(buf, np.sin(ang)))
            power[b] = re * re + im * im
        out[k] = fb @ power
    return _finish(out, spec)


# ---- per-video-frame windows ---------------------------------------------------------------------

def video_frame_centre(j: int, fps: float, spec: LogMelSpec) -> int:
    """Mel frame nearest video frame j's time j / fps: floor(j * sr / (hop * fps) + 0.5), evaluated
    in float64 in this order so both languages round alike. Twin: videoFrameCentre in
    src/shared/audio/feature-window.ts."""
    return _centre(j, fps, spec.sample_rate, spec.hop_length)


def _centre(j: int, fps: float, sample_rate: int, hop_length: int) -> int:
    return math.floor(j * sample_rate / (hop_length * fps) + 0.5)


def frames_for_video(features: np.ndarray, n_video_frames: int, fps: float, window: int,
                     spec: LogMelSpec | None = None) -> np.ndarray:
    """[T, n_mels] features -> [n_video_frames, window, n_mels] float32: for video frame j, mel
    frames c - window // 2 .. c - window // 2 + window - 1 around c = video_frame_centre(j),
    indices clamped to 0 .. T - 1 (edge replication). spec defaults to logmel-v1's numbers (16 kHz,
    hop 160). Twin: framesForVideo in src/shared/audio/feature-window.ts."""
    f = np.asarray(features)
    if f.ndim != 2:
        raise ValueError(f"frames_for_video: features must be [T, n_mels], got shape {f.shape}")
    if f.shape[0] == 0:
        raise ValueError("frames_for_video: no audio features (T = 0) to window")
    if not (isinstance(window, int) and window > 0):
        raise ValueError(f"frames_for_video: window must be a positive integer, got {window!r}")
    if not (isinstance(n_video_frames, int) and n_video_frames >= 0):
        raise ValueError(f"frames_for_video: n_video_frames must be an integer >= 0, got {n_video_frames!r}")
    if not (math.isfinite(fps) and fps > 0):
        raise ValueError(f"frames_for_video: fps must be finite and > 0, got {fps!r}")
    sr, hop = (spec.sample_rate, spec.hop_length) if spec is not None else (16000, 160)
    centres = np.array([_centre(j, fps, sr, hop) for j in range(n_video_frames)], dtype=np.int64)
    idx = centres[:, None] - window // 2 + np.arange(window, dtype=np.int64)[None, :]
    idx = np.clip(idx, 0, f.shape[0] - 1)
    return f[idx].astype(np.float32)
