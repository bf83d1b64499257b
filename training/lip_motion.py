#!/usr/bin/env python3
"""Acceptance check "the mouth region moves more during speech than during silence on a val clip".

  /usr/bin/python3 training/lip_motion.py --checkpoint runs/tiny/stage2_latest.pt --data DATASET \
      --clip retalking_5 [--source-frame 0] [--stride 1] [--hangover 0.2]

The static generator runs once on the source frame; the dynamic decoder then runs for every
`stride`-th frame j of the clip with that frame's audio window and time delta (j - source) / fps
(as stage II and the app's baking do). Per frame: the mean |offset| (L2 norm per splat, world
units) of the splats whose source pixel lies in the mouth box, and of the rest of the face.

Mouth box: the lip landmarks of the source frame (478-point MediaPipe mesh, LIPS below) padded by
20 % per side, scaled from crop pixels to the model resolution. Face box: the bounding box of all
landmarks of the source frame; "rest of the face" = face box minus mouth box. A clip without
landmarks (the synthetic dataset) uses fixed fractions of the crop (DEFAULT_*_BOX).

Speech / silence per frame: RMS of the frame's 40 ms of audio.wav (samples j*sr/fps ..
(j+1)*sr/fps); voiced when RMS > 20 % of the clip's 95th-percentile RMS. Speech is every frame
within 200 ms of a voiced frame (SPEECH_HANGOVER_S, a voice-activity detector's hangover, before
and after): the lips open before a word is heard and close after it ends, and the short dips
between syllables and words are part of speaking, not silence. Silence is what is left: pauses
longer than 0.4 s and the lead-in and tail. `voiced_*` gives the frame counts without hangover.

Prints JSON: per region, mean offset during speech and silence, their ratio, the Pearson
correlation of the per-frame offset with the RMS; also "motion" variants (|offset - the region's
mean offset over the clip|: motion about the clip's mean pose, since a constant offset is a static
correction, not movement), the mouth motion in model pixels (mouth_motion_px: size of a pixel at
each splat's depth) and mouth/rest ratios. No pass/fail flag: read the speech/silence ratio of
mouth_motion together with mouth_over_rest_motion_speech (lip motion, not a global drift) and
mouth_motion_px (is the motion visible at all). mouth_movement_px / rest_movement_px: frame-to-frame
movement in model pixels (|offset_j - offset_j-1| over a pixel's world size), which, unlike motion
about the clip mean, is zero for a mouth that holds still in silence."""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from splatportrait import features as feats  # noqa: E402
from splatportrait.data.dataset import frame_rms as dataset_frame_rms  # noqa: E402
from splatportrait.data.mouth import (DEFAULT_FACE_BOX, DEFAULT_MOUTH_BOX, LIPS, MOUTH_PAD,  # noqa: E402,F401
                                      box_from_points as _box_from_points, box_mask, clip_landmarks)

SPEECH_FRACTION = 0.2  # of the clip's 95th-percentile frame RMS
SPEECH_HANGOVER_S = 0.2  # frames this close to a voiced frame count as speech


def speech_mask(rms: np.ndarray, fps: float, hangover_s: float = SPEECH_HANGOVER_S) -> tuple[np.ndarray, np.ndarray]:
    """(voiced, speech) per frame: voiced when the RMS passes SPEECH_FRACTION of the 95th
    percentile; speech = voiced widened by `hangover_s` on both sides."""
    p95 = float(np.percentile(rms, 95)) if rms.size else 0.0
    voiced = rms > SPEECH_FRACTION * p95 if p95 > 0 else np.zeros(rms.shape, dtype=bool)
    h = int(round(hangover_s * fps))
    speech = voiced.copy()
    for k in range(1, h + 1):
        speech[k:] |= voiced[:-k]
        speech[:-k] |= voiced[k:]
    return voiced, speech


