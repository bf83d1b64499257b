"""The CUDA backend's maths without a GPU: native/cuda_emulator.cpp runs the SPLAT_HD functions
of src/native-gpu/cuda/splat_math.h (the ones the kernels call) in the kernels' data flow, on the
host, and is compared with the float64 reference. What this cannot see (shared-memory batching,
barriers, atomics, cub, launches, memory) is covered by test_cuda.py on a GPU."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import checks
import reference_rasterizer as ref
import scenes

SCENE_IDS = list(scenes.SCENES)


def emulate_forward(emulator, s):
    return emulator.forward(*s.inputs(), *s.camera.args(), s.background)


@pytest.mark.parametrize("scene_id", SCENE_IDS)
def test_forward_matches_reference(emulator, scene_id):
    s = checks.scene(scene_id)
    rgb, alpha, depth, _ = emulate_forward(emulator, s)
    checks.check_forward((rgb, alpha, depth), scene_id, "emulated CUDA")


@pytest.mark.parametrize("scene_id", SCENE_IDS)
def test_backward_matches_reference_autograd(emulator, scene_id):
    s = checks.scene(scene_id)
    g_rgb, g_alpha = checks.upstream(scene_id)
    grads = emulator.backward(*s.inputs(), *s.camera.args(), s.background, g_rgb, g_alpha)
    checks.check_grads(grads, scene_id, "emulated CUDA")


def test_backward_without_alpha_gradient(emulator):
    scene_id = "random-300-48x40-image-bg"
    s = checks.scene(scene_id)
    g_rgb, _ = checks.upstream(scene_id, with_alpha=False)
    grads = emulator.backward(*s.inputs(), *s.camera.args(), s.background, g_rgb, None)
    checks.check_grads(grads, scene_id, "emulated CUDA (no dL/dalpha)", with_alpha=False)


def test_sort_key_orders_by_tile_then_depth(emulator):
    # Positive floats' IEEE bits order like the floats, so (tile << 32 | bits) orders by tile,
    # then depth, over awkward depths too.
    depths = np.array([1e-30, 1e-7, 0.05, 0.1, 0.1000001, 1.0, 3.5, 1e3, 3e38], dtype=np.float32)
    keys = [emulator.sort_key(tile, float(d)) for tile in (0, 1, 7) for d in depths]
    assert keys == sorted(keys)
    assert emulator.sort_key(3, 1.0) == (3 << 32) | int(np.float32(1.0).view(np.uint32))


@pytest.mark.parametrize("tiles,bit", [(1, 32), (2, 33), (3, 34), (4, 34), (5, 35), (4096, 44), (4097, 45)])
def test_sort_end_bit_covers_every_tile_id(emulator, tiles, bit):
    assert emulator.sort_end_bit(tiles) == bit
    assert (tiles - 1) < (1 << (bit - 32))


@pytest.mark.parametrize("scene_id", ["degenerate", "dense-stops-and-clamps", "odd-17x31"])
def test_tile_lists_are_sorted_by_depth_then_index(emulator, scene_id):
    s = checks.scene(scene_id)
    ids, ranges = emulator.sorted_pairs(*s.inputs(), *s.camera.args(), s.background)
    proj = ref.project(s.means, s.scales, s.quats, s.camera)
    depth = proj["depth"].detach().float()
    # Ranges tile the pair list in tile order without gaps.
    nonempty = ranges[ranges[:, 1] > ranges[:, 0]]
    assert nonempty[0, 0] == 0 and nonempty[-1, 1] == len(ids)
    assert torch.equal(nonempty[1:, 0], nonempty[:-1, 1])
    tiles_x, _ = ref.tile_grid(s.camera)
    rect = proj["rect"].long()
    for tile, (start, end) in enumerate(ranges.tolist()):
        lst = ids[start:end]
        keys = [(depth[i].item(), int(i)) for i in lst]
        assert keys == sorted(keys), f"tile {tile} not in (depth, index) order"
        # Exactly the visible splats whose tile rectangle covers this tile.
        tx, ty = tile % tiles_x, tile // tiles_x
        covers = proj["visible"] & (rect[:, 0] <= tx) & (rect[:, 2] >= tx) & (rect[:, 1] <= ty) & (rect[:, 3] >= ty)
        assert sorted(lst.tolist()) == torch.nonzero(covers).flatten().tolist(), f"tile {tile} membership"


def test_equal_depths_keep_index_order(emulator):
    # The degenerate scene holds duplicates (45..49 copy 50..54, other colours): which one is in
    # front changes the image, so the forward comparison would catch a wrong tie order. Here
    # directly: each duplicate pair sits in index order in every tile list.
    s = checks.scene("degenerate")
    ids, ranges = emulator.sorted_pairs(*s.inputs(), *s.camera.args(), s.background)
    for start, end in ranges.tolist():
        pos = {int(i): k for k, i in enumerate(ids[start:end])}
        for a, b in zip(range(50, 55), range(45, 50)):
            if a in pos and b in pos:
                assert pos[b] < pos[a]


def test_n_contrib_bounds_the_replay(emulator):
    # n_contrib (1 + position of the last blended splat) never exceeds the tile's list length,
    # and is 0 exactly where nothing was blended (alpha 0).
    s = checks.scene("dense-stops-and-clamps")
    _, alpha, _, n_contrib = emulate_forward(emulator, s)
    _, ranges = emulator.sorted_pairs(*s.inputs(), *s.camera.args(), s.background)
    tiles_x, _ = ref.tile_grid(s.camera)
    h, w = alpha.shape
    ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
    tile = (ys // ref.TILE) * tiles_x + xs // ref.TILE
    length = ranges[tile][..., 1] - ranges[tile][..., 0]
    assert (n_contrib <= length).all()
    assert torch.equal(n_contrib == 0, alpha == 0)
    assert (n_contrib < length).any()  # the stop rule cut some lists short


def test_empty_scene_and_culled_everything(emulator):
    s = scenes.make_scene(0, 5, 9, 7)
    empty = [t[:0] for t in s.inputs()]
    rgb, alpha, depth, _ = emulator.forward(*empty, *s.camera.args(), s.background)
    assert torch.equal(rgb, s.background.expand(7, 9, 3)) and not alpha.any() and not depth.any()
    behind = s.means.clone()
    behind[:, 2] = -100.0
    rgb, alpha, _, _ = emulator.forward(behind, *s.inputs()[1:], *s.camera.args(), s.background)
    assert not alpha.any()
    grads = emulator.backward(behind, *s.inputs()[1:], *s.camera.args(), s.background, torch.ones(7, 9, 3), None)
    assert all(not g[:5].any() for g in grads[:5])
    assert torch.equal(grads[5], torch.full((3,), 63.0))
