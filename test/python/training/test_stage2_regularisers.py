"""Stage II regularisers against memorising the training clips: masking bands of the audio
features (features.mask_bands, train.audio_mask_mels / audio_mask_frames), holding the time
delta constant (dynamic.time_delta false) and pooling the mel bins into a few bands
(dynamic.audio_bands), and factorising the motion into a few image fields mixed by the audio
(dynamic.motion_rank)."""

from __future__ import annotations

import copy

import pytest
import torch

from splatportrait import features as feats
from splatportrait.model import SplatPortrait


def masked_indices(changed: torch.Tensor) -> list[int]:
    """Indices along a 1-D boolean mask where it is True."""
    return [i for i, c in enumerate(changed.tolist()) if c]


def is_one_run(indices: list[int]) -> bool:
    return not indices or indices == list(range(indices[0], indices[0] + len(indices)))


def test_each_sample_loses_one_band_of_mels_and_one_run_of_frames_at_most():
    gen = torch.Generator().manual_seed(5)
    x = torch.randn(6, 3, 16, 80) + 5.0  # no value is 0 before masking
    got = feats.mask_bands(x, 12, 4, gen)
    assert got.shape == x.shape and not torch.equal(got, x)
    for i in range(6):
        zero = got[i] == 0
        # a zero cell lies in the masked mel band or in the masked run of frames, in every window alike
        mel_band = zero.all(dim=1).all(dim=0)  # mels zero over every window and frame
        frame_run = zero.all(dim=2).all(dim=0)  # frames zero over every window and mel
        mels, frames = masked_indices(mel_band), masked_indices(frame_run)
        assert len(mels) <= 12 and len(frames) <= 4
        assert is_one_run(mels) and is_one_run(frames)
        expected = mel_band[None, None, :] | frame_run[None, :, None]
        assert torch.equal(zero, expected.expand_as(zero))
        assert torch.equal(got[i][~zero], x[i][~zero])


def test_masking_nothing_leaves_the_features_alone():
    x = torch.randn(2, 3, 16, 80)
    assert torch.equal(feats.mask_bands(x, 0, 0, torch.Generator().manual_seed(0)), x)


def test_stage2_masks_the_audio_only_when_asked(tiny_cfg, stage2_step_audio):
    cfg = copy.deepcopy(tiny_cfg)
    for mels in (0, 20):
        cfg["train"]["audio_mask_mels"] = mels
        original, seen = stage2_step_audio(cfg)
        if mels == 0:
            assert torch.equal(seen, original)
        else:
            zero_bands = [int((seen[i] == 0).all(dim=0).all(dim=0).sum()) for i in range(4)]
            assert 0 < max(zero_bands) <= 20


def decoder_offsets(cfg: dict, time_delta: torch.Tensor, audio: torch.Tensor | None = None) -> torch.Tensor:
    """Offsets of a randomly initialised decoder on one random portrait; audio [K, W, n_mels] for
    every frame (a fixed random window when None)."""
    torch.manual_seed(0)
    model = SplatPortrait(cfg).eval()
    with torch.no_grad():
        for p in model.dynamic.parameters():  # the zero-initialised output layers would hide the time
            p.add_(0.05 * torch.randn_like(p))
        r, a = cfg["resolution"], cfg["audio"]
        image = torch.rand(1, 3, r, r)
        c2w = torch.eye(4)[None]
        c2w[0, 2, 3] = -0.8
        intr = torch.tensor([[2.0 * r, 2.0 * r, r / 2, r / 2]])  # fx, fy, cx, cy
        _, _, dec = model.static(image, c2w, intr)
        if audio is None:
            audio = torch.randn(a["att_frames"], a["window"], a["n_mels"])
        audio = audio[None].expand(len(time_delta), -1, -1, -1)
        return model.dynamic(model.dynamic.select_features(dec), c2w, audio, time_delta)


def test_a_decoder_without_time_delta_moves_as_if_every_frame_were_past_the_first_second(tiny_cfg):
    deltas = torch.tensor([0.04, 0.3, 1.0, 12.0])
    timed = decoder_offsets(tiny_cfg, deltas)
    assert (timed[0] - timed[2]).abs().max() > 1e-5  # the delta matters when it is used

    cfg = copy.deepcopy(tiny_cfg)
    cfg["dynamic"]["time_delta"] = False
    untimed = decoder_offsets(cfg, deltas)
    for j in range(4):
        assert torch.allclose(untimed[j], timed[2], atol=1e-6)  # = the decoder at max_pair_gap / fps


def band_means_spread(audio: torch.Tensor, bands: int) -> torch.Tensor:
    """Slow reference: every bin replaced by the mean of its band (bands of equal width, in bin
    order)."""
    out = audio.clone()
    width = audio.shape[-1] // bands
    for b in range(bands):
        out[..., b * width:(b + 1) * width] = audio[..., b * width:(b + 1) * width].mean(dim=-1, keepdim=True)
    return out


