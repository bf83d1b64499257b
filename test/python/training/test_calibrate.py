"""The dynamic offsets' amplitude calibration (splatportrait/calibrate.py, export --motion-gain)."""

from __future__ import annotations

import copy
import json
import math
import os

import numpy as np
import pytest
import torch

from splatportrait.calibrate import flow_dataset, motion_rms
from splatportrait.data.dataset import PairSampler
from splatportrait.model import SplatPortrait


def _decoder_inputs(model: SplatPortrait, frames: int = 3, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    r = model.cfg["resolution"]
    image = torch.rand(1, 3, r, r, generator=g)
    c2w = torch.eye(4)[None]
    c2w[0, 2, 3] = -1.0
    intr = torch.tensor([[r * 1.2, r * 1.2, r / 2, r / 2]])
    a = model.cfg["audio"]
    audio = torch.randn(frames, a["att_frames"], a["window"], a["n_mels"], generator=g)
    return image, c2w, intr, audio, torch.linspace(0.04, 0.4, frames)


def test_the_motion_gain_scales_every_offset_and_nothing_else(tiny_cfg):
    torch.manual_seed(0)
    model = SplatPortrait(tiny_cfg).eval()
    image, c2w, intr, audio, td = _decoder_inputs(model)
    with torch.no_grad():
        splats, _, dec = model.static(image, c2w, intr)
        feats = model.dynamic.select_features(dec)
        base = model.dynamic(feats, c2w, audio, td)
        model.dynamic.motion_gain = 2.5
        scaled = model.dynamic(feats, c2w, audio, td)
        again, _, _ = model.static(image, c2w, intr)
    assert float(base.abs().max()) > 0
    torch.testing.assert_close(scaled, 2.5 * base)
    torch.testing.assert_close(again["means"], splats["means"])
    assert SplatPortrait({**tiny_cfg, "dynamic": {**tiny_cfg["dynamic"], "motion_gain": 3.0}}).dynamic.motion_gain == 3.0


def _slow_mouth_rms(model, batch) -> tuple[float, float]:
    """Reference: splat by splat, the offset in the source camera frame, f * d / z in pixels."""
    with torch.no_grad():
        splats, _, dec = model.static(batch["src_image"], batch["src_c2w"], batch["intrinsics"])
        saved, model.dynamic.motion_gain = model.dynamic.motion_gain, 1.0
        off = model.dynamic(model.dynamic.select_features(dec), batch["src_c2w"], batch["audio"], batch["time_delta"])
        model.dynamic.motion_gain = saved
    pred = target = count = 0.0
    for b in range(off.shape[0]):
        view = batch["src_view"][b].double()
        fx, fy = float(batch["intrinsics"][b, 0]), float(batch["intrinsics"][b, 1])
        mouth = batch["src_mouth"][b].flatten() * float(batch["lips_valid"][b])
        flow = batch["mouth_flow"][b].reshape(-1, 2).double()
        for n in torch.nonzero(mouth).flatten().tolist():
            z = float(view[2, :3] @ splats["means"][b, n].double() + view[2, 3])
            d = view[:3, :3] @ off[b, n].double()
            pred += (fx * float(d[0]) / z) ** 2 + (fy * float(d[1]) / z) ** 2
            target += float(flow[n] @ flow[n])
            count += 1
    return math.sqrt(pred / count), math.sqrt(target / count)


def test_the_gain_is_the_target_rms_over_the_prediction_rms_in_the_mouth_boxes(synth_root, tiny_cfg, monkeypatch):
    torch.manual_seed(1)
    model = SplatPortrait(tiny_cfg)
    model.dynamic.motion_gain = 4.0  # measured at 1 whatever the model carries, and left as it was
    ds = flow_dataset(synth_root, tiny_cfg)
    sampler = PairSampler(ds, tiny_cfg["train"]["max_pair_gap"], 0)
    batch = sampler.batch(3, forward_only=True)
    # The synthetic clips have no landmarks: give the batch a mouth, a flow and valid lips.
    batch["mouth_flow"][:] = 0.0
    batch["mouth_flow"][:, 40:50, 20:44, 1] = 0.7
    batch["mouth_flow"][:, 44:46, 30:34, 0] = -0.4
    batch["src_mouth"][:] = 0.0
    batch["src_mouth"][:, 38:52, 18:46] = 1.0
    batch["lips_valid"][:] = torch.tensor([1.0, 1.0, 0.0])
    monkeypatch.setattr(PairSampler, "batch", lambda self, size, forward_only: {k: v[:size] for k, v in batch.items()})
    got = motion_rms(model, ds, pairs=3, batch=3, held_out=False)
    pred, target = _slow_mouth_rms(model, batch)
    assert math.isclose(got["predicted_px"], pred, rel_tol=1e-4)
    assert math.isclose(got["target_px"], target, rel_tol=1e-6)
    assert math.isclose(got["gain"], target / pred, rel_tol=1e-4)
    assert got["mouth_splats"] == 2 * 14 * 28
    assert model.dynamic.motion_gain == 4.0


def test_calibration_refuses_without_held_out_clips_or_valid_lips(synth_root, tiny_cfg):
    model = SplatPortrait(tiny_cfg)
    ds = flow_dataset(synth_root, tiny_cfg)
    # Stage II of this config draws from every talking clip: none is held out.
    with pytest.raises(ValueError, match="no held-out clip"):
        motion_rms(model, ds, pairs=2, batch=2)
    # The synthetic clips carry no landmarks, so no pair has lips to measure.
    with pytest.raises(ValueError, match="no pair with valid lips"):
        motion_rms(model, ds, pairs=2, batch=2, held_out=False)


def _parity_offsets(pack) -> np.ndarray:
    p = json.loads((pack / "parity.json").read_text())
    t = p["models"]["dynamic_decoder"]["outputs"]["offsets"]
    return np.frombuffer((pack / p["bin"]).read_bytes(), "<f4", t["length"], t["offset"]).reshape(t["shape"])


def test_export_folds_a_given_gain_into_the_pack_and_records_it(tmp_path, tiny_cfg):
    import export_onnx

    torch.manual_seed(2)
    model = SplatPortrait(tiny_cfg)
    ckpt = tmp_path / "stage2.pt"
    torch.save({"config": copy.deepcopy(tiny_cfg), "model": model.state_dict(), "stage": 2, "step": 7}, ckpt)
    plain, scaled = tmp_path / "plain", tmp_path / "scaled"
    assert export_onnx.main(["--checkpoint", str(ckpt), "--out", str(plain)]) == 0
    assert export_onnx.main(["--checkpoint", str(ckpt), "--motion-gain", "1.5", "--out", str(scaled)]) == 0
    mj = json.loads((scaled / "model.json").read_text())
    assert mj["training"]["motion_gain"] == {"gain": 1.5, "method": "given"}
    assert mj["config"]["dynamic"]["motion_gain"] == 1.5
    assert "motion_gain" not in json.loads((plain / "model.json").read_text())["training"]
    # The parity vectors (which the JS suite checks the ONNX graph against) carry the gain.
    base = _parity_offsets(plain)
    assert np.abs(base).max() > 0
    np.testing.assert_allclose(_parity_offsets(scaled), 1.5 * base, rtol=1e-5, atol=1e-9)


def test_export_rejects_a_bad_gain(tmp_path, tiny_cfg):
    import export_onnx

    ckpt = tmp_path / "stage2.pt"
    torch.save({"config": copy.deepcopy(tiny_cfg), "model": SplatPortrait(tiny_cfg).state_dict(), "stage": 2,
                "step": 1}, ckpt)
    for bad, message in (("loud", "expected a number or 'auto'"), ("0", "must be positive"),
                         ("auto", "needs --calibration-data")):
        with pytest.raises(SystemExit, match=message):
            export_onnx.main(["--checkpoint", str(ckpt), "--motion-gain", bad, "--out", str(tmp_path / "p")])
    assert not os.path.exists(tmp_path / "p")


def test_vertical_r_correlates_the_mean_vertical_motion_of_each_mouth_with_the_target(synth_root, tiny_cfg, monkeypatch):
    torch.manual_seed(2)
    model = SplatPortrait(tiny_cfg)
    ds = flow_dataset(synth_root, tiny_cfg)
    batch = PairSampler(ds, tiny_cfg["train"]["max_pair_gap"], 0).batch(6, forward_only=True)
    batch["src_mouth"][:] = 0.0
    batch["src_mouth"][:, 38:52, 18:46] = 1.0
    batch["lips_valid"][:] = 1.0
    batch["mouth_flow"][:] = 0.0
    for b, dy in enumerate([0.1, -0.4, 0.9, 0.3, -0.2, 0.5]):
        batch["mouth_flow"][b, 38:52, 18:46, 1] = dy
    monkeypatch.setattr(PairSampler, "batch", lambda self, size, forward_only: {k: v[:size] for k, v in batch.items()})
    got = motion_rms(model, ds, pairs=6, batch=6, held_out=False)
    # Reference: each pair's mean vertical pixel offset over its mouth box, then numpy's r.
    with torch.no_grad():
        splats, _, dec = model.static(batch["src_image"], batch["src_c2w"], batch["intrinsics"])
        off = model.dynamic(model.dynamic.select_features(dec), batch["src_c2w"], batch["audio"], batch["time_delta"])
    pred = []
    for b in range(6):
        view = batch["src_view"][b].double()
        fy = float(batch["intrinsics"][b, 1])
        rows = torch.nonzero(batch["src_mouth"][b].flatten()).flatten().tolist()
        ys = [fy * float(view[1, :3] @ off[b, n].double()) / float(view[2, :3] @ splats["means"][b, n].double() + view[2, 3])
              for n in rows]
        pred.append(sum(ys) / len(ys))
    want = float(np.corrcoef(pred, [0.1, -0.4, 0.9, 0.3, -0.2, 0.5])[0, 1])
    assert got["vertical_r"] is not None and math.isclose(got["vertical_r"], want, rel_tol=1e-4, abs_tol=1e-6)