def region_boxes(clip, source_frame: int) -> tuple[tuple, tuple, str]:
    """(mouth box, face box) in crop pixels of the clip (meta size), and where they came from."""
    size = clip.size
    lms = clip_landmarks(clip.dir, clip.frames, int(clip.meta.get("landmarks", 0) or 0))
    if lms is not None:
        lm = lms[source_frame]
        if lm.shape[0] > max(LIPS) and np.all(np.isfinite(lm)):
            return _box_from_points(lm[list(LIPS)], MOUTH_PAD), _box_from_points(lm, 0.0), "landmarks"
    mb = tuple(v * size for v in DEFAULT_MOUTH_BOX)
    fb = tuple(v * size for v in DEFAULT_FACE_BOX)
    return mb, fb, "default_fractions"


def region_masks(clip, source_frame: int, resolution: int) -> tuple[np.ndarray, np.ndarray, dict]:
    """Boolean masks over the N = R*R splats (index v*R + u; source pixel centre at +0.5)."""
    mb, fb, origin = region_boxes(clip, source_frame)
    mouth = box_mask(mb, clip.size, resolution).reshape(-1) > 0  # splat index v*R + u
    rest = (box_mask(fb, clip.size, resolution).reshape(-1) > 0) & ~mouth
    info = {"box_source": origin, "mouth_box_px": [round(x, 2) for x in mb], "face_box_px": [round(x, 2) for x in fb],
            "mouth_splats": int(mouth.sum()), "rest_splats": int(rest.sum())}
    return mouth, rest, info


def frame_rms(clip) -> np.ndarray:
    """[frames] RMS of each video frame's audio (frame j: [j, j+1) / fps seconds; audio.wav holds
    exactly frames / fps seconds, DATASET.md)."""
    path = os.path.join(clip.dir, "audio.wav")
    wav = feats.read_wav(path) if os.path.exists(path) else np.zeros(0, dtype=np.float32)
    return dataset_frame_rms(wav, clip.frames)


def _mean(x: np.ndarray):
    return float(x.mean()) if x.size else None


def _ratio(a, b):
    return float(a / b) if a is not None and b is not None and b > 0 else None


def _corr(a: np.ndarray, b: np.ndarray):
    if a.size < 2 or a.std() == 0 or b.std() == 0:
        return None
    return float(np.corrcoef(a, b)[0, 1])


