"""Amplitude calibration of the dynamic offsets (not in the paper; training/RUNS.md, eighth session).

A decoder trained with squared error predicts the conditional mean of the lip motion given the
audio. Where the audio explains only part of the motion (lip opening and audio energy correlate at
0.3-0.5 on our clips), that mean is a shrunken copy of the motion: the lips move in time with the
speech, but by a fraction of a pixel, which nobody can see. Variance matching scales the offsets
so that, inside the mouth box, their RMS in model pixels equals the RMS of the expression-flow
target (data/mouth.expression_flow), over pairs drawn as stage II draws them from the talking
clips that stage II left out (motion_rms). The scale is folded into the exported graph
(`dynamic.motion_gain` of the config), so the app needs nothing new."""

from __future__ import annotations

import copy
import math

import torch

from .data.dataset import PairSampler, PreparedDataset
from .losses import offset_pixels
from .model import SplatPortrait


def flow_dataset(root: str, cfg: dict, split: str = "train") -> PreparedDataset:
    """The prepared dataset with expression-flow targets, whatever the config trained with."""
    c = copy.deepcopy(cfg)
    c["loss"]["mouth_flow_weight"] = 1.0
    c["loss"].setdefault("mouth_flow_smooth", 1)
    return PreparedDataset(root, c, split=split)


def _sampler(cfg: dict, dataset: PreparedDataset, seed: int, held_out: bool) -> PairSampler:
    t = cfg["train"]
    trained = PairSampler(dataset, t["max_pair_gap"], seed, 0, t.get("stage2_silent_clips", False),
                          t.get("stage2_min_sync"))
    if not held_out:
        return trained
    sampler = PairSampler(dataset, t["max_pair_gap"], seed, 0)
    sampler.stage2_clips = [i for i in sampler.stage2_clips if i not in trained.stage2_clips]
    if not sampler.stage2_clips:
        raise ValueError("stage II trained on every talking clip with speech: no held-out clip to calibrate on "
                         "(calibrate on the val split instead)")
    return sampler


@torch.no_grad()
def motion_rms(model: SplatPortrait, dataset: PreparedDataset, pairs: int = 512, batch: int = 32,
               seed: int = 0, held_out: bool = True) -> dict:
    """RMS in model pixels of the predicted in-plane offsets (at motion_gain 1) and of the flow
    target, over the source mouth boxes of `pairs` pairs drawn as stage II draws them, and
    gain = target / predicted. held_out: only from the talking clips with speech that the
    training config's stage II left out (its stage2_min_sync), which the decoder never saw: on
    its own training clips it reproduces most of the amplitude, and the gain would come out
    near 1. Otherwise from the clips stage II used (e.g. on a val split).
    vertical_r: the Pearson r, over the pairs, of the mean predicted and target vertical motion
    in the mouth box: whether the jaw goes where the real one went (training/RUNS.md, ninth
    session), whatever the amplitude."""
    sampler = _sampler(model.cfg, dataset, seed, held_out)
    dyn = model.dynamic
    saved_gain, dyn.motion_gain = dyn.motion_gain, 1.0
    was_training = model.training
    model.eval()
    pred_sq = target_sq = count = 0.0
    pred_mean, target_mean = [], []  # per pair with a mouth: the mean vertical px in its mouth box
    try:
        done = 0
        while done < pairs:
            b = sampler.batch(min(batch, pairs - done), forward_only=True)
            splats, _, dec = model.static(b["src_image"], b["src_c2w"], b["intrinsics"])
            offsets = dyn(dyn.select_features(dec), b["src_c2w"], b["audio"], b["time_delta"])
            px, _ = offset_pixels(splats["means"], offsets, b["src_view"], b["intrinsics"])
            mask = b["src_mouth"].flatten(1) * b["lips_valid"][:, None]  # [B,N]
            pred_sq += float(((px ** 2).sum(-1) * mask).sum())
            target_sq += float(((b["mouth_flow"].flatten(1, 2) ** 2).sum(-1) * mask).sum())
            count += float(mask.sum())
            area = mask.sum(1)
            has = area > 0
            pred_mean.append(((px[..., 1] * mask).sum(1) / area.clamp_min(1))[has])
            target_mean.append(((b["mouth_flow"].flatten(1, 2)[..., 1] * mask).sum(1) / area.clamp_min(1))[has])
            done += b["src_image"].shape[0]
    finally:
        dyn.motion_gain = saved_gain
        model.train(was_training)
    if count == 0:
        raise ValueError("no pair with valid lips and a mouth box: cannot calibrate the motion gain")
    predicted, target = math.sqrt(pred_sq / count), math.sqrt(target_sq / count)
    if predicted == 0.0:
        raise ValueError("the decoder predicts no motion in the mouth box: cannot calibrate the motion gain")
    clips = [dataset.clips[i].id for i in sampler.stage2_clips]
    return {"predicted_px": predicted, "target_px": target, "gain": target / predicted, "pairs": pairs,
            "mouth_splats": int(count), "clips": clips,
            "vertical_r": _pearson(torch.cat(pred_mean).double(), torch.cat(target_mean).double())}


def _pearson(a: torch.Tensor, b: torch.Tensor) -> float | None:
    """Pearson r of two series; None with fewer than 3 values or a constant one."""
    if a.numel() < 3 or float(a.std()) == 0.0 or float(b.std()) == 0.0:
        return None
    return float(torch.corrcoef(torch.stack([a, b]))[0, 1])
