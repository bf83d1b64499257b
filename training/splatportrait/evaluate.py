"""Quality on held-out pairs (DESIGN "Targets: Quality"): PSNR and SSIM of the predicted future
frame, always beside the trivial baseline (repeat the source frame) and the static-only model
(dynamic offsets off). Identity similarity (CSIM) and a lip-sync score need networks whose
weights are not available here: they stay null in model.json.

Pairs: for each clip, source frame 0 and every `stride`-th later frame (the paper's evaluation
drives the first frame with the clip's audio and camera)."""

from __future__ import annotations

import torch

from . import losses
from .render import render


@torch.no_grad()
def evaluate(model, dataset, stride: int = 5, max_frames: int | None = None, threads: int = 0) -> dict:
    model.eval()
    cfg = model.cfg
    r = cfg["resolution"]
    acc = {k: [] for k in ("psnr", "ssim", "psnr_static", "ssim_static", "psnr_repeat", "ssim_repeat")}
    for ci, clip in enumerate(dataset.clips):
        last = clip.frames if max_frames is None else min(clip.frames, max_frames)
        for n in range(1, last, stride):
            s = dataset.sample(ci, 0, n)
            b = {k: v[None] for k, v in s.items()}
            splats, bg, dec = model.static(b["src_image"], b["src_c2w"], b["intrinsics"])
            off = model.dynamic(model.dynamic.select_features(dec), b["src_c2w"], b["audio"], b["time_delta"])
            target = b["tgt_image"].permute(0, 2, 3, 1)
            full, _ = render(splats, b["tgt_view"], b["intrinsics"], r, bg, off, threads)
            static, _ = render(splats, b["tgt_view"], b["intrinsics"], r, bg, None, threads)
            repeat = b["src_image"].permute(0, 2, 3, 1)
            for tag, img in (("", full), ("_static", static), ("_repeat", repeat)):
                acc["psnr" + tag].append(float(losses.psnr(img.clamp(0, 1), target)))
                acc["ssim" + tag].append(float(losses.ssim(img.clamp(0, 1), target)))
    out = {k: (sum(v) / len(v) if v else None) for k, v in acc.items()}
    out["pairs"] = len(acc["psnr"])
    return out


def metrics_block(result: dict, eval_set: str) -> dict:
    """model.json "metrics" from an evaluate() result."""
    return {"psnr": result["psnr"], "ssim": result["ssim"], "lpips": None, "csim": None, "lipsync": None, "fid": None,
            "baselines": {"repeat_source_frame": {"psnr": result["psnr_repeat"], "ssim": result["ssim_repeat"]},
                          "static_only": {"psnr": result["psnr_static"], "ssim": result["ssim_static"]}},
            "eval_set": eval_set, "pairs": result["pairs"]}
