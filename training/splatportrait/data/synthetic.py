"""A synthetic talking-head dataset in the DATASET.md folder format, for tests and smoke runs.

The head is an ellipsoid of splats (skin shading, two eyes, a nose, a mouth) rendered with the
native rasterizer over a gradient background. The mouth opens with a synthetic speech envelope
e(t) in [0, 1] (syllable bumps); audio.wav is a 150 Hz buzz with harmonics times e(t), so the
log-mel energy and the mouth opening are tied, which is what the dynamic decoder must learn.
The camera orbits the head (yaw up to max_yaw degrees), as real clips' head motion does.
World = head space: origin at the head centre, +y down, +z from the front camera into the face."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import torch

from .. import features as feats
from ..geometry import look_at_view, orbit_view
from ..render import render
from .png import write_png

HEAD_RADII = (0.085, 0.11, 0.085)
CAMERA_DISTANCE = 0.8
FOV_Y_DEG = 30.0


def envelope(t: np.ndarray, seed: int, speech: bool = True) -> np.ndarray:
    """Syllable-like envelope in [0, 1] at times t (s): raised-cosine bumps of 0.12-0.3 s."""
    if not speech:
        return np.zeros_like(t)
    rng = np.random.default_rng(seed)
    e = np.zeros_like(t)
    s = 0.1
    while s < t[-1] + 0.3:
        dur = rng.uniform(0.12, 0.3)
        amp = rng.uniform(0.5, 1.0)
        x = (t - s) / dur
        e = np.maximum(e, np.where((x >= 0) & (x <= 1), amp * 0.5 * (1 - np.cos(2 * np.pi * x)), 0.0))
        s += dur + rng.uniform(0.02, 0.25)
    return e


def head_splats(mouth_open: float, seed: int = 0, skin=(0.85, 0.62, 0.48)) -> dict:
    rng = np.random.default_rng(seed)
    rx, ry, rz = HEAD_RADII
    n = 1800
    u = rng.normal(size=(n, 3))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    pts = u * np.array(HEAD_RADII)
    shade = 0.75 + 0.25 * np.clip(-u[:, 2], 0, 1)  # brighter facing the front camera
    col = np.array(skin)[None, :] * shade[:, None]
    col[u[:, 1] < -0.55] = (0.25, 0.15, 0.1)  # hair on top
    feats_pts, feats_col = [], []

    def front(x, y, dz=0.003):
        z = -rz * np.sqrt(np.clip(1 - (x / rx) ** 2 - (y / ry) ** 2, 0.0, 1.0)) - dz
        return np.stack([x, y, z], axis=-1)

    for ex in (-0.032, 0.032):  # eyes
        a = rng.uniform(0, 2 * np.pi, 40)
        r = np.sqrt(rng.uniform(0, 1, 40)) * 0.011
        feats_pts.append(front(ex + r * np.cos(a), -0.025 + 0.6 * r * np.sin(a)))
        feats_col.append(np.tile((0.08, 0.06, 0.05), (40, 1)))
    ny = rng.uniform(-0.01, 0.025, 30)  # nose ridge
    feats_pts.append(front(rng.uniform(-0.006, 0.006, 30), ny, dz=0.012))
    feats_col.append(np.tile((0.7, 0.45, 0.35), (30, 1)))
    h = 0.003 + 0.02 * mouth_open  # mouth: half-height grows with the envelope
    m = 90
    a = rng.uniform(0, 2 * np.pi, m)
    r = np.sqrt(rng.uniform(0, 1, m))
    feats_pts.append(front(0.028 * r * np.cos(a), 0.055 + h * r * np.sin(a), dz=0.004))
    feats_col.append(np.tile((0.35, 0.05, 0.07), (m, 1)))
    pts = np.concatenate([pts] + feats_pts)
    col = np.concatenate([col] + feats_col)
    k = pts.shape[0]
    scales = np.full((k, 3), 0.009)
    scales[n:] = 0.0045
    return {
        "means": torch.tensor(pts, dtype=torch.float32),
        "scales": torch.tensor(scales, dtype=torch.float32),
        "quats": torch.tensor([[1.0, 0, 0, 0]]).repeat(k, 1),
        "opacities": torch.full((k,), 0.95),
        "colors": torch.tensor(np.clip(col, 0, 1), dtype=torch.float32),
    }


def background(size: int, seed: int) -> torch.Tensor:
    rng = np.random.default_rng(seed + 1000)
    c0, c1 = rng.uniform(0.2, 0.9, 3), rng.uniform(0.2, 0.9, 3)
    y = np.linspace(0, 1, size)[:, None, None]
    img = c0 * (1 - y) + c1 * y
    return torch.tensor(np.broadcast_to(img, (size, size, 3)).copy(), dtype=torch.float32)


def intrinsics(size: int) -> dict:
    f = 0.5 * size / math.tan(math.radians(FOV_Y_DEG) / 2)
    return {"fx": f, "fy": f, "cx": size / 2, "cy": size / 2}


def make_clip(root: str, clip_id: str, frames: int, size: int = 64, fps: int = 25, seed: int = 0,
              speech: bool = True, max_yaw: float = 10.0, split: str = "train") -> dict:
    """Writes one clip folder; returns its index entry."""
    d = os.path.join(root, clip_id)
    os.makedirs(os.path.join(d, "frames"), exist_ok=True)
    t = np.arange(frames) / fps
    sr = 16000
    ts = np.arange(int(round(frames / fps * sr))) / sr
    env_s = envelope(ts, seed, speech)
    buzz = sum(np.sin(2 * np.pi * 150 * h * ts + h) / h for h in range(1, 8))
    wav = (0.25 * env_s * buzz / 2.0).astype(np.float32)
    feats.write_wav(os.path.join(d, "audio.wav"), wav, sr)
    mouth = np.interp(t, ts, env_s) if speech else np.zeros(frames)
    k = intrinsics(size)
    base = look_at_view((0.0, 0.0, -CAMERA_DISTANCE))
    bg = background(size, seed)
    views = []
    for j in range(frames):
        yaw = max_yaw * math.sin(2 * math.pi * j / max(frames, 2) + seed)
        view = orbit_view(base, yaw, 0.3 * max_yaw * math.sin(2 * math.pi * j / max(frames, 2) * 0.5))
        views.append(view.numpy())
        sp = {kk: v[None] for kk, v in head_splats(float(mouth[j]), seed).items()}
        with torch.no_grad():
            rgb, _ = render(sp, view[None], torch.tensor([[k["fx"], k["fy"], k["cx"], k["cy"]]]), size, bg[None])
        write_png(os.path.join(d, "frames", f"{j:06d}.png"), np.round(rgb[0].numpy() * 255).astype(np.uint8))
    np.asarray(views, dtype="<f4").tofile(os.path.join(d, "cameras.f32"))
    np.zeros((frames, 0, 2), dtype="<f4").tofile(os.path.join(d, "landmarks.f32"))
    meta = {"id": clip_id, "split": split, "source": f"synthetic/{clip_id}", "source_fps": fps, "frames": frames,
            "size": size, "intrinsics": k, "crop": {"x": 0, "y": 0, "size": size}, "landmarks": 0,
            "has_speech": bool(speech), "mouth_open": [float(x) for x in mouth]}
    with open(os.path.join(d, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f)
    return {"id": clip_id, "split": split, "frames": frames, "source": meta["source"]}


def make_dataset(root: str, clips: int = 2, frames: int = 24, size: int = 64, fps: int = 25,
                 silent: bool = True, val: int = 0) -> str:
    """A dataset folder with `clips` talking clips (+ one silent clip if silent, + `val` talking
    clips of split "val" with unseen envelopes and colours). Returns root."""
    os.makedirs(root, exist_ok=True)
    entries = [make_clip(root, f"synth{i:02d}", frames, size, fps, seed=i) for i in range(clips)]
    entries += [make_clip(root, f"val{i:02d}", frames, size, fps, seed=50 + i, split="val") for i in range(val)]
    if silent:
        entries.append(make_clip(root, "silent00", frames, size, fps, seed=99, speech=False))
    with open(os.path.join(root, "index.json"), "w", encoding="utf-8") as f:
        json.dump({"version": 1, "size": size, "fps": fps, "clips": entries}, f, indent=1)
    return root
