"""Speech-level normalisation before the log-mel front-end (audio.level_normalise; model.json
audio_frontend.level_normalise states the rule for the app, src/shared/audio/speech-level.ts).

The clip's speech level is the 95th percentile of the RMS of its 40 ms blocks (the level of its
loud syllables, what Clip.speech_level measures for a training clip); the clip is scaled so that
level lands on target_rms. Recordings differ by 20 dB and more (the training clips span -30 to
-7 dBFS), and a decoder that reads loudness would otherwise learn each clip's level with its
face. A clip under min_rms (digital silence, room tone) is left alone, and no gain exceeds
max_gain, so noise is never raised to the level of speech."""

from __future__ import annotations

import numpy as np

RULE = {"block_samples": 640, "percentile": 95.0, "target_rms": 0.1, "min_rms": 0.001, "max_gain": 100.0}


def block_rms(wav: np.ndarray, block: int) -> np.ndarray:
    """RMS of consecutive `block`-sample blocks, the last one partial when the length is not a
    multiple of the block; float64."""
    x = np.asarray(wav, dtype=np.float64)
    n = len(x)
    if n == 0:
        return np.zeros(0)
    starts = np.arange(0, n, block)
    sums = np.add.reduceat(x * x, starts)
    counts = np.minimum(starts + block, n) - starts
    return np.sqrt(sums / counts)


def speech_level(wav: np.ndarray, rule: dict = RULE) -> float:
    """The rule's percentile (linear interpolation between order statistics, numpy's default) of
    the block RMS; 0 for no samples."""
    rms = block_rms(wav, int(rule["block_samples"]))
    return float(np.percentile(rms, rule["percentile"])) if rms.size else 0.0


def level_gain(wav: np.ndarray, rule: dict = RULE) -> float:
    """The factor that brings the clip's speech level to target_rms (1 under min_rms, at most
    max_gain)."""
    level = speech_level(wav, rule)
    if level < rule["min_rms"]:
        return 1.0
    return float(min(rule["max_gain"], rule["target_rms"] / level))
