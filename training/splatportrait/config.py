"""Training configs: JSON files in training/configs/ (tiny, base), read into nested dicts.

A config is plain data so that it can be saved inside every checkpoint and copied into
model.json; `override` applies dotted-key edits ("train.lr=1e-3") from the command line or tests."""

from __future__ import annotations

import copy
import json
import os

CONFIG_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "configs")


def load_config(name_or_path: str, overrides: dict | None = None) -> dict:
    """A config by name (training/configs/<name>.json) or by path, with optional overrides
    {"train.lr": 1e-3, ...}."""
    path = name_or_path if name_or_path.endswith(".json") else os.path.join(CONFIG_DIR, f"{name_or_path}.json")
    with open(path, "r", encoding="utf-8") as f:
        cfg = json.load(f)
    return override(cfg, overrides or {})


def override(cfg: dict, overrides: dict) -> dict:
    out = copy.deepcopy(cfg)
    for key, value in overrides.items():
        node = out
        parts = key.split(".")
        for p in parts[:-1]:
            if p not in node:
                raise KeyError(f"config override {key!r}: no section {p!r}")
            node = node[p]
        if parts[-1] not in node:
            raise KeyError(f"config override {key!r}: unknown key {parts[-1]!r}")
        node[parts[-1]] = value
    return out


def parse_override(text: str) -> tuple[str, object]:
    """"train.lr=1e-3" -> ("train.lr", 0.001); values are JSON when they parse, else strings."""
    key, _, raw = text.partition("=")
    try:
        return key, json.loads(raw)
    except json.JSONDecodeError:
        return key, raw
