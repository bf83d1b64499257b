"""Reader of the prepared dataset (training/DATASET.md) and the pair sampler of paper 3.1/3.2.

A sample is a pair (source frame i, future frame n) of one clip:
  src_image, tgt_image  [3,R,R] float32 0..1 (frames resized to the config's resolution by
                        area averaging when the dataset is larger)
  src_view, tgt_view    [4,4] world-to-camera; src_c2w [4,4] its inverse
  intrinsics            [4] fx, fy, cx, cy in pixels of the R x R image
  audio                 [K,W,n_mels] log-mel windows around frame n (features.attention_stack)
  time_delta            [] seconds, (n - i) / fps
  src_mouth, tgt_mouth  [R,R] float32 1 inside the frame's padded lip box (data/mouth.py), else 0
  src_lips, tgt_lips    [L,2] float32 lip landmarks (data/mouth.py LIPS) in model pixels
  lips_valid            [] 1.0 when both frames have lip landmarks, else 0.0
  clip_index, src_frame []  int64: which clip and source frame (for caches of per-frame results)
  mouth_flow            [R,R,2] float32 pose-free expression flow from frame i to n in model
                        pixels (data/mouth.expression_flow), only when loss.mouth_flow_weight > 0;
                        with loss.mouth_flow_target "envelope", the source face with its jaw
                        opened to frame n's speech loudness instead (Clip.envelope_flow)
Frames are decoded once and cached as .npy beside the PNGs' folder (frames_<R>.npy) when the
folder is writable, else kept in memory."""

from __future__ import annotations

import json
import os

import numpy as np
import torch

from .. import features as feats
from ..audio.level import level_gain
from .mouth import (LIPS, box_mask, clip_landmarks, expression_flow, jaw_open_landmarks, lip_points, mouth_boxes,
                    speech_envelope)
from .png import read_png


def _resize_area(img: np.ndarray, size: int) -> np.ndarray:
    h = img.shape[0]
    if h == size:
        return img
    if h % size:
        raise ValueError(f"frames are {h}px; resolution {size} must divide it")
    f = h // size
    return img.reshape(size, f, size, f, 3).mean(axis=(1, 3))


# Stage II learns lip motion from speech, so a clip's track must carry audible speech: its
# loudest frames (95th-percentile frame RMS) at -40 dBFS or more. Room tone sits at -60 to
# -45 dBFS, and speech at -30 to -10. A "talking" clip whose track is near-silent but whose mouth
# moves (liveportrait_d9: -63 dBFS) would teach the decoder that room tone means talking.
MIN_SPEECH_RMS = 0.01


def frame_rms(wav: np.ndarray, frames: int) -> np.ndarray:
    """[frames] RMS of each video frame's share of the audio (frame j: samples j*hop .. (j+1)*hop)."""
    wav = wav.astype(np.float64)
    hop = len(wav) / max(1, frames)
    return np.array([np.sqrt(np.mean(wav[int(j * hop):int((j + 1) * hop)] ** 2)) if int(j * hop) < len(wav) else 0.0
                     for j in range(frames)])


