"""U-Net blocks in the style of EDM's SongUNet (Karras et al. 2022, training/networks.py; the
architecture Splatter Image uses), with FiLM conditioning (Perez et al. 2018): every block maps
the conditioning embedding to a per-channel (scale, shift) applied after its second norm, as
SongUNet's adaptive_scale=True does. Written from the papers; no code copied.

Shapes: x [B, C, H, W]; emb [B, E]. Every op exports to ONNX opset 17."""

from __future__ import annotations

import math

import torch
from torch import nn
import torch.nn.functional as F


def group_norm(channels: int) -> nn.GroupNorm:
    """SongUNet uses 32 groups with at least 4 channels per group."""
    groups = min(32, max(1, channels // 4))
    while channels % groups:
        groups -= 1
    return nn.GroupNorm(groups, channels, eps=1e-6)


def conv(cin: int, cout: int, k: int = 3, gain: float = 1.0) -> nn.Conv2d:
    c = nn.Conv2d(cin, cout, k, padding=k // 2)
    if gain != 1.0:
        with torch.no_grad():
            c.weight.mul_(gain)
            c.bias.zero_()
    return c


class Attention(nn.Module):
    """Self-attention over the pixels of a feature map (SongUNet's qkv/proj, 1x1 convs)."""

    def __init__(self, channels: int, channels_per_head: int = 64):
        super().__init__()
        self.heads = max(1, channels // channels_per_head)
        self.norm = group_norm(channels)
        self.qkv = conv(channels, channels * 3, 1)
        self.proj = conv(channels, channels, 1, gain=1e-2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        qkv = self.qkv(self.norm(x)).reshape(b * self.heads, 3, c // self.heads, h * w)
        q, k, v = qkv[:, 0], qkv[:, 1], qkv[:, 2]  # [B*heads, Ch, HW]
        att = torch.softmax(torch.einsum("bci,bcj->bij", q, k) / math.sqrt(c // self.heads), dim=-1)
        out = torch.einsum("bij,bcj->bci", att, v).reshape(b, c, h, w)
        return x + self.proj(out)


class UNetBlock(nn.Module):
    """GN-SiLU-conv, FiLM(emb), GN-SiLU-dropout-conv, residual (1x1 when channels or size change),
    scaled by 1/sqrt(2) as SongUNet does; optional 2x up (nearest) or down (average) resampling
    and self-attention."""

    def __init__(self, cin: int, cout: int, emb_channels: int, up: bool = False, down: bool = False,
                 attention: bool = False, dropout: float = 0.0):
        super().__init__()
        self.up, self.down = up, down
        self.norm0 = group_norm(cin)
        self.conv0 = conv(cin, cout)
        self.affine = nn.Linear(emb_channels, cout * 2)
        self.norm1 = group_norm(cout)
        self.dropout = nn.Dropout(dropout)
        self.conv1 = conv(cout, cout, gain=0.2)
        self.skip = conv(cin, cout, 1) if (cin != cout or up or down) else None
        self.attn = Attention(cout) if attention else None
        with torch.no_grad():  # FiLM starts as the identity: scale 0 (+1), shift 0.
            self.affine.weight.mul_(0.1)
            self.affine.bias.zero_()

    def _resample(self, x: torch.Tensor) -> torch.Tensor:
        if self.up:
            return F.interpolate(x, scale_factor=2.0, mode="nearest")
        if self.down:
            return F.avg_pool2d(x, 2)
        return x

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        orig = x
        x = self.conv0(self._resample(F.silu(self.norm0(x))))
        scale, shift = self.affine(emb)[:, :, None, None].chunk(2, dim=1)
        x = F.silu(shift + self.norm1(x) * (scale + 1.0))
        x = self.conv1(self.dropout(x))
        skip = self._resample(orig)
        if self.skip is not None:
            skip = self.skip(skip)
        x = (x + skip) * (1.0 / math.sqrt(2.0))
        if self.attn is not None:
            x = self.attn(x)
        return x


class EmbeddingMLP(nn.Module):
    """Conditioning vector -> embedding (SongUNet's map_layer0/1 with SiLU)."""

    def __init__(self, cin: int, emb_channels: int):
        super().__init__()
        self.l0 = nn.Linear(cin, emb_channels)
        self.l1 = nn.Linear(emb_channels, emb_channels)

    def forward(self, c: torch.Tensor) -> torch.Tensor:
        return F.silu(self.l1(F.silu(self.l0(c))))


class SongUNet(nn.Module):
    """Encoder-decoder with skips. resolution: input size; channels: base width; channel_mult:
    width per level (level i works at resolution / 2^i); num_blocks per level in the encoder
    (num_blocks + 1 in the decoder, consuming the skips); attention at attn_resolutions.

    forward(x [B,cin,R,R], emb [B,E]) -> (h [B,channels*mult[0],R,R], dec {res: [B,C_res,res,res]}):
    h is the final decoder feature; dec holds the decoder's output at each level (what the dynamic
    decoder's skip connections consume)."""

    def __init__(self, resolution: int, cin: int, channels: int, channel_mult, num_blocks: int,
                 attn_resolutions, emb_channels: int, dropout: float = 0.0):
        super().__init__()
        self.resolution = resolution
        self.level_res = [resolution >> i for i in range(len(channel_mult))]
        self.level_ch = [channels * m for m in channel_mult]
        attn = set(attn_resolutions)
        self.conv_in = conv(cin, self.level_ch[0])
        self.enc = nn.ModuleList()
        skip_ch = [self.level_ch[0]]
        cout = self.level_ch[0]
        for level, (res, ch) in enumerate(zip(self.level_res, self.level_ch)):
            if level > 0:
                self.enc.append(UNetBlock(cout, cout, emb_channels, down=True, dropout=dropout))
                skip_ch.append(cout)
            for _ in range(num_blocks):
                self.enc.append(UNetBlock(cout, ch, emb_channels, attention=res in attn, dropout=dropout))
                cout = ch
                skip_ch.append(cout)
        self.dec = nn.ModuleList()  # per level (deepest first): list of blocks
        self.dec_kind = []
        for level in reversed(range(len(channel_mult))):
            res, ch = self.level_res[level], self.level_ch[level]
            blocks = nn.ModuleList()
            if level == len(channel_mult) - 1:
                blocks.append(UNetBlock(cout, cout, emb_channels, attention=True, dropout=dropout))
                blocks.append(UNetBlock(cout, cout, emb_channels, dropout=dropout))
                kinds = ["mid", "mid"]
            else:
                blocks.append(UNetBlock(cout, cout, emb_channels, up=True, dropout=dropout))
                kinds = ["up"]
            for _ in range(num_blocks + 1):
                blocks.append(UNetBlock(cout + skip_ch.pop(), ch, emb_channels, attention=res in attn, dropout=dropout))
                kinds.append("skip")
                cout = ch
            self.dec.append(blocks)
            self.dec_kind.append(kinds)
        self.out_channels = cout

    def forward(self, x: torch.Tensor, emb: torch.Tensor):
        x = self.conv_in(x)
        skips = [x]
        for block in self.enc:
            x = block(x, emb)
            skips.append(x)
        dec = {}
        for level, blocks, kinds in zip(reversed(range(len(self.level_res))), self.dec, self.dec_kind):
            for block, kind in zip(blocks, kinds):
                if kind == "skip":
                    x = torch.cat([x, skips.pop()], dim=1)
                x = block(x, emb)
            dec[self.level_res[level]] = x
        return x, dec
