"""ONNX export of a model pack (DESIGN.md "Models"): static_generator.onnx, dynamic_decoder.onnx,
model.json, and parity.json + parity.bin (fixed inputs and the PyTorch outputs, for the JS test
that runs the pack through onnxruntime-node).

parity.json format (version 1):
  {"version": 1, "bin": "parity.bin", "dtype": "float32", "byte_order": "little",
   "tolerance": {"atol": .., "rtol": ..},
   "models": {"static_generator": {"inputs": {name: T}, "outputs": {name: T}},
              "dynamic_decoder":  {"inputs": {name: T}, "outputs": {name: T}}}}
  where T = {"shape": [..], "offset": byte offset in parity.bin, "length": element count};
  each tensor is row-major float32 LE at bin[offset : offset + 4 * length]. The dynamic decoder's
  feature inputs are the static generator's feature outputs of the same file."""

from __future__ import annotations

import datetime
import json
import os

import numpy as np
import torch
from torch import nn

from . import features as feats
from .audio.level import RULE as LEVEL_RULE
from .model import SplatPortrait, count_parameters

OPSET = 17
SPLAT_OUTPUTS = ("means", "scales", "quats", "opacities", "colors")


class StaticGraph(nn.Module):
    def __init__(self, model: SplatPortrait):
        super().__init__()
        self.static = model.static
        self.dynamic = model.dynamic

    def forward(self, image, cam_to_world, intrinsics):
        splats, bg, dec = self.static(image, cam_to_world, intrinsics)
        return (*[splats[k] for k in SPLAT_OUTPUTS], bg, *self.dynamic.select_features(dec))


class DynamicGraph(nn.Module):
    def __init__(self, model: SplatPortrait):
        super().__init__()
        self.dynamic = model.dynamic
        self.n_feat = len(model.dynamic.feature_levels)

    def forward(self, *args):
        feats_ = list(args[:self.n_feat])
        cam_to_world, audio, time_delta = args[self.n_feat:]
        return self.dynamic(feats_, cam_to_world, audio, time_delta)


def io_spec(model: SplatPortrait) -> dict:
    """Names, shapes (ints, or a symbolic axis name) and meanings of every graph input and output."""
    cfg = model.cfg
    r = cfg["resolution"]
    n = r * r
    a = cfg["audio"]
    fl = [{"name": f"feat_{res}", "shape": [1, ch, res, res], "dtype": "float32",
           "description": "static decoder features at this resolution (opaque; pass to dynamic_decoder)"}
          for res, ch in model.dynamic.feature_levels]
    static_in = [
        {"name": "image", "shape": ["batch", 3, r, r], "dtype": "float32", "description": "RGB 0..1, NCHW, the square head crop"},
        {"name": "cam_to_world", "shape": ["batch", 4, 4], "dtype": "float32",
         "description": "source camera-to-world (inverse of the view matrix), row-major, OpenCV convention"},
        {"name": "intrinsics", "shape": ["batch", 4], "dtype": "float32", "description": "fx, fy, cx, cy in pixels of the r x r input"},
    ]
    static_out = [
        {"name": "means", "shape": ["batch", n, 3], "dtype": "float32", "description": "world positions"},
        {"name": "scales", "shape": ["batch", n, 3], "dtype": "float32", "description": "linear (not log), world units"},
        {"name": "quats", "shape": ["batch", n, 4], "dtype": "float32", "description": "w, x, y, z, unit, world orientation"},
        {"name": "opacities", "shape": ["batch", n], "dtype": "float32", "description": "0..1"},
        {"name": "colors", "shape": ["batch", n, 3], "dtype": "float32", "description": "linear RGB 0..1 (not SH)"},
        {"name": "background", "shape": ["batch", r, r, 3], "dtype": "float32", "description": "inpainted 2D background, RGB 0..1, HWC"},
    ] + [dict(f, shape=["batch"] + f["shape"][1:]) for f in fl]
    dyn_in = fl + [
        {"name": "cam_to_world", "shape": [1, 4, 4], "dtype": "float32", "description": "the same source camera-to-world as the static input"},
        {"name": "audio", "shape": ["frames", a["att_frames"], a["window"], a["n_mels"]], "dtype": "float32",
         "description": "per output frame: the log-mel windows of the K neighbouring video frames (feature_window)"},
        {"name": "time_delta", "shape": ["frames"], "dtype": "float32", "description": "seconds from the source frame to the output frame"},
    ]
    dyn_out = [{"name": "offsets", "shape": ["frames", n, 3], "dtype": "float32",
                "description": "world offsets added to means, one set per frame"}]
    return {"static_generator": {"inputs": static_in, "outputs": static_out},
            "dynamic_decoder": {"inputs": dyn_in, "outputs": dyn_out}}


def _axes(specs: list[dict]) -> dict:
    return {s["name"]: {i: d for i, d in enumerate(s["shape"]) if isinstance(d, str)} for s in specs}


