"""The Splat-Portrait network (paper 3.1 and 3.2).

StaticGenerator: image + source camera -> per-pixel splats in world space (DESIGN "Splat
buffers": means world, linear scales, quats wxyz unit, opacities 0..1, colors 0..1; N = H*W,
splat index = v*W + u), the 2D background, and the decoder features the dynamic decoder consumes.
DynamicDecoder: those features + audio window + time delta -> per-splat world offsets, batched over
frames (features of one avatar broadcast to F frames).

Units: depth along camera z in world units, bounded to [near, far]; scales are built in
pixel-footprint units (one unit = depth / fx world units: the size of a pixel at that depth) and
converted to world units; static offsets (camera frame) bounded by static_offset_max world units,
dynamic offsets by offset_max."""

from __future__ import annotations

import math

import torch
from torch import nn
import torch.nn.functional as F

from .embed import camera_scalars, sinusoidal
from .geometry import pixel_rays, quat_mul, rotate_to_world, rotmat_to_quat, to_world
from .unet import EmbeddingMLP, SongUNet, UNetBlock, conv, group_norm

# Channels of the splat head, in order (paper 3.1: o, s, d, Δs, r, c).
HEAD_LAYOUT = (("depth", 1), ("offset", 3), ("opacity", 1), ("scale", 3), ("quat", 4), ("color", 3))


def _inv_softplus(y: float) -> float:
    return math.log(math.expm1(y))


