"""Training: stage I (static, Eq. 1 + 5) and stage II (dynamic, Eq. 2 + 6), checkpoints, DDP.

Per step, for a batch of pairs (source i, future n) of the same clip:
  static generator(I_i, source camera) -> splats, background (+ dynamic offsets for I_n in stage II)
  render I_i* (no offsets) and I_n* (stage I: no offsets; stage II: offsets, = I_n**) at their
  cameras, each twice: over a random flat colour and over the predicted background (paper 3.1);
  loss = sum over the two frames of the mean over the two renders of MSE + λ·perceptual
         (+ loss.mouth_weight · MSE inside the frame's mouth box, when set)
  + loss.lip_landmark_weight · lip keypoint reprojection of the target frame (stage II, when set),
  + weight · L_SDS at a random extreme view (paper 3.3) when sds.enabled and a denoiser is given.
Stage II trains the dynamic decoder and, unless train.freeze_static, the static generator too
(the paper keeps L_static in stage II "to maintain the static reconstruction ability", i.e. it
fine-tunes both; freeze_static=true trains the decoder alone, e.g. on small data).

Optimiser: AdamW, lr 2.5e-5 and weight decay 1e-5 (paper 3.4), configurable.
Distributed: under torchrun (WORLD_SIZE > 1) the model is wrapped in DistributedDataParallel
(nccl on CUDA, gloo on CPU) and each rank draws its own pairs. Only the single-process path is
tested here."""

from __future__ import annotations

import json
import os
import random
import shutil
import time

import numpy as np
import torch

from . import features as feats
from . import losses
from .geometry import orbit_view
from .data.mouth import LIP_PAIRS, LIPS
from .model import SplatPortrait

# LIP_PAIRS as positions in the LIPS order the samples carry.
LIP_PAIR_POSITIONS = [(LIPS.index(a), LIPS.index(b)) for a, b in LIP_PAIRS]
from .render import render


