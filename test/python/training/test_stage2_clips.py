"""Which clips stage II learns lip motion from (PairSampler.stage2_clips): only those whose track
carries audible speech (dataset.MIN_SPEECH_RMS)."""

from __future__ import annotations

import os
import shutil

import numpy as np


def test_a_talking_clip_with_an_inaudible_track_is_left_out_of_stage2(synth_root, tiny_cfg, tmp_path):
    from splatportrait import features as feats
    from splatportrait.data.dataset import MIN_SPEECH_RMS, PairSampler, PreparedDataset

    root = str(tmp_path / "data")
    shutil.copytree(synth_root, root)
    wav_path = os.path.join(root, "synth01", "audio.wav")
    wav = feats.read_wav(wav_path)
    feats.write_wav(wav_path, wav * 10 ** (-45 / 20))  # the same speech 45 dB down, about -63 dBFS

    ds = PreparedDataset(root, tiny_cfg)
    by_id = {c.id: c for c in ds.clips}
    assert by_id["synth00"].speech_level > 5 * MIN_SPEECH_RMS and by_id["synth00"].audible()
    assert 0 < by_id["synth01"].speech_level < MIN_SPEECH_RMS / 10 and not by_id["synth01"].audible()
    assert not by_id["silent00"].audible()  # its track is empty too

    stage2 = {ds.clips[i].id for i in PairSampler(ds, max_gap=4, seed=0).stage2_clips}
    assert stage2 == {"synth00"}
    # Asked for, every clip takes part.
    assert len(PairSampler(ds, max_gap=4, seed=0, stage2_silent_clips=True).stage2_clips) == 3


def test_speech_level_is_the_95th_percentile_of_the_frame_rms():
    from splatportrait.data.dataset import frame_rms

    wav = np.zeros(16000, dtype=np.float32)
    wav[8000:] = 0.5  # frames 13-24 of 25 (640 samples a frame) at RMS 0.5
    rms = frame_rms(wav, 25)
    assert rms[:12].max() == 0 and np.allclose(rms[13:], 0.5)
    assert float(np.percentile(rms, 95)) == 0.5
