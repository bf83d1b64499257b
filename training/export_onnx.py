#!/usr/bin/env python3
"""Export a model pack (DESIGN.md "Models") from a checkpoint, or from a fresh initialisation.

  /usr/bin/python3 training/export_onnx.py --checkpoint runs/tiny/stage2_latest.pt --out resources/models/tiny
  /usr/bin/python3 training/export_onnx.py --config tiny --out /tmp/pack      (untrained, for plumbing tests)
Writes static_generator.onnx, dynamic_decoder.onnx (opset 17, checked with onnx.checker),
model.json, parity.json + parity.bin (see splatportrait/export.py for the parity format)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import splatportrait as sp  # noqa: E402


def set_motion_gain(model, gain: str, calibration_data: str | None) -> dict:
    """Fold a gain on the dynamic offsets into the model (and so its config and graph)."""
    if gain == "auto":
        if not calibration_data:
            raise SystemExit("--motion-gain auto needs --calibration-data (a prepared dataset)")
        from splatportrait.calibrate import flow_dataset, motion_rms

        m = motion_rms(model, flow_dataset(calibration_data, model.cfg))
        record = {"gain": round(m["gain"], 2), "method": "variance matching on held-out clips (training/splatportrait/calibrate.py)",
                  "predicted_rms_px": round(m["predicted_px"], 4), "target_rms_px": round(m["target_px"], 4),
                  "pairs": m["pairs"], "clips": m["clips"],
                  "vertical_r": None if m["vertical_r"] is None else round(m["vertical_r"], 3)}
    else:
        try:
            record = {"gain": float(gain), "method": "given"}
        except ValueError:
            raise SystemExit(f"--motion-gain: expected a number or 'auto', got {gain!r}") from None
    if not record["gain"] > 0:
        raise SystemExit(f"--motion-gain must be positive, got {record['gain']}")
    model.cfg["dynamic"]["motion_gain"] = record["gain"]
    model.dynamic.motion_gain = record["gain"]
    return record


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint")
    ap.add_argument("--config", default="tiny")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eval-data", help="prepared dataset to measure PSNR/SSIM on (its val split) for model.json")
    ap.add_argument("--eval-split", default="val")
    ap.add_argument("--motion-gain", help="scale the dynamic offsets by this factor, or 'auto': variance matching on "
                    "the held-out talking clips of --calibration-data (splatportrait/calibrate.py)")
    ap.add_argument("--calibration-data", help="prepared dataset for --motion-gain auto (its train split)")
    args = ap.parse_args(argv)
    from splatportrait.export import export_pack
    from splatportrait.model import SplatPortrait

    trained_on, training = None, None
    if args.checkpoint:
        st = torch.load(args.checkpoint, map_location="cpu")
        cfg = st["config"]
        model = SplatPortrait(cfg)
        model.load_state_dict(st["model"])
        training = {"stage": st["stage"], "steps": st["step"], "checkpoint": os.path.basename(args.checkpoint)}
        if args.motion_gain is not None:
            training["motion_gain"] = set_motion_gain(model, args.motion_gain, args.calibration_data)
        meta = os.path.join(os.path.dirname(args.checkpoint), "trained_on.json")
        if os.path.exists(meta):
            with open(meta, "r", encoding="utf-8") as f:
                trained_on = json.load(f)
    else:
        cfg = sp.load_config(args.config)
        if cfg["depth"]["near"] is None:
            cfg["depth"].update(near=0.5, far=1.1)
        torch.manual_seed(args.seed)
        model = SplatPortrait(cfg)
    metrics = None
    if args.eval_data:
        from splatportrait.data import PreparedDataset
        from splatportrait.evaluate import evaluate, metrics_block

        ds = PreparedDataset(args.eval_data, cfg, split=args.eval_split)
        metrics = metrics_block(evaluate(model, ds), f"{os.path.abspath(args.eval_data)} ({args.eval_split}, {len(ds.clips)} clips)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about constant shapes (fixed resolution)
        mj = export_pack(model, args.out, trained_on, training, metrics=metrics)
    print(json.dumps({"out": args.out, "num_splats": mj["num_splats"], "parameters": mj["parameters"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
