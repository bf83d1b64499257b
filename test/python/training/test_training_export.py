"""ONNX export of tiny (every mel bin, and 4 pooled audio bands with speech-level normalisation): onnx.checker, graph names and shapes == model.json, parity file layout.
Numerical parity of the graphs is checked on the JS side (onnxruntime-node): onnx 1.12 has no
reference evaluator and no Python onnxruntime is installed here."""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import pytest
import torch

import splatportrait as sp
from splatportrait.audio.level import RULE as LEVEL_RULE
from splatportrait.export import export_pack
from splatportrait.model import SplatPortrait

DESIGN_FIELDS = ("version", "input", "num_splats", "camera_embedding", "depth_range", "audio_frontend",
                 "feature_window", "models", "trained_on", "metrics", "perceptual_term")


@pytest.fixture(scope="module", params=[(80, False), (4, True)], ids=["every-mel-bin", "4-audio-bands-level-normalised"])
def pack(tmp_path_factory, request):
    torch.manual_seed(0)
    bands, level = request.param
    cfg = sp.load_config("tiny", {"dynamic.audio_bands": bands, "audio.level_normalise": level})
    out = str(tmp_path_factory.mktemp("pack"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mj = export_pack(SplatPortrait(cfg), out)
    return out, mj


def _shape(vi):
    return [d.dim_param if d.dim_param else d.dim_value for d in vi.type.tensor_type.shape.dim]


def test_graphs_pass_checker_and_match_model_json(pack):
    import onnx

    out, mj = pack
    for f in DESIGN_FIELDS:
        assert f in mj, f
    assert mj["num_splats"] == 64 * 64 and mj["input"]["resolution"] == 64
    assert mj["audio_frontend"]["name"] == "logmel-v1" and mj["audio_frontend"]["bins"] == 80
    # a banded decoder still takes every bin: the pooling is inside its graph
    assert mj["feature_window"]["audio_bands_used"] == mj["config"]["dynamic"]["audio_bands"]
    # the app scales the clip to the speech level training used, or passes it as decoded
    assert mj["audio_frontend"]["level_normalise"] == (LEVEL_RULE if mj["config"]["audio"]["level_normalise"] else None)
    audio_in = next(i for i in mj["models"]["dynamic_decoder"]["inputs"] if i["name"] == "audio")
    assert audio_in["shape"][-1] == 80
    assert mj["perceptual_term"]["name"] == "ssim"
    assert all(v is None for k, v in mj["metrics"].items() if k not in ("baselines",))
    on_disk = json.load(open(os.path.join(out, "model.json")))
    assert on_disk["models"] == mj["models"]
    for name, spec in mj["models"].items():
        m = onnx.load(os.path.join(out, spec["file"]))
        onnx.checker.check_model(m, full_check=True)
        assert m.opset_import[0].version == 17
        got_in = [(i.name, _shape(i)) for i in m.graph.input]
        got_out = [(o.name, _shape(o)) for o in m.graph.output]
        assert got_in == [(s["name"], s["shape"]) for s in spec["inputs"]], name
        assert got_out == [(s["name"], s["shape"]) for s in spec["outputs"]], name


def test_parity_file_layout(pack):
    out, mj = pack
    p = json.load(open(os.path.join(out, "parity.json")))
    blob = open(os.path.join(out, p["bin"]), "rb").read()
    end = 0
    for name, io in p["models"].items():
        spec = mj["models"][name]
        assert list(io["inputs"]) == [s["name"] for s in spec["inputs"]]
        assert list(io["outputs"]) == [s["name"] for s in spec["outputs"]]
        for t in (*io["inputs"].values(), *io["outputs"].values()):
            assert t["length"] == int(np.prod(t["shape"]))
            end = max(end, t["offset"] + 4 * t["length"])
    assert end == len(blob)
    # the dynamic decoder's feature inputs are the static generator's feature outputs
    s_out, d_in = p["models"]["static_generator"]["outputs"], p["models"]["dynamic_decoder"]["inputs"]
    for k in (k for k in d_in if k.startswith("feat_")):
        a = np.frombuffer(blob, "<f4", s_out[k]["length"], s_out[k]["offset"])
        b = np.frombuffer(blob, "<f4", d_in[k]["length"], d_in[k]["offset"])
        assert np.array_equal(a, b)


def test_reference_evaluator_parity(pack):
    import onnx

    try:
        from onnx.reference import ReferenceEvaluator  # onnx >= 1.13
    except ImportError:
        pytest.skip(f"onnx {onnx.__version__} has no reference evaluator; parity runs in the JS suite (onnxruntime-node)")
    out, _ = pack
    p = json.load(open(os.path.join(out, "parity.json")))
    blob = open(os.path.join(out, p["bin"]), "rb").read()

    def arr(t):
        return np.frombuffer(blob, "<f4", t["length"], t["offset"]).reshape(t["shape"])

    for name, io in p["models"].items():
        ref = ReferenceEvaluator(os.path.join(out, f"{name}.onnx"))
        got = ref.run(None, {k: arr(t) for k, t in io["inputs"].items()})
        for g, t in zip(got, io["outputs"].values()):
            np.testing.assert_allclose(g, arr(t), atol=p["tolerance"]["atol"], rtol=p["tolerance"]["rtol"])