@torch.no_grad()
def lip_motion(model, dataset, clip: int = 0, source_frame: int = 0, stride: int = 1, chunk: int = 16,
               hangover_s: float = SPEECH_HANGOVER_S) -> dict:
    """Per-frame mouth / rest-of-face offsets vs audio energy on one clip (see the module doc)."""
    model.eval()
    c = dataset.clips[clip]
    r = model.cfg["resolution"]
    i = min(max(0, int(source_frame)), c.frames - 1)
    s = dataset.sample(clip, i, i)
    splats, bg, dec = model.static(s["src_image"][None], s["src_c2w"][None], s["intrinsics"][None])
    features = model.dynamic.select_features(dec)
    mouth, rest, info = region_masks(c, i, r)
    mouth_t, rest_t = torch.from_numpy(mouth), torch.from_numpy(rest)
    frames = list(range(0, c.frames, max(1, int(stride))))
    mouth_off, rest_off, mouth_vec, rest_vec = [], [], [], []
    for k in range(0, len(frames), chunk):
        js = frames[k:k + chunk]
        audio = torch.from_numpy(feats.attention_stack(c.windows, js, dataset.att_frames))
        td = torch.tensor([(j - i) / c.fps for j in js], dtype=torch.float32)
        off = model.dynamic(features, s["src_c2w"][None], audio, td)  # [F,N,3] world
        mouth_off.append(off[:, mouth_t].norm(dim=-1).mean(dim=1))
        rest_off.append(off[:, rest_t].norm(dim=-1).mean(dim=1))
        mouth_vec.append(off[:, mouth_t])
        rest_vec.append(off[:, rest_t])
    m = torch.cat(mouth_off).double().numpy()
    o = torch.cat(rest_off).double().numpy()
    # Motion about the clip's mean offset (per splat): what actually moves from frame to frame.
    mv, ov = torch.cat(mouth_vec), torch.cat(rest_vec)
    mm = (mv - mv.mean(dim=0, keepdim=True)).norm(dim=-1).mean(dim=1).double().numpy()
    # The same in pixels of the model resolution (world size of a pixel at each splat's depth: depth / fx).
    footprint = splats["depth"][0] / s["intrinsics"][0]
    mm_px = ((mv - mv.mean(dim=0, keepdim=True)).norm(dim=-1) / footprint[mouth_t]).mean(dim=1).double().numpy()
    om = (ov - ov.mean(dim=0, keepdim=True)).norm(dim=-1).mean(dim=1).double().numpy()
    # Movement: how far the splats go from the frame before (frame 0 counts as still), in model
    # pixels. A mouth that holds still in silence scores 0 there, however far it sits from the
    # clip's mean (which the speech frames pull open).
    def movement_px(vec: torch.Tensor, region: torch.Tensor) -> np.ndarray:
        step = torch.zeros(vec.shape[:2], dtype=vec.dtype)
        step[1:] = (vec[1:] - vec[:-1]).norm(dim=-1) / footprint[region]
        return step.mean(dim=1).double().numpy()

    mmove, omove = movement_px(mv, mouth_t), movement_px(ov, rest_t)
    rms_all = frame_rms(c)
    rms = rms_all[frames]
    p95 = float(np.percentile(rms_all, 95)) if rms_all.size else 0.0
    thr = SPEECH_FRACTION * p95
    voiced_all, speech_all = speech_mask(rms_all, c.fps, hangover_s)
    voiced, speech = voiced_all[frames], speech_all[frames]
    silence = ~speech

    def block(x: np.ndarray) -> dict:
        sp, si = _mean(x[speech]), _mean(x[silence])
        return {"speech": sp, "silence": si, "ratio_speech_silence": _ratio(sp, si), "corr_rms": _corr(x, rms),
                "mean": _mean(x)}

    out = {
        "clip": c.id, "source_frame": i, "stride": int(stride), "frames": len(frames),
        "speech_frames": int(speech.sum()), "silence_frames": int(silence.sum()),
        "voiced_frames": int(voiced.sum()), "unvoiced_frames": int((~voiced).sum()), "speech_hangover_s": hangover_s,
        "rms_p95": p95, "rms_threshold": thr, "offset_max": model.cfg["dynamic"]["offset_max"],
        "mouth": block(m), "rest": block(o),
        "mouth_motion": block(mm), "rest_motion": block(om), "mouth_motion_px": block(mm_px),
        "mouth_movement_px": block(mmove), "rest_movement_px": block(omove),
        **info,
    }
    out["mouth_over_rest_speech"] = _ratio(out["mouth"]["speech"], out["rest"]["speech"])
    out["mouth_over_rest_motion_speech"] = _ratio(out["mouth_motion"]["speech"], out["rest_motion"]["speech"])
    out["mouth_over_rest_movement_speech"] = _ratio(out["mouth_movement_px"]["speech"], out["rest_movement_px"]["speech"])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--data", required=True, help="prepared dataset folder (training/DATASET.md)")
    ap.add_argument("--clip", required=True)
    ap.add_argument("--source-frame", type=int, default=0)
    ap.add_argument("--stride", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="torch threads")
    ap.add_argument("--hangover", type=float, default=SPEECH_HANGOVER_S,
                    help="seconds around each voiced frame that count as speech (0: voiced frames only)")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    from render_views import load_model, open_clip

    model = load_model(args.checkpoint)
    ds, ci = open_clip(model, args.data, args.clip)
    out = lip_motion(model, ds, ci, args.source_frame, args.stride, hangover_s=args.hangover)
    out["checkpoint"] = os.path.abspath(args.checkpoint)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
