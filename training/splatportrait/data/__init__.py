"""Data: the prepared dataset of training/DATASET.md (dataset.py), a dependency-free PNG codec
(png.py; Debian's python3 here has no Pillow) and a synthetic talking-blob dataset for tests
(synthetic.py)."""

from .dataset import PreparedDataset, PairSampler  # noqa: F401