class Trainer:
    def __init__(self, cfg: dict, dataset, out_dir: str | None = None, device: str = "cpu",
                 denoiser: losses.Denoiser | None = None, log=print):
        self.cfg = cfg
        self.ds = dataset
        self.out_dir = out_dir
        self.log = log
        self.denoiser = denoiser
        t = cfg["train"]
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        if self.world > 1:
            import torch.distributed as dist

            if not dist.is_initialized():
                dist.init_process_group("nccl" if device.startswith("cuda") else "gloo")
            if device.startswith("cuda"):
                device = f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}"
                torch.cuda.set_device(device)
        self.device = torch.device(device)
        torch.manual_seed(t["seed"])
        random.seed(t["seed"])
        self.model = SplatPortrait(cfg).to(self.device)
        from .data import PairSampler

        self.sampler = PairSampler(dataset, t["max_pair_gap"], t["seed"], self.rank,
                                   t.get("stage2_silent_clips", False), t.get("stage2_min_sync"))
        self.gen = torch.Generator().manual_seed(t["seed"] * 1000 + self.rank)
        self.stage = 1
        self.step = 0
        self.opt = None
        self.ddp = None
        self.set_stage(1)

    # ---- stages ---------------------------------------------------------------------------------

    def set_stage(self, stage: int) -> None:
        """Stage 1: static generator only. Stage 2: dynamic decoder, plus the static generator
        unless train.freeze_static. A fresh AdamW is made for the trainable parameters."""
        t = self.cfg["train"]
        self.stage = stage
        self._static_cache: dict = {}  # frozen_static's, valid while the static weights hold still
        train_static = stage == 1 or not t["freeze_static"]
        for p in self.model.static.parameters():
            p.requires_grad_(train_static)
        for p in self.model.dynamic.parameters():
            p.requires_grad_(stage == 2)
        groups = []
        if train_static:
            groups.append({"params": list(self.model.static.parameters()), "lr": t["lr"] * (t["static_lr_scale"] if stage == 2 else 1.0)})
        if stage == 2:
            groups.append({"params": list(self.model.dynamic.parameters()), "lr": t["lr"]})
        self.opt = torch.optim.AdamW(groups, lr=t["lr"], weight_decay=t["weight_decay"])
        self.ddp = None
        if self.world > 1:
            from torch.nn.parallel import DistributedDataParallel as DDP

            ids = [self.device.index] if self.device.type == "cuda" else None
            self.ddp = DDP(self.model, device_ids=ids)

    # ---- one step -------------------------------------------------------------------------------

    def losses(self, batch: dict) -> dict:
        cfg, lc = self.cfg, self.cfg["loss"]
        r = cfg["resolution"]
        b = {k: v.to(self.device) for k, v in batch.items()}
        fwd = self.ddp if self.ddp is not None else self.model
        dyn = self.stage == 2
        if dyn and not lc.get("photometric", True):
            return self.keypoint_losses(b)
        splats, bg, offsets = fwd(b["src_image"], b["src_c2w"], b["intrinsics"],
                                  b["audio"] if dyn else None, b["time_delta"] if dyn else None)
        threads = cfg["train"]["render_threads"]
        out = {"recon": 0.0, "psnr": 0.0}
        mouth_weight = lc.get("mouth_weight", 0.0)
        frames = ((b["src_view"], b["src_image"], b.get("src_mouth"), None),
                  (b["tgt_view"], b["tgt_image"], b.get("tgt_mouth"), offsets))
        for view, image, mouth, off in frames:
            target = image.permute(0, 2, 3, 1)
            terms = []
            if lc["random_bg"]:
                colour = torch.rand((view.shape[0], 3), generator=self.gen).to(self.device)
                rgb, _ = render(splats, view, b["intrinsics"], r, colour, off, threads)
                terms.append(losses.reconstruction(rgb, target, lc["perceptual"], lc["perceptual_weight"],
                                                   mouth, mouth_weight))
            if lc["predicted_bg"]:
                rgb, _ = render(splats, view, b["intrinsics"], r, bg, off, threads)
                terms.append(losses.reconstruction(rgb, target, lc["perceptual"], lc["perceptual_weight"],
                                                   mouth, mouth_weight))
                out["psnr"] = out["psnr"] + float(losses.psnr(rgb.detach(), target)) / 2
            if terms:
                out["recon"] = out["recon"] + sum(terms) / len(terms)
        total = out["recon"]
        lip_weight = lc.get("lip_landmark_weight", 0.0)
        if lip_weight and offsets is not None and "tgt_lips" in b:
            lips = losses.lip_reprojection(splats["means"], offsets, b["src_lips"], b["tgt_lips"], b["tgt_view"],
                                           b["intrinsics"], b["lips_valid"], r)
            out["lips_px"] = float(lips.detach())
            total = total + lip_weight * lips
        if offsets is not None and "mouth_flow" in b:
            total = total + self.flow_term(splats, offsets, b, out)
        s = cfg["sds"]
        if s["enabled"] and self.denoiser is not None and self.step % s["every"] == 0:
            total = total + s["weight"] * self.sds_term(splats, bg, b, offsets)
        out["total"] = total
        if offsets is not None:
            out["offset_abs"] = float(offsets.detach().abs().mean())
        return out

    def keypoint_losses(self, b: dict) -> dict:
        """Stage II without rendering (loss.photometric false; not in the paper): the lip keypoint
        reprojection term, plus loss.offset_reg times the mean squared offset (world units, x1e4)
        of the splats outside the target's mouth box, so the rest of the face keeps still, plus
        loss.mouth_flow_weight times the expression-flow term (losses.mouth_flow). Cheap
        enough on a CPU to train the decoder for many steps on large batches (training/RUNS.md).
        It calls the model's parts directly, not the DDP wrapper: single process only."""
        lc = self.cfg["loss"]
        if self.cfg["train"]["freeze_static"]:
            splats, features = self.frozen_static(b)
        else:
            splats, _, dec = self.model.static(b["src_image"], b["src_c2w"], b["intrinsics"])
            features = self.model.dynamic.select_features(dec)
        # One decoder frame per batch element: features [B,...] pair with audio [B,...].
        offsets = self.model.dynamic(features, b["src_c2w"], b["audio"], b["time_delta"])
        lips = losses.lip_reprojection(splats["means"], offsets, b["src_lips"], b["tgt_lips"], b["tgt_view"],
                                       b["intrinsics"], b["lips_valid"], self.cfg["resolution"])
        opening = losses.lip_opening(splats["means"], offsets, b["src_lips"], b["tgt_lips"], b["tgt_view"],
                                     b["intrinsics"], b["lips_valid"], self.cfg["resolution"], LIP_PAIR_POSITIONS)
        outside = 1.0 - b["tgt_mouth"].flatten(1)  # [B,N]
        still = ((offsets ** 2).sum(dim=-1) * outside).sum() / outside.sum().clamp_min(1.0) * 1e4
        total = (lc.get("lip_landmark_weight", 1.0) * lips + lc.get("lip_opening_weight", 0.0) * opening
                 + lc.get("offset_reg", 0.0) * still)
        out = {"recon": 0.0, "psnr": 0.0, "lips_px": float(lips.detach()), "opening_px": float(opening.detach()),
               "still": float(still.detach()), "offset_abs": float(offsets.detach().abs().mean())}
        out["total"] = total + self.flow_term(splats, offsets, b, out)
        return out

    def flow_term(self, splats: dict, offsets: torch.Tensor, b: dict, out: dict) -> torch.Tensor | float:
        """loss.mouth_flow_weight times the expression-flow term (0 when off), its value in
        out["flow_px2"]. The flow steers only the offsets: the splat means it is measured at are
        detached (the photometric term's to move, when the static part trains)."""
        weight = self.cfg["loss"].get("mouth_flow_weight", 0.0)
        if not weight:
            return 0.0
        flow = losses.mouth_flow(splats["means"].detach(), offsets, b["src_view"], b["intrinsics"], b["mouth_flow"],
                                 b["lips_valid"])
        out["flow_px2"] = float(flow.detach())
        return weight * flow

    def frozen_static(self, b: dict) -> tuple[dict, list[torch.Tensor]]:
        """The frozen static generator's splat means and decoder features for each source frame
        of the batch, computed once per (clip, frame) and cached: with the static part frozen,
        they never change, and the static forward is most of a decoder-only step's time."""
        cache = self._static_cache
        keys = list(zip(b["clip_index"].tolist(), b["src_frame"].tolist()))
        missing = [k for k in dict.fromkeys(keys) if k not in cache]
        if missing:
            rows = [keys.index(k) for k in missing]
            with torch.no_grad():
                splats, _, dec = self.model.static(b["src_image"][rows], b["src_c2w"][rows], b["intrinsics"][rows])
                feats = self.model.dynamic.select_features(dec)
            for j, k in enumerate(missing):
                cache[k] = (splats["means"][j], [f[j] for f in feats])
        means = torch.stack([cache[k][0] for k in keys])
        features = [torch.stack([cache[k][1][level] for k in keys]) for level in range(len(cache[keys[0]][1]))]
        return {"means": means}, features

    def sds_term(self, splats, bg, b, offsets) -> torch.Tensor:
        """Render at a random bullet-effect view (yaw up to ±max_yaw, pitch up to ±max_pitch about
        the head centre, the world origin) and distil the denoiser's Euler-denoised image."""
        s = self.cfg["sds"]
        views = []
        for v in b["src_view"]:
            u = torch.rand(2, generator=self.gen) * 2 - 1
            views.append(orbit_view(v.cpu(), float(u[0]) * s["max_yaw_deg"], float(u[1]) * s["max_pitch_deg"]))
        rgb, _ = render(splats, torch.stack(views).to(self.device), b["intrinsics"], self.cfg["resolution"], bg,
                        offsets, self.cfg["train"]["render_threads"])
        loss, _ = losses.sds_loss(rgb, self.denoiser, s, self.gen)
        return loss

    def train_step(self) -> dict:
        t = self.cfg["train"]
        self.model.train()
        batch = self.sampler.batch(t["batch_size"], forward_only=self.stage == 2)
        if self.stage == 2 and t.get("audio_gain_db"):
            gains = (torch.rand(batch["audio"].shape[0], generator=self.gen) * 2 - 1) * float(t["audio_gain_db"])
            batch["audio"] = feats.shift_gain(batch["audio"], gains)
        if self.stage == 2 and (t.get("audio_mask_mels") or t.get("audio_mask_frames")):
            batch["audio"] = feats.mask_bands(batch["audio"], int(t.get("audio_mask_mels", 0)),
                                              int(t.get("audio_mask_frames", 0)), self.gen)
        out = self.losses(batch)
        self.opt.zero_grad(set_to_none=True)
        out["total"].backward()
        if t["grad_clip"]:
            torch.nn.utils.clip_grad_norm_([p for g in self.opt.param_groups for p in g["params"]], t["grad_clip"])
        self.opt.step()
        self.step += 1
        return {k: float(v) for k, v in out.items()}

    def run(self, steps: int, ckpt_every: int | None = None, log_every: int | None = None) -> list[dict]:
        t = self.cfg["train"]
        ckpt_every = ckpt_every or t["ckpt_every"]
        log_every = log_every or t["log_every"]
        keep_every = t.get("keep_every", 0)
        history = []
        t0 = time.time()
        for _ in range(steps):
            rec = self.train_step()
            rec.update(step=self.step, stage=self.stage)
            history.append(rec)
            if self.rank == 0 and log_every and self.step % log_every == 0:
                rec["sec_per_step"] = (time.time() - t0) / log_every
                t0 = time.time()
                self.log(json.dumps({k: (round(v, 6) if isinstance(v, float) else v) for k, v in rec.items()}))
            if self.out_dir and self.rank == 0 and ckpt_every and self.step % ckpt_every == 0:
                latest = os.path.join(self.out_dir, f"stage{self.stage}_latest.pt")
                self.save(latest)
                if keep_every and self.step % keep_every == 0:  # for choosing a step on held-out data later
                    shutil.copyfile(latest, os.path.join(self.out_dir, f"stage{self.stage}_step{self.step:06d}.pt"))
        return history

    # ---- checkpoints ----------------------------------------------------------------------------

    def state(self) -> dict:
        return {
            "config": self.cfg,
            "stage": self.stage,
            "step": self.step,
            "model": self.model.state_dict(),
            "optimizer": self.opt.state_dict(),
            "rng": {"torch": torch.get_rng_state(), "gen": self.gen.get_state(), "sampler": self.sampler.state(),
                    "numpy": np.random.get_state(), "python": random.getstate()},
        }

    def save(self, path: str) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        tmp = path + ".tmp"
        torch.save(self.state(), tmp)
        os.replace(tmp, path)  # a crash mid-write never leaves a torn checkpoint

    def load(self, path: str, weights_only: bool = False) -> None:
        """Resume (weights_only=False: optimiser, step, stage and every RNG too) or initialise
        from a checkpoint (weights_only=True: e.g. stage II from the stage I result)."""
        st = torch.load(path, map_location=self.device)
        weights = st["model"]
        if weights_only:
            # An architecture change (dynamic.audio_bands, dynamic.motion_rank) keeps every other
            # weight: layers whose shape differs or that the checkpoint lacks start from their
            # initialisation, layers this model lacks are dropped, and each is named.
            own = self.model.state_dict()
            reshaped = [k for k, v in weights.items() if k in own and own[k].shape != v.shape]
            new = [k for k in own if k not in weights]
            dropped = [k for k in weights if k not in own]
            for what, keys in (("shape differs, left at initialisation", reshaped),
                               ("not in the checkpoint, left at initialisation", new),
                               ("not in this model, dropped", dropped)):
                if keys:
                    print(f"init from {path}: {what}: {', '.join(keys)}", flush=True)
            weights = {k: (weights[k] if k in weights and k not in reshaped else own[k]) for k in own}
        self.model.load_state_dict(weights)
        self._static_cache = {}
        if weights_only:
            return
        self.set_stage(st["stage"])
        self.opt.load_state_dict(st["optimizer"])
        self.step = st["step"]
        r = st["rng"]
        torch.set_rng_state(r["torch"])
        self.gen.set_state(r["gen"])
        self.sampler.set_state(r["sampler"])
        np.random.set_state(r["numpy"])
        random.setstate(r["python"])