def example_inputs(model: SplatPortrait, frames: int = 3, seed: int = 0):
    """Fixed, plausible inputs: a random image, the canonical front camera, random audio."""
    cfg = model.cfg
    r = cfg["resolution"]
    g = torch.Generator().manual_seed(seed)
    image = torch.rand((1, 3, r, r), generator=g)
    c2w = torch.eye(4)[None].clone()
    c2w[0, 2, 3] = -0.5 * (cfg["depth"]["near"] + cfg["depth"]["far"])
    f = 0.5 * r / np.tan(np.radians(15.0))
    intr = torch.tensor([[f, f, r / 2, r / 2]], dtype=torch.float32)
    a = cfg["audio"]
    audio = torch.randn((frames, a["att_frames"], a["window"], a["n_mels"]), generator=g)
    td = torch.arange(frames, dtype=torch.float32) / cfg["fps"] + 0.04
    return image, c2w, intr, audio, td


def model_json(model: SplatPortrait, trained_on: dict | None, training: dict | None, spec: dict,
               metrics: dict | None = None) -> dict:
    cfg = model.cfg
    a, r = cfg["audio"], cfg["resolution"]
    fe = feats.spec_json()
    ce = cfg["camera_embedding"]
    return {
        "format": "splat-portrait-model-pack",
        "version": 1,
        "name": cfg["name"],
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "input": {"resolution": r, "layout": "NCHW", "color": "RGB float32 0..1 (sRGB values as decoded; no mean/std)",
                  "crop": "the square head crop of the data preparation (training/DATASET.md)"},
        "num_splats": r * r,
        "splat_order": "one splat per input pixel, index v * resolution + u (row-major)",
        "splat_layout": "DESIGN.md Splat buffers: means world, scales linear, quats wxyz unit, opacities 0..1, colors linear RGB 0..1",
        "camera": {"convention": "OpenCV (x right, y down, z forward), pixel centres at +0.5; world = head space",
                   "cam_to_world": "inverse of the source view (world-to-camera) matrix, row-major 4x4",
                   "intrinsics": "fx, fy, cx, cy in pixels of the model input"},
        "camera_embedding": {"type": "sinusoidal", "computed_in_graph": True,
                             "scalars": ["cam_to_world[0][3]", "cam_to_world[1][3]", "cam_to_world[2][3]", "fx / resolution"],
                             "translation_scale": ce["translation_scale"], "focal_scale": ce["focal_scale"],
                             "freqs": ce["freqs"], "formula": "[x, sin(2^k pi x), cos(2^k pi x) for k < freqs] per scalar",
                             "dims": 4 * (1 + 2 * ce["freqs"])},
        "depth_range": {"near": cfg["depth"]["near"], "far": cfg["depth"]["far"],
                        "units": "world units along the source camera's z; depth = near + (far - near) * sigmoid"},
        "audio_frontend": {"name": fe["name"], "spec_file": "resources/audio-frontend/logmel-v1.json",
                           "sample_rate": fe["input"]["sample_rate"], "hop": fe["stft"]["hop_length"],
                           "window": fe["stft"]["win_length"], "n_fft": fe["stft"]["n_fft"],
                           "window_function": fe["stft"]["window"], "bins": fe["mel"]["n_mels"],
                           "fmin": fe["mel"]["fmin"], "fmax": fe["mel"]["fmax"], "log_floor": fe["log"]["floor"],
                           "normalise": {"mean": fe["normalise"]["mean"], "std": fe["normalise"]["std"]},
                           "frames_per_second": fe["stft"]["frames_per_second"],
                           # null: the samples go to the front-end as decoded
                           "level_normalise": dict(LEVEL_RULE) if a.get("level_normalise") else None},
        "feature_window": {
            "fps": cfg["fps"], "mel_frames": a["window"], "neighbour_frames": a["att_frames"],
            "mel_rule": fe["feature_window"]["rule"],
            "neighbour_rule": "audio[j] stacks the mel windows of video frames j - floor(K/2) .. j - floor(K/2) + K - 1, "
                              "indices clamped to 0 .. n_video_frames - 1 (edge replication)",
            "time_delta": "seconds from the source portrait's instant to output frame j; for a still portrait driven "
                          "by a clip, j / fps from the clip start (training draws (n - i) / fps with n > i)",
            "time_delta_range": [0.0, cfg["train"]["max_pair_gap"] / cfg["fps"]],
            "time_delta_note": "the graph clamps time_delta to time_delta_range (the range seen in training)",
            "time_delta_used": bool(cfg["dynamic"].get("time_delta", True)),
            "audio_bands_used": int(cfg["dynamic"].get("audio_bands", a["n_mels"])),
            "audio_bands_note": "the graph averages the log-mel bins into audio_bands_used equal bands before its audio "
                                "network; the app passes every bin",
            "time_embedding": {"freqs": a["time_freqs"], "scale_seconds": a["time_scale"], "computed_in_graph": True}},
        "models": {name: {"file": f"{name}.onnx", "opset": OPSET, **io} for name, io in spec.items()},
        "perceptual_term": {"name": cfg["loss"]["perceptual"], "weight": cfg["loss"]["perceptual_weight"],
                            "note": "paper: LPIPS (VGGFace + VGG19), weights unavailable here; 1 - SSIM stands in"
                            if cfg["loss"]["perceptual"] == "ssim" else ""},
        "sds": {"enabled": cfg["sds"]["enabled"]},
        "parameters": {"static_generator": count_parameters(model.static), "dynamic_decoder": count_parameters(model.dynamic)},
        "trained_on": trained_on or {"datasets": [], "note": "untrained (random initialisation)"},
        "training": training or {},
        "metrics": metrics or {"psnr": None, "ssim": None, "lpips": None, "csim": None, "lipsync": None, "fid": None,
                    "baselines": {"repeat_source_frame": None, "static_only": None}, "eval_set": None},
        "parity": {"json": "parity.json", "bin": "parity.bin"},
        "config": cfg,
    }