class Clip:
    def __init__(self, root: str, clip_id: str, resolution: int, fps: float, window: int,
                 level_normalise: bool = False):
        self.dir = os.path.join(root, clip_id)
        with open(os.path.join(self.dir, "meta.json"), "r", encoding="utf-8") as f:
            self.meta = json.load(f)
        self.id = clip_id
        self.frames = int(self.meta["frames"])
        self.size = int(self.meta["size"])
        self.resolution = resolution
        k = self.meta["intrinsics"]
        s = resolution / self.size
        self.intrinsics = np.array([k["fx"] * s, k["fy"] * s, k["cx"] * s, k["cy"] * s], dtype=np.float32)
        cams = np.fromfile(os.path.join(self.dir, "cameras.f32"), dtype="<f4")
        if cams.size != self.frames * 16:
            raise ValueError(f"{self.dir}/cameras.f32: {cams.size} floats, want frames*16 = {self.frames * 16}")
        self.views = cams.reshape(self.frames, 4, 4)
        self.fps = fps
        wav_path = os.path.join(self.dir, "audio.wav")
        wav = feats.read_wav(wav_path) if os.path.exists(wav_path) else np.zeros(0, dtype=np.float32)
        # audio.level_normalise: the features of the clip brought to a common speech level
        # (audio/level.py), as the app does for a pack whose model.json states the rule.
        gain = level_gain(wav) if level_normalise and wav.size else 1.0
        self.windows = feats.video_windows(feats.clip_features(wav * np.float32(gain)), self.frames, fps, window)
        self.rms = frame_rms(wav, self.frames) if wav.size else np.zeros(self.frames)
        self.speech_level = float(np.percentile(self.rms, 95)) if wav.size else 0.0
        self._images = None
        self._mouth_boxes = None
        self._envelope: tuple[float, np.ndarray] | None = None  # (floor, openness per frame)
        self._landmarks: np.ndarray | None | bool = False  # False: not read yet

    def landmarks(self) -> np.ndarray | None:
        if self._landmarks is False:
            self._landmarks = clip_landmarks(self.dir, self.frames, int(self.meta.get("landmarks", 0) or 0))
        return self._landmarks  # type: ignore[return-value]

    def lips(self, frame: int) -> tuple[np.ndarray, float]:
        return lip_points(self.landmarks(), frame, self.size, self.resolution)

    def audible(self) -> bool:
        """Whether the clip's track carries audible speech (MIN_SPEECH_RMS)."""
        return self.speech_level >= MIN_SPEECH_RMS

    def sync_score(self, max_lag: int = 2) -> float:
        """How well the clip's mouth follows its audio: the best Pearson correlation, over lags of
        up to max_lag frames, between the inner-lip opening (landmarks 13-14) and the frame RMS
        of audio.wav; -1 when either is constant or missing (no landmarks, silent or inaudible
        audio). A cheap, download-free stand-in for the SyncNet filtering talking-head datasets use."""
        lm = self.landmarks()
        if lm is None or not self.audible():
            return -1.0
        opening = np.linalg.norm(lm[:, 13] - lm[:, 14], axis=1).astype(np.float64)
        rms = self.rms
        best = -1.0
        for lag in range(-max_lag, max_lag + 1):
            a = opening[max(0, lag):self.frames + min(0, lag)]
            b = rms[max(0, -lag):self.frames - max(0, lag)]
            if len(a) > 2 and a.std() > 0 and b.std() > 0 and np.all(np.isfinite(a)):
                best = max(best, float(np.corrcoef(a, b)[0, 1]))
        return best

    def smoothed_landmarks(self, frame: int, smooth: int = 1) -> np.ndarray | None:
        """[L, 2] the frame's landmarks averaged over `smooth` frames centred on it (landmark
        jitter is noise the audio cannot predict); None without finite lip landmarks."""
        lm = self.landmarks()
        if lm is None or lm.shape[1] <= max(LIPS):
            return None
        h = max(0, int(smooth) // 2)
        out = lm[max(0, frame - h):min(self.frames, frame + h + 1)].mean(axis=0)
        return out if np.all(np.isfinite(out)) else None

    def expression_flow(self, i: int, n: int, smooth: int = 1) -> np.ndarray:
        """[R, R, 2] pose-free flow of the face from frame i to frame n (data/mouth.py), each
        frame's landmarks smoothed over `smooth` frames; zeros when a frame has no finite landmarks."""
        a, b = self.smoothed_landmarks(i, smooth), self.smoothed_landmarks(n, smooth)
        if a is None or b is None:
            return np.zeros((self.resolution, self.resolution, 2), dtype=np.float32)
        return expression_flow(a, b, self.size, self.resolution)

    def envelope_flow(self, i: int, n: int, max_opening: float, floor: float, smooth: int = 1) -> np.ndarray:
        """[R, R, 2] flow of the source frame i's face with its jaw opened by the loudness of frame
        n's speech (data/mouth.speech_envelope, jaw_open_landmarks): the loss.mouth_flow_target
        "envelope" target. Zeros when frame i has no finite landmarks; an inaudible track gives
        a still face throughout."""
        src = self.smoothed_landmarks(i, smooth)
        if src is None:
            return np.zeros((self.resolution, self.resolution, 2), dtype=np.float32)
        if self._envelope is None or self._envelope[0] != floor:
            env = speech_envelope(self.rms, floor) if self.audible() else np.zeros(self.frames, np.float32)
            self._envelope = (floor, env)
        return expression_flow(src, jaw_open_landmarks(src, float(self._envelope[1][n]), max_opening), self.size, self.resolution)

    def mouth_box(self, frame: int) -> np.ndarray:
        """(x0, y0, x1, y1) crop pixels of the frame's padded lip box."""
        if self._mouth_boxes is None:
            self._mouth_boxes = mouth_boxes(self.landmarks(), self.frames, self.size)
        return self._mouth_boxes[frame]

    def mouth_mask(self, frame: int) -> np.ndarray:
        """[R, R] float32 mask of the frame's mouth box at the model resolution."""
        return box_mask(self.mouth_box(frame), self.size, self.resolution)

    def images(self) -> np.ndarray:
        """[frames, R, R, 3] uint8."""
        if self._images is None:
            cache = os.path.join(self.dir, f"frames_{self.resolution}.npy")
            if os.path.exists(cache):
                self._images = np.load(cache)
            else:
                frames_dir = os.path.join(self.dir, "frames")
                imgs = [_resize_area(read_png(os.path.join(frames_dir, f"{i:06d}.png")).astype(np.float32),
                                     self.resolution) for i in range(self.frames)]
                self._images = np.round(np.stack(imgs)).astype(np.uint8)
                try:
                    np.save(cache, self._images)
                except OSError:
                    pass
        return self._images


class PreparedDataset:
    """All clips of one split of a prepared dataset folder."""

    def __init__(self, root: str, cfg: dict, split: str | None = "train", clip_ids: list[str] | None = None):
        with open(os.path.join(root, "index.json"), "r", encoding="utf-8") as f:
            self.index = json.load(f)
        a = cfg["audio"]
        self.fps = float(self.index.get("fps", cfg["fps"]))
        self.att_frames = a["att_frames"]
        self.with_flow = bool(cfg.get("loss", {}).get("mouth_flow_weight", 0.0))
        self.flow_smooth = int(cfg.get("loss", {}).get("mouth_flow_smooth", 1))
        loss = cfg.get("loss", {})
        self.flow_target = loss.get("mouth_flow_target", "landmarks")
        if self.flow_target not in ("landmarks", "envelope"):
            raise ValueError(f"loss.mouth_flow_target must be 'landmarks' or 'envelope'; got {self.flow_target!r}")
        self.envelope_opening = float(loss.get("envelope_opening", 0.3))
        self.envelope_floor = float(loss.get("envelope_floor", 0.2))
        ids = [c["id"] for c in self.index["clips"] if split is None or c.get("split", "train") == split]
        if clip_ids is not None:
            ids = [i for i in ids if i in clip_ids]
        if not ids:
            raise ValueError(f"{root}: no clips in split {split!r}")
        self.root = root
        self.clips = [Clip(root, i, cfg["resolution"], self.fps, a["window"], bool(a.get("level_normalise", False)))
                      for i in ids]

    def intrinsics(self) -> np.ndarray:
        return self.clips[0].intrinsics

    def camera_distance(self) -> float:
        """Median distance of the cameras from the world origin (the head centre): for an
        automatic depth range (config depth near/far null)."""
        d = []
        for c in self.clips:
            inv = np.linalg.inv(c.views.astype(np.float64))
            d.append(np.linalg.norm(inv[:, :3, 3], axis=1))
        return float(np.median(np.concatenate(d)))

    def sample(self, clip: int, i: int, n: int) -> dict:
        c = self.clips[clip]
        imgs = c.images()
        src_view = torch.from_numpy(c.views[i].copy())
        src_lips, src_ok = c.lips(i)
        tgt_lips, tgt_ok = c.lips(n)
        out = {
            "src_image": torch.from_numpy(imgs[i]).permute(2, 0, 1).float() / 255.0,
            "tgt_image": torch.from_numpy(imgs[n]).permute(2, 0, 1).float() / 255.0,
            "src_view": src_view,
            "src_c2w": torch.linalg.inv(src_view.double()).float(),
            "tgt_view": torch.from_numpy(c.views[n].copy()),
            "intrinsics": torch.from_numpy(c.intrinsics.copy()),
            "audio": torch.from_numpy(feats.attention_stack(c.windows, [n], self.att_frames)[0]),
            "time_delta": torch.tensor((n - i) / self.fps, dtype=torch.float32),
            "src_mouth": torch.from_numpy(c.mouth_mask(i)),
            "tgt_mouth": torch.from_numpy(c.mouth_mask(n)),
            "src_lips": torch.from_numpy(src_lips),
            "tgt_lips": torch.from_numpy(tgt_lips),
            "lips_valid": torch.tensor(src_ok * tgt_ok, dtype=torch.float32),
            "clip_index": torch.tensor(clip, dtype=torch.int64),
            "src_frame": torch.tensor(i, dtype=torch.int64),
        }
        if self.with_flow:
            if self.flow_target == "envelope":
                flow = c.envelope_flow(i, n, self.envelope_opening, self.envelope_floor, self.flow_smooth)
            else:
                flow = c.expression_flow(i, n, self.flow_smooth)
            out["mouth_flow"] = torch.from_numpy(flow)
        return out


class PairSampler:
    """Random (clip, source, future) triples from a numpy Generator (its state is checkpointed).
    Stage I takes any pair within max_gap frames; stage II a strictly later future frame
    (n > i), since the time delta runs forward from the source frame."""

    def __init__(self, dataset: PreparedDataset, max_gap: int, seed: int, rank: int = 0,
                 stage2_silent_clips: bool = False, stage2_min_sync: float | None = None):
        self.ds = dataset
        self.max_gap = max(1, int(max_gap))
        self.rng = np.random.default_rng([seed, rank])
        # Stage II learns lip motion from speech: clips without speech (silent/ videos, whose
        # mouths may still move, and talking clips whose track is silent or inaudible) are left
        # out unless asked for, or unless there is nothing else.
        speech = [i for i, c in enumerate(dataset.clips) if c.meta.get("has_speech", True) and c.audible()]
        self.stage2_clips = list(range(len(dataset.clips))) if stage2_silent_clips or not speech else speech
        if stage2_min_sync is not None:
            # Only clips whose mouth visibly follows their audio (Clip.sync_score).
            synced = [i for i in self.stage2_clips if dataset.clips[i].sync_score() >= stage2_min_sync]
            self.stage2_clips = synced or self.stage2_clips

    def draw(self, forward_only: bool) -> tuple[int, int, int]:
        pool = self.stage2_clips if forward_only else range(len(self.ds.clips))
        clip = int(pool[int(self.rng.integers(len(pool)))])
        frames = self.ds.clips[clip].frames
        if frames < 2:
            return clip, 0, 0
        i = int(self.rng.integers(frames - 1 if forward_only else frames))
        lo = i + 1 if forward_only else max(0, i - self.max_gap)
        hi = min(frames - 1, i + self.max_gap)
        n = int(self.rng.integers(lo, hi + 1))
        return clip, i, n

    def batch(self, size: int, forward_only: bool) -> dict:
        items = [self.ds.sample(*self.draw(forward_only)) for _ in range(size)]
        return {k: torch.stack([it[k] for it in items]) for k in items[0]}

    def state(self) -> dict:
        return self.rng.bit_generator.state

    def set_state(self, state: dict) -> None:
        self.rng.bit_generator.state = state
