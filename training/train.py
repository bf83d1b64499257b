#!/usr/bin/env python3
"""Train Splat-Portrait (paper 3.4): stage I (static) then stage II (dynamic).

  /usr/bin/python3 training/train.py --config tiny --data DATASET_DIR --out runs/tiny --stage 1 --steps 2000
  /usr/bin/python3 training/train.py --config tiny --data DATASET_DIR --out runs/tiny --stage 2 --steps 2000 \
      --init runs/tiny/stage1_latest.pt
  --resume runs/tiny/stage2_latest.pt   continue exactly (optimiser, step, RNG)
  --synthetic                           make a synthetic dataset under --out/synthetic when --data is absent
  --set train.lr=1e-4 --set train.freeze_static=true   config overrides (dotted keys, JSON values)
  --params                              print parameter counts of the config and exit
Multi-GPU: torchrun --nproc_per_node=8 training/train.py ... --device cuda (DistributedDataParallel).
Steps given are totals for the stage (a resumed run stops at the same step a straight run would)."""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import splatportrait as sp  # noqa: E402
from splatportrait.config import parse_override  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="tiny")
    ap.add_argument("--data", help="prepared dataset folder (training/DATASET.md)")
    ap.add_argument("--out", default="runs/default")
    ap.add_argument("--stage", type=int, choices=(1, 2), default=1)
    ap.add_argument("--steps", type=int, help="total steps of this stage (default: config stage1/2_steps)")
    ap.add_argument("--init", help="checkpoint to take weights from (e.g. the stage I result)")
    ap.add_argument("--resume", help="checkpoint to resume exactly")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--params", action="store_true")
    args = ap.parse_args(argv)

    cfg = sp.load_config(args.config, dict(parse_override(s) for s in args.set))
    if args.params:
        from splatportrait.model import parameter_report

        if cfg["depth"]["near"] is None:
            cfg["depth"].update(near=0.5, far=1.1)
        print(json.dumps(parameter_report(cfg)))
        return 0
    from splatportrait.data import PreparedDataset
    from splatportrait.trainer import Trainer

    data = args.data
    if not data or not os.path.exists(os.path.join(data, "index.json")):
        if not args.synthetic:
            ap.error(f"no prepared dataset at {data!r} (run `npm run prepare-dataset`, or pass --synthetic)")
        from splatportrait.data.synthetic import make_dataset

        data = make_dataset(os.path.join(args.out, "synthetic"), clips=4, frames=50, size=cfg["resolution"], val=1)
    ds = PreparedDataset(data, cfg)
    if cfg["depth"]["near"] is None or cfg["depth"]["far"] is None:
        d = ds.camera_distance()  # the head is at the world origin: bracket it
        cfg["depth"].update(near=round(0.6 * d, 4), far=round(1.4 * d, 4))
        print(json.dumps({"depth_range": cfg["depth"], "camera_distance": d}))
    tr = Trainer(cfg, ds, args.out, args.device)
    if args.resume:
        tr.load(args.resume)
    else:
        if args.init:
            tr.load(args.init, weights_only=True)
        tr.set_stage(args.stage)
        tr.step = 0
    total = args.steps or cfg["train"][f"stage{tr.stage}_steps"]
    tr.run(max(0, total - tr.step))
    if tr.rank == 0:
        tr.save(os.path.join(args.out, f"stage{tr.stage}_latest.pt"))
        with open(os.path.join(args.out, "trained_on.json"), "w", encoding="utf-8") as f:
            json.dump({"datasets": [os.path.abspath(data)], "clips": len(ds.clips), "stage": tr.stage, "steps": tr.step,
                       "config": cfg["name"]}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