class StaticGenerator(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        s = cfg["static"]
        self.cfg = cfg
        self.resolution = cfg["resolution"]
        self.near, self.far = float(cfg["depth"]["near"]), float(cfg["depth"]["far"])
        ce = cfg["camera_embedding"]
        self.cam_freqs = ce["freqs"]
        self.t_scale, self.f_scale = ce["translation_scale"], ce["focal_scale"]
        self.cam_dim = 4 * (1 + 2 * self.cam_freqs)
        self.emb = EmbeddingMLP(self.cam_dim, s["emb_channels"])
        self.unet = SongUNet(self.resolution, 3, s["channels"], s["channel_mult"], s["num_blocks"],
                             s["attn_resolutions"], s["emb_channels"], s["dropout"])
        ch = self.unet.out_channels
        self.head_norm = group_norm(ch)
        self.head = conv(ch, sum(n for _, n in HEAD_LAYOUT), 3, gain=0.1)
        self.bg_head = nn.Sequential(group_norm(ch), nn.SiLU(), conv(ch, ch), nn.SiLU(), conv(ch, 3, 3, gain=0.1))
        self.offset_max = s["static_offset_max"]
        self.scale_min, self.scale_max = s["scale_px_min"], s["scale_px_max"]
        with torch.no_grad():
            b = self.head.bias
            i = 0
            for name, n in HEAD_LAYOUT:
                if name == "scale":
                    b[i:i + n] = _inv_softplus(s["scale_px_init"])
                if name == "quat":
                    b[i] = 1.0
                i += n

    def forward(self, image: torch.Tensor, cam_to_world: torch.Tensor, intrinsics: torch.Tensor):
        """image [B,3,R,R] RGB 0..1; cam_to_world [B,4,4]; intrinsics [B,4] (fx, fy, cx, cy px).
        Returns (splats dict of [B,N,k] tensors, background [B,R,R,3], decoder features {res: [B,C,res,res]})."""
        b, _, h, w = image.shape
        cond = sinusoidal(camera_scalars(cam_to_world, intrinsics, w, self.t_scale, self.f_scale), self.cam_freqs)
        emb = self.emb(cond)
        feat, dec = self.unet(image * 2.0 - 1.0, emb)
        raw = self.head(F.silu(self.head_norm(feat)))  # [B,15,H,W]
        raw = raw.flatten(2).transpose(1, 2)  # [B,N,15], N = H*W row-major
        parts = {}
        i = 0
        for name, n in HEAD_LAYOUT:
            parts[name] = raw[..., i:i + n]
            i += n
        depth = self.near + (self.far - self.near) * torch.sigmoid(parts["depth"])  # [B,N,1]
        offset = torch.tanh(parts["offset"]) * self.offset_max
        rays = pixel_rays(intrinsics, h, w)  # [B,N,3], z = 1
        means = to_world(rays * depth + offset, cam_to_world)  # paper: p = r d + Δs (view space) -> world
        footprint = depth / intrinsics[:, None, 0:1]  # world size of a pixel at this depth
        scale_px = torch.clamp(F.softplus(parts["scale"]), self.scale_min, self.scale_max)
        scales = scale_px * footprint
        q_cam = parts["quat"] / (parts["quat"].norm(dim=-1, keepdim=True) + 1e-8)
        q_c2w = rotmat_to_quat(cam_to_world[:, :3, :3])
        quats = quat_mul(q_c2w[:, None, :], q_cam)  # world orientation = c2w rotation * camera-frame one
        splats = {
            "means": means,
            "scales": scales,
            "quats": quats,
            "opacities": torch.sigmoid(parts["opacity"][..., 0]),
            "colors": torch.sigmoid(parts["color"]),
            "depth": depth[..., 0],
        }
        background = torch.sigmoid(self.bg_head(feat)).permute(0, 2, 3, 1)  # [B,H,W,3]
        return splats, background, dec


class AudioNet(nn.Module):
    """Paper 3.2 (after AD-NeRF): 1D convolutions over the feature window (stride 2 until one
    step is left), then fully connected layers. [B, W, n_mels] -> [B, audio_dim]."""

    def __init__(self, n_mels: int, window: int, audio_dim: int, width: int = 64):
        super().__init__()
        layers = []
        cin, length = n_mels, window
        while length > 1:
            layers += [nn.Conv1d(cin, width, 3, stride=2, padding=1), nn.LeakyReLU(0.02)]
            cin, length = width, (length + 1) // 2
        if not layers:
            layers = [nn.Conv1d(cin, width, 1), nn.LeakyReLU(0.02)]
        self.conv = nn.Sequential(*layers)
        self.fc = nn.Sequential(nn.Linear(width, width), nn.LeakyReLU(0.02), nn.Linear(width, audio_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv(x.transpose(1, 2))  # [B, width, 1]
        return self.fc(x.mean(dim=2))


class AudioAttNet(nn.Module):
    """Paper 3.2: conv 16 -> 8 -> 4 -> 2 -> 1 channels with LeakyReLU over the K neighbouring
    frames' embeddings, then linear + softmax: attention weights over the K frames; returns the
    weighted sum. [B, K, D] -> [B, D]."""

    def __init__(self, dim: int, frames: int):
        super().__init__()
        chans = [dim, 16, 8, 4, 2, 1]
        layers = []
        for a, b in zip(chans[:-1], chans[1:]):
            layers += [nn.Conv1d(a, b, 3, padding=1), nn.LeakyReLU(0.02)]
        self.conv = nn.Sequential(*layers)
        self.fc = nn.Linear(frames, frames)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x.transpose(1, 2))[:, 0]  # [B, K]
        att = torch.softmax(self.fc(y), dim=1)  # [B, K]
        return (att.unsqueeze(-1) * x).sum(dim=1)


class DynamicDecoder(nn.Module):
    """Paper 3.2: a decoder with skip connections from the static generator's decoder, FiLM-
    conditioned on audio (AudioNet + AudioAttNet) combined with a sinusoidal time-delta embedding.

    It consumes the static decoder's level outputs at resolutions R/2^k for k >= log2(out_stride)
    (deepest first), and predicts offsets at R/out_stride, upsampled bilinearly to R: mouth motion
    is smooth at that scale, and it keeps baking on a CPU cheap (DESIGN "Baking"). Offsets are
    predicted in the source camera frame and rotated to world with the source cam_to_world."""

    def __init__(self, cfg: dict, static: StaticGenerator):
        super().__init__()
        a, d = cfg["audio"], cfg["dynamic"]
        self.resolution = cfg["resolution"]
        self.out_res = self.resolution // d.get("out_stride", 1)
        self.window, self.att_frames, self.n_mels = a["window"], a["att_frames"], a["n_mels"]
        self.time_freqs, self.time_scale = a["time_freqs"], a["time_scale"]
        self.offset_max = d["offset_max"]
        # A post-training amplitude calibration (export --motion-gain): 1 while training.
        self.motion_gain = float(d.get("motion_gain", 1.0))
        # Training draws time deltas in (0, max_pair_gap / fps]; longer deltas at inference (a 60 s
        # clip) are clamped to that range inside the graph rather than extrapolated.
        self.max_time_delta = cfg["train"]["max_pair_gap"] / cfg["fps"]
        # dynamic.time_delta false holds the delta at max_time_delta (what inference sees after the
        # first second of a clip): pairs of a training clip can then not be recalled from (source
        # frame, delta), and the motion has to come from the audio.
        self.use_time_delta = bool(d.get("time_delta", True))
        # dynamic.audio_bands < n_mels averages the log-mel bins into that many equal bands inside
        # the graph (the app's features are unchanged): a coarse spectral envelope that carries
        # loudness and vowel colour but little of the speaker's timbre (RUNS.md, eleventh session).
        self.audio_bands = int(d.get("audio_bands", self.n_mels))
        if self.audio_bands < 1 or self.n_mels % self.audio_bands:
            raise ValueError(f"dynamic.audio_bands must divide audio.n_mels ({self.n_mels}); got {self.audio_bands}")
        unet = static.unet
        levels = [(r, c) for r, c in zip(unet.level_res, unet.level_ch) if r <= self.out_res]
        levels.sort()  # deepest (smallest) first
        self.feature_levels = levels  # [(res, channels)]
        ch, e = d["channels"], d["emb_channels"]
        self.audio_net = AudioNet(self.audio_bands, self.window, a["audio_dim"])
        self.att_net = AudioAttNet(a["audio_dim"], self.att_frames)
        self.emb = EmbeddingMLP(a["audio_dim"] + 1 + 2 * self.time_freqs, e)
        self.proj = nn.ModuleList([conv(c, ch, 1) for _, c in levels])
        self.blocks = nn.ModuleList()
        for i, _ in enumerate(levels):
            blocks = nn.ModuleList()
            cin = ch if i == 0 else ch * 2
            for _ in range(d["num_blocks"]):
                blocks.append(UNetBlock(cin, ch, e))
                cin = ch
            if i + 1 < len(levels):
                blocks.append(UNetBlock(ch, ch, e, up=True))
            self.blocks.append(blocks)
        self.out_norm = group_norm(ch)
        # dynamic.motion_rank K > 0 factorises the motion: K offset fields read from the image alone
        # (the trunk run with a learned constant embedding instead of the audio), mixed per frame by
        # K coefficients from the audio and time embedding. The audio can then only choose how far
        # each image-specific motion goes, not reshape it (RUNS.md, twelfth session). 0: full FiLM.
        self.motion_rank = int(d.get("motion_rank", 0))
        if self.motion_rank < 0:
            raise ValueError(f"dynamic.motion_rank must be 0 (full) or a positive rank; got {self.motion_rank}")
        self.out = conv(ch, 3 * max(self.motion_rank, 1), 3, gain=0.1)
        if self.motion_rank:
            self.basis_emb = nn.Parameter(torch.zeros(1, e))
            self.coefficients = nn.Linear(e, self.motion_rank)

    def feature_names(self) -> list[str]:
        return [f"feat_{r}" for r, _ in self.feature_levels]

    def select_features(self, dec: dict) -> list[torch.Tensor]:
        return [dec[r] for r, _ in self.feature_levels]

    def condition(self, audio: torch.Tensor, time_delta: torch.Tensor) -> torch.Tensor:
        """audio [F, K, W, n_mels] log-mel windows, time_delta [F] seconds -> embedding [F, E]."""
        f, k, w, m = audio.shape
        if self.audio_bands != m:
            audio = audio.reshape(f, k, w, self.audio_bands, m // self.audio_bands).mean(dim=4)
        e = self.audio_net(audio.reshape(f * k, w, self.audio_bands)).reshape(f, k, -1)
        e = self.att_net(e)
        td = torch.clamp(time_delta, 0.0, self.max_time_delta)
        if not self.use_time_delta:
            td = torch.full_like(td, self.max_time_delta)
        t = sinusoidal((td / self.time_scale).reshape(-1, 1), self.time_freqs)
        return self.emb(torch.cat([e, t], dim=1))

    def trunk(self, features: list[torch.Tensor], emb: torch.Tensor, batch: int) -> torch.Tensor:
        """The skip-connected decoder under embedding emb [batch, E]: [batch, channels, r, r]."""
        x = None
        for feat, proj, blocks in zip(features, self.proj, self.blocks):
            skip = proj(feat).expand(batch, -1, -1, -1)  # projected once per avatar, then broadcast
            x = skip if x is None else torch.cat([x, skip], dim=1)
            for block in blocks:
                x = block(x, emb)
        return x

    def forward(self, features: list[torch.Tensor], cam_to_world: torch.Tensor, audio: torch.Tensor,
                time_delta: torch.Tensor) -> torch.Tensor:
        """features: the static decoder's level outputs (feature_levels order), batch 1 (broadcast
        to all F frames) or F; cam_to_world [1 or F,4,4] of the source camera; audio
        [F,K,W,n_mels]; time_delta [F]. Returns world offsets [F, N, 3]."""
        emb = self.condition(audio, time_delta)
        frames = audio.shape[0]
        if self.motion_rank:
            sources = features[0].shape[0]  # 1 (one avatar) or F (a training batch)
            basis = self.out(F.silu(self.out_norm(self.trunk(features, self.basis_emb.expand(sources, -1), sources))))
            basis = basis.reshape(sources, self.motion_rank, 3, *basis.shape[2:])  # [1|F,K,3,r,r]
            coef = self.coefficients(emb)[:, :, None, None, None]  # [F,K,1,1,1]
            raw = (coef * basis).sum(dim=1)
        else:
            raw = self.out(F.silu(self.out_norm(self.trunk(features, emb, frames))))
        off = torch.tanh(raw) * (self.offset_max * self.motion_gain)  # [F,3,r,r]
        if self.out_res != self.resolution:
            off = F.interpolate(off, size=(self.resolution, self.resolution), mode="bilinear", align_corners=False)
        off = off.flatten(2).transpose(1, 2)  # [F,N,3]
        return rotate_to_world(off, cam_to_world.expand(frames, -1, -1))


class SplatPortrait(nn.Module):
    """Both parts; `static` and `dynamic` are exported as separate ONNX graphs."""

    def __init__(self, cfg: dict):
        super().__init__()
        self.cfg = cfg
        self.static = StaticGenerator(cfg)
        self.dynamic = DynamicDecoder(cfg, self.static)

    def forward(self, src_image, src_c2w, intrinsics, audio=None, time_delta=None):
        return full_forward(self, src_image, src_c2w, intrinsics, audio, time_delta)


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def parameter_report(cfg: dict) -> dict:
    """{"static": n, "dynamic": n, "total": n} for a config (the helper the brief asks for)."""
    m = SplatPortrait(cfg)
    s, d = count_parameters(m.static), count_parameters(m.dynamic)
    return {"config": cfg["name"], "static": s, "dynamic": d, "total": s + d}


def full_forward(model: SplatPortrait, src_image, src_c2w, intrinsics, audio=None, time_delta=None):
    """Static splats, background and (when audio is given) the dynamic offsets of each batch
    element's target frame: the single forward a DistributedDataParallel wrapper calls."""
    splats, background, dec = model.static(src_image, src_c2w, intrinsics)
    offsets = None
    if audio is not None:
        offsets = model.dynamic(model.dynamic.select_features(dec), src_c2w, audio, time_delta)
    return splats, background, offsets
