#!/usr/bin/env python3
"""Look at what a checkpoint does on one clip: a row of tiles saved as one PNG.

  /usr/bin/python3 training/render_views.py --checkpoint runs/tiny/stage2_latest.pt --data DATASET \
      --clip retalking_5 [--source-frame 0] [--future-frame 50] [--tile 256] --out views.png

Tiles, left to right (each upscaled nearest-neighbour to --tile px):
  real source frame | rendered source view (static splats) | real future frame |
  rendered future frame (static + dynamic offsets from that frame's audio window and time delta,
  as in stage II) | novel view yaw -30 deg | novel view yaw +30 deg (orbit of the source camera
  about the head centre, the world origin, composited over the predicted background).
Prints JSON with the PSNR of the source and future renders vs the real frames (at the model
resolution), and the static-only PSNR of the future frame beside it."""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from splatportrait import losses  # noqa: E402
from splatportrait.geometry import orbit_view  # noqa: E402
from splatportrait.model import SplatPortrait  # noqa: E402
from splatportrait.render import render  # noqa: E402

NOVEL_YAWS = (-30.0, 30.0)


def load_model(checkpoint: str) -> SplatPortrait:
    """The model of a train.py checkpoint (its saved config, depth range included), in eval mode."""
    st = torch.load(checkpoint, map_location="cpu")
    model = SplatPortrait(st["config"])
    model.load_state_dict(st["model"])
    model.eval()
    return model


def open_clip(model: SplatPortrait, data: str, clip_id: str):
    """(dataset, clip index) for one clip of any split."""
    from splatportrait.data import PreparedDataset

    ds = PreparedDataset(data, model.cfg, split=None, clip_ids=[clip_id])
    return ds, 0


def _upscale(img: np.ndarray, tile: int) -> np.ndarray:
    """[R,R,3] float 0..1 -> [tile,tile,3] uint8, nearest neighbour."""
    r = img.shape[0]
    idx = (np.arange(tile) * r) // tile
    out = np.clip(np.round(img * 255.0), 0, 255).astype(np.uint8)
    return out[idx][:, idx]


@torch.no_grad()
def render_views(model: SplatPortrait, dataset, clip: int = 0, source_frame: int = 0, future_frame: int = 50,
                 tile: int = 256, yaws=NOVEL_YAWS, threads: int = 1) -> tuple[np.ndarray, dict]:
    """Returns (row image [tile, tile * (4 + len(yaws)), 3] uint8, metrics dict)."""
    c = dataset.clips[clip]
    r = model.cfg["resolution"]
    i = min(max(0, int(source_frame)), c.frames - 1)
    n = min(max(0, int(future_frame)), c.frames - 1)
    s = dataset.sample(clip, i, n)
    b = {k: v[None] for k, v in s.items()}
    splats, bg, dec = model.static(b["src_image"], b["src_c2w"], b["intrinsics"])
    off = model.dynamic(model.dynamic.select_features(dec), b["src_c2w"], b["audio"], b["time_delta"])
    src_real = b["src_image"].permute(0, 2, 3, 1)
    tgt_real = b["tgt_image"].permute(0, 2, 3, 1)
    src_rend, _ = render(splats, b["src_view"], b["intrinsics"], r, bg, None, threads)
    tgt_rend, _ = render(splats, b["tgt_view"], b["intrinsics"], r, bg, off, threads)
    tgt_static, _ = render(splats, b["tgt_view"], b["intrinsics"], r, bg, None, threads)
    novel = []
    for yaw in yaws:
        view = orbit_view(b["src_view"][0], yaw, 0.0, centre=(0.0, 0.0, 0.0))[None]
        img, _ = render(splats, view, b["intrinsics"], r, bg, None, threads)
        novel.append(img)
    tiles = [src_real, src_rend, tgt_real, tgt_rend] + novel
    row = np.concatenate([_upscale(t[0].clamp(0, 1).numpy(), tile) for t in tiles], axis=1)
    metrics = {
        "clip": c.id,
        "source_frame": i,
        "future_frame": n,
        "time_delta_s": float(s["time_delta"]),
        "resolution": r,
        "psnr_source": float(losses.psnr(src_rend.clamp(0, 1), src_real)),
        "psnr_future": float(losses.psnr(tgt_rend.clamp(0, 1), tgt_real)),
        "psnr_future_static_only": float(losses.psnr(tgt_static.clamp(0, 1), tgt_real)),
        "psnr_future_repeat_source": float(losses.psnr(src_real, tgt_real)),
        "mean_abs_offset": float(off.norm(dim=-1).mean()),
        "tiles": ["real_source", "render_source", "real_future", "render_future"] + [f"yaw_{y:+g}" for y in yaws],
    }
    return row, metrics


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--data", required=True, help="prepared dataset folder (training/DATASET.md)")
    ap.add_argument("--clip", required=True)
    ap.add_argument("--source-frame", type=int, default=0)
    ap.add_argument("--future-frame", type=int, default=50)
    ap.add_argument("--tile", type=int, default=256)
    ap.add_argument("--threads", type=int, default=1, help="rasterizer threads (0: all cores)")
    ap.add_argument("--out", required=True, help="PNG path")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    from splatportrait.data.png import write_png

    model = load_model(args.checkpoint)
    ds, ci = open_clip(model, args.data, args.clip)
    row, metrics = render_views(model, ds, ci, args.source_frame, args.future_frame, args.tile, threads=args.threads)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    write_png(args.out, row)
    metrics["png"] = os.path.abspath(args.out)
    metrics["checkpoint"] = os.path.abspath(args.checkpoint)
    print(json.dumps(metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
