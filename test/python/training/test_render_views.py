"""training/render_views.py and training/lip_motion.py on the synthetic dataset with an untrained
tiny model (saved as a train.py-style checkpoint in a temp dir)."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import torch


def _checkpoint(tmp_path, cfg) -> str:
    from splatportrait.model import SplatPortrait

    torch.manual_seed(0)
    model = SplatPortrait(cfg)
    path = os.path.join(str(tmp_path), "stage2_latest.pt")
    torch.save({"config": cfg, "stage": 2, "step": 0, "model": model.state_dict()}, path)
    return path


def _finite_numbers(obj, path="") -> list[str]:
    """Paths of non-finite or missing (None) numbers in a JSON-like object."""
    bad = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            bad += _finite_numbers(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            bad += _finite_numbers(v, f"{path}[{i}]")
    elif obj is None:
        bad.append(path)
    elif isinstance(obj, float) and not math.isfinite(obj):
        bad.append(path)
    return bad


def test_render_views_png(synth_root, tiny_cfg, tmp_path, capsys):
    import render_views
    from splatportrait.data.png import read_png

    ckpt = _checkpoint(tmp_path, tiny_cfg)
    out = os.path.join(str(tmp_path), "views.png")
    assert render_views.main(["--checkpoint", ckpt, "--data", synth_root, "--clip", "synth00",
                              "--future-frame", "50", "--out", out]) == 0
    img = read_png(out)
    assert img.shape == (256, 6 * 256, 3)
    metrics = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert metrics["future_frame"] == 23  # clamped to the clip's last frame (24 frames)
    for k in ("psnr_source", "psnr_future", "psnr_future_static_only"):
        assert math.isfinite(metrics[k]) and metrics[k] > 0
    # Nearest-neighbour upscaling: each 4x4 block (64 px model) is one colour.
    assert (img[0:4, 256:260] == img[0, 256]).all()
    # The real source tile is the dataset frame itself.
    model = render_views.load_model(ckpt)
    ds, ci = render_views.open_clip(model, synth_root, "synth00")
    assert (img[::4, :256:4] == ds.clips[ci].images()[0]).all()


def test_render_views_core_tile(synth_root, tiny_cfg, tmp_path):
    import render_views

    model = render_views.load_model(_checkpoint(tmp_path, tiny_cfg))
    ds, ci = render_views.open_clip(model, synth_root, "synth01")
    row, m = render_views.render_views(model, ds, ci, source_frame=2, future_frame=10, tile=96)
    assert row.shape == (96, 6 * 96, 3) and row.dtype.name == "uint8"
    assert m["source_frame"] == 2 and m["future_frame"] == 10
    assert abs(m["time_delta_s"] - 8 / 25) < 1e-6


def test_lip_motion_json(synth_root, tiny_cfg, tmp_path, capsys):
    import lip_motion

    ckpt = _checkpoint(tmp_path, tiny_cfg)
    assert lip_motion.main(["--checkpoint", ckpt, "--data", synth_root, "--clip", "synth00", "--hangover", "0"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["frames"] == 24
    # The synthetic envelope starts at 0.1 s: without hangover those frames are silence.
    assert out["speech_frames"] > 0 and out["silence_frames"] > 0
    assert out["speech_frames"] == out["voiced_frames"] and out["speech_hangover_s"] == 0
    assert out["box_source"] == "default_fractions"  # synthetic clips carry no landmarks
    assert out["mouth_splats"] > 0 and out["rest_splats"] > 0
    for region in ("mouth", "rest", "mouth_motion", "rest_motion", "mouth_motion_px", "mouth_movement_px", "rest_movement_px"):
        for k in ("speech", "silence", "ratio_speech_silence", "corr_rms"):
            assert out[region][k] is not None and math.isfinite(out[region][k]), (region, k)
    assert not _finite_numbers({k: out[k] for k in ("mouth", "rest", "mouth_over_rest_speech")})


def test_lip_motion_landmark_boxes(tmp_path):
    """Mouth box from the lip landmarks (+20 %), scaled to the model resolution."""
    import numpy as np

    import lip_motion

    class FakeClip:
        size, frames, fps = 256, 1, 25.0
        dir = str(tmp_path)
        meta = {"landmarks": 478}

    lm = np.zeros((1, 478, 2), dtype="<f4")
    lm[0, :, 0] = np.linspace(60, 200, 478)
    lm[0, :, 1] = np.linspace(50, 210, 478)
    for j in lip_motion.LIPS:
        lm[0, j] = (128, 160)
    lm[0, 61], lm[0, 291], lm[0, 0], lm[0, 17] = (108, 160), (148, 160), (128, 150), (128, 170)
    lm.tofile(os.path.join(str(tmp_path), "landmarks.f32"))
    mouth, rest, info = lip_motion.region_masks(FakeClip(), 0, 64)
    assert info["box_source"] == "landmarks"
    assert info["mouth_box_px"] == [100.0, 146.0, 156.0, 174.0]
    m = mouth.reshape(64, 64)
    rows, cols = np.nonzero(m)
    # model pixel centres (k + 0.5) * 4 inside [100, 156] x [146, 174]
    assert cols.min() == 25 and cols.max() == 38 and rows.min() == 36 and rows.max() == 43  # 36.5 * 4 = 146: on the edge, inside
    assert not (mouth & rest).any() and rest.sum() > 0


def test_speech_mask_hangover():
    """Same case as the TS twin (test/unit/engine/lip-motion.test.ts): a 0.32 s pause joins
    speech, a 1 s pause keeps 15 silent frames."""
    import lip_motion
    voiced = set(range(10, 20)) | set(range(28, 40)) | set(range(65, 70))
    rms = np.array([1.0 if j in voiced else 0.01 for j in range(90)])
    v, speech = lip_motion.speech_mask(rms, 25)
    assert v.tolist() == [j in voiced for j in range(90)]
    assert speech.tolist() == [any(abs(k - j) <= 5 for k in voiced) for j in range(90)]
    assert int((~speech).sum()) == 5 + 15 + 15
    _, raw = lip_motion.speech_mask(rms, 25, hangover_s=0)
    assert raw.tolist() == v.tolist()