def test_a_banded_decoder_hears_only_the_mean_of_each_band(tiny_cfg):
    cfg = copy.deepcopy(tiny_cfg)
    cfg["dynamic"]["audio_bands"] = 4
    a = cfg["audio"]
    torch.manual_seed(1)
    audio = torch.randn(a["att_frames"], a["window"], a["n_mels"])
    delta = torch.tensor([0.5])
    heard = decoder_offsets(cfg, delta, audio)
    # The same band means with the detail inside each band flattened: the same offsets.
    assert torch.allclose(decoder_offsets(cfg, delta, band_means_spread(audio, 4)), heard, atol=1e-6)
    # Bins moved across band edges change the band means, and the offsets with them.
    assert (decoder_offsets(cfg, delta, audio.roll(10, dims=-1)) - heard).abs().max() > 1e-5
    # The full-resolution decoder does hear the detail inside a band.
    full = decoder_offsets(tiny_cfg, delta, audio)
    assert (decoder_offsets(tiny_cfg, delta, band_means_spread(audio, 4)) - full).abs().max() > 1e-5


def test_audio_bands_must_divide_the_mel_bins(tiny_cfg):
    cfg = copy.deepcopy(tiny_cfg)
    cfg["dynamic"]["audio_bands"] = 7
    with pytest.raises(ValueError, match="audio_bands must divide audio.n_mels"):
        SplatPortrait(cfg)


def raw_motion(cfg: dict, frames: int) -> torch.Tensor:
    """Pre-tanh motion of a randomly initialised decoder (out_stride 1, so no upsampling sits
    between the raw field and the offsets) on one random portrait, each frame with its own random
    audio and time delta: [frames, N * 3]."""
    cfg = copy.deepcopy(cfg)
    cfg["dynamic"]["out_stride"] = 1
    torch.manual_seed(0)
    model = SplatPortrait(cfg).eval()
    with torch.no_grad():
        for p in model.dynamic.parameters():
            p.add_(0.05 * torch.randn_like(p))
        r, a = cfg["resolution"], cfg["audio"]
        c2w = torch.eye(4)[None]  # identity rotation: world offsets are the camera-frame offsets
        c2w[0, 2, 3] = -0.8
        intr = torch.tensor([[2.0 * r, 2.0 * r, r / 2, r / 2]])
        _, _, dec = model.static(torch.rand(1, 3, r, r), c2w, intr)
        audio = torch.randn(frames, a["att_frames"], a["window"], a["n_mels"])
        deltas = torch.linspace(0.04, 1.0, frames)
        off = model.dynamic(model.dynamic.select_features(dec), c2w, audio, deltas)
    scale = model.dynamic.offset_max * model.dynamic.motion_gain
    return torch.atanh((off / scale).double()).flatten(1)


@pytest.mark.parametrize("rank", [1, 2])
def test_a_rank_k_decoder_moves_every_frame_along_the_same_k_fields(tiny_cfg, rank):
    cfg = copy.deepcopy(tiny_cfg)
    cfg["dynamic"]["motion_rank"] = rank
    s = torch.linalg.svdvals(raw_motion(cfg, 8))
    assert s[rank - 1] > 1e-3 * s[0]  # the audio does move the frames apart, along K fields...
    assert s[rank] < 1e-5 * s[0]  # ...and along no other
    # The full FiLM decoder is free to reshape the motion from frame to frame.
    full = torch.linalg.svdvals(raw_motion(tiny_cfg, 8))
    assert full[rank] > 1e-3 * full[0]


def test_a_rank_k_decoder_gives_the_same_motion_for_one_avatar_or_a_batch_of_its_copies(tiny_cfg):
    cfg = copy.deepcopy(tiny_cfg)
    cfg["dynamic"]["motion_rank"] = 2
    torch.manual_seed(3)
    model = SplatPortrait(cfg).eval()
    r, a = cfg["resolution"], cfg["audio"]
    c2w = torch.eye(4)[None]
    c2w[0, 2, 3] = -0.8
    intr = torch.tensor([[2.0 * r, 2.0 * r, r / 2, r / 2]])
    with torch.no_grad():
        for p in model.dynamic.parameters():
            p.add_(0.05 * torch.randn_like(p))
        _, _, dec = model.static(torch.rand(1, 3, r, r), c2w, intr)
        feats_one = model.dynamic.select_features(dec)
        audio = torch.randn(5, a["att_frames"], a["window"], a["n_mels"])
        deltas = torch.linspace(0.1, 0.9, 5)
        one = model.dynamic(feats_one, c2w, audio, deltas)  # how the app bakes: one avatar, F frames
        batch = model.dynamic([f.expand(5, -1, -1, -1) for f in feats_one], c2w.expand(5, -1, -1), audio, deltas)
    assert torch.allclose(one, batch, atol=1e-7)


def test_a_negative_motion_rank_is_refused(tiny_cfg):
    cfg = copy.deepcopy(tiny_cfg)
    cfg["dynamic"]["motion_rank"] = -1
    with pytest.raises(ValueError, match="motion_rank must be 0"):
        SplatPortrait(cfg)
