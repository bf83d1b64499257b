"""Splat-Portrait training package (paper sections 3 and 4; contracts in ../../../shared/DESIGN.md).

Import with training/ on sys.path:  import splatportrait as sp.
Modules: config (JSON configs), geometry (rays, cameras), embed (sinusoidal embeddings),
unet (SongUNet-style blocks with FiLM), model (static generator, audio nets, dynamic decoder),
render (the native rasterizer, batched), losses (L2, SSIM, SDS), features (audio windows),
data/ (prepared dataset reader, synthetic dataset), trainer (stages I and II, checkpoints, DDP),
export (ONNX packs, model.json, parity files)."""

from .config import load_config  # noqa: F401