def _declare_shapes(graph_model, spec: dict) -> None:
    """Writes the io_spec shapes onto the graph's inputs and outputs. The tracer's shape inference
    leaves some output dims symbolic (e.g. N of means, built from a reshape); the values are
    the fixed ones of the spec, and the parity run checks the real shapes."""
    for vis, specs in ((graph_model.graph.input, spec["inputs"]), (graph_model.graph.output, spec["outputs"])):
        by_name = {s["name"]: s["shape"] for s in specs}
        for vi in vis:
            dims = vi.type.tensor_type.shape.dim
            want = by_name[vi.name]
            while len(dims) < len(want):
                dims.add()
            for d, w in zip(dims, want):
                if isinstance(w, str):
                    d.dim_param = w
                else:
                    d.dim_value = w


def _pack_tensors(tensors: dict, blob: bytearray) -> dict:
    out = {}
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().cpu().numpy().astype("<f4"))
        out[name] = {"shape": list(a.shape), "offset": len(blob), "length": int(a.size)}
        blob.extend(a.tobytes())
    return out


def export_pack(model: SplatPortrait, out_dir: str, trained_on: dict | None = None, training: dict | None = None,
                check: bool = True, frames: int = 3, metrics: dict | None = None) -> dict:
    """Writes the pack into out_dir; returns the model.json dict."""
    import onnx

    os.makedirs(out_dir, exist_ok=True)
    model = model.cpu().eval()
    spec = io_spec(model)
    image, c2w, intr, audio, td = example_inputs(model, frames)
    sg, dg = StaticGraph(model), DynamicGraph(model)
    s_in = [x["name"] for x in spec["static_generator"]["inputs"]]
    s_out = [x["name"] for x in spec["static_generator"]["outputs"]]
    d_in = [x["name"] for x in spec["dynamic_decoder"]["inputs"]]
    d_out = [x["name"] for x in spec["dynamic_decoder"]["outputs"]]
    with torch.no_grad():
        s_res = sg(image, c2w, intr)
        feat = list(s_res[len(SPLAT_OUTPUTS) + 1:])
        d_res = dg(*feat, c2w, audio, td)
        torch.onnx.export(sg, (image, c2w, intr), os.path.join(out_dir, "static_generator.onnx"),
                          input_names=s_in, output_names=s_out, opset_version=OPSET,
                          dynamic_axes={**_axes(spec["static_generator"]["inputs"]), **_axes(spec["static_generator"]["outputs"])})
        torch.onnx.export(dg, (*feat, c2w, audio, td), os.path.join(out_dir, "dynamic_decoder.onnx"),
                          input_names=d_in, output_names=d_out, opset_version=OPSET,
                          dynamic_axes={**_axes(spec["dynamic_decoder"]["inputs"]), **_axes(spec["dynamic_decoder"]["outputs"])})
    for name in ("static_generator", "dynamic_decoder"):
        path = os.path.join(out_dir, f"{name}.onnx")
        graph_model = onnx.load(path)
        _declare_shapes(graph_model, spec[name])
        onnx.save(graph_model, path)
        if check:
            onnx.checker.check_model(graph_model, full_check=True)
    blob = bytearray()
    parity = {
        "version": 1, "bin": "parity.bin", "dtype": "float32", "byte_order": "little",
        # float32 graphs through a different kernel library: convolution sums reorder, so
        # compare with atol 1e-4 + rtol 1e-3 (set from the model's output ranges: 0..1 mostly).
        "tolerance": {"atol": 1e-4, "rtol": 1e-3},
        "models": {
            "static_generator": {"inputs": _pack_tensors(dict(zip(s_in, (image, c2w, intr))), blob),
                                 "outputs": _pack_tensors(dict(zip(s_out, s_res)), blob)},
            "dynamic_decoder": {"inputs": _pack_tensors(dict(zip(d_in, (*feat, c2w, audio, td))), blob),
                                "outputs": _pack_tensors({"offsets": d_res}, blob)},
        },
    }
    with open(os.path.join(out_dir, "parity.bin"), "wb") as f:
        f.write(bytes(blob))
    with open(os.path.join(out_dir, "parity.json"), "w", encoding="utf-8") as f:
        json.dump(parity, f, indent=1)
    mj = model_json(model, trained_on, training, spec, metrics)
    with open(os.path.join(out_dir, "model.json"), "w", encoding="utf-8") as f:
        json.dump(mj, f, indent=2)
    return mj
