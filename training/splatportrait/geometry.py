"""Cameras and rays in the DESIGN.md conventions: OpenCV (x right, y down, z forward),
world-to-camera 4x4 row-major ("view"), intrinsics fx, fy, cx, cy in pixels, pixel centres at +0.5.
Twin of src/shared/camera/pinhole.ts (same conventions; no code shared)."""

from __future__ import annotations

import math

import torch


def pixel_rays(intrinsics: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Camera-space ray directions with z = 1 for every pixel, row-major (pixel index v*W + u).
    intrinsics [B,4] -> [B, H*W, 3]. Depth d along the ray then means camera z = d."""
    v, u = torch.meshgrid(torch.arange(height, dtype=intrinsics.dtype, device=intrinsics.device),
                          torch.arange(width, dtype=intrinsics.dtype, device=intrinsics.device), indexing="ij")
    u = (u.reshape(1, -1) + 0.5)
    v = (v.reshape(1, -1) + 0.5)
    fx, fy, cx, cy = (intrinsics[:, i:i + 1] for i in range(4))
    x = (u - cx) / fx
    y = (v - cy) / fy
    return torch.stack([x, y, torch.ones_like(x)], dim=-1)


def invert_rigid(m: torch.Tensor) -> torch.Tensor:
    """Inverse of rigid 4x4 transforms [..., 4, 4] (rotation + translation)."""
    r = m[..., :3, :3]
    t = m[..., :3, 3:]
    rt = r.transpose(-1, -2)
    top = torch.cat([rt, -rt @ t], dim=-1)
    bottom = torch.zeros_like(m[..., 3:, :])
    bottom[..., 3] = 1.0
    return torch.cat([top, bottom], dim=-2)


def to_world(points_cam: torch.Tensor, cam_to_world: torch.Tensor) -> torch.Tensor:
    """[B,N,3] camera-space points -> world, with cam_to_world [B,4,4]."""
    r = cam_to_world[:, :3, :3]
    t = cam_to_world[:, :3, 3]
    return points_cam @ r.transpose(1, 2) + t[:, None, :]


def rotate_to_world(vectors_cam: torch.Tensor, cam_to_world: torch.Tensor) -> torch.Tensor:
    """[B,N,3] camera-space vectors (offsets) -> world (rotation only)."""
    return vectors_cam @ cam_to_world[:, :3, :3].transpose(1, 2)


def quat_mul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Hamilton product of quaternions (w, x, y, z), broadcasting."""
    aw, ax, ay, az = a.unbind(-1)
    bw, bx, by, bz = b.unbind(-1)
    return torch.stack([aw * bw - ax * bx - ay * by - az * bz,
                        aw * bx + ax * bw + ay * bz - az * by,
                        aw * by - ax * bz + ay * bw + az * bx,
                        aw * bz + ax * by - ay * bx + az * bw], dim=-1)


def rotmat_to_quat(r: torch.Tensor) -> torch.Tensor:
    """Rotation matrices [B,3,3] -> unit quaternions (w, x, y, z) [B,4]; branch-free form that
    exports to ONNX (Shepperd's method picks a branch; here every candidate is computed and the
    best-conditioned one selected by argmax)."""
    m00, m11, m22 = r[:, 0, 0], r[:, 1, 1], r[:, 2, 2]
    cands = torch.stack([
        torch.stack([1 + m00 + m11 + m22, r[:, 2, 1] - r[:, 1, 2], r[:, 0, 2] - r[:, 2, 0], r[:, 1, 0] - r[:, 0, 1]], -1),
        torch.stack([r[:, 2, 1] - r[:, 1, 2], 1 + m00 - m11 - m22, r[:, 0, 1] + r[:, 1, 0], r[:, 0, 2] + r[:, 2, 0]], -1),
        torch.stack([r[:, 0, 2] - r[:, 2, 0], r[:, 0, 1] + r[:, 1, 0], 1 - m00 + m11 - m22, r[:, 1, 2] + r[:, 2, 1]], -1),
        torch.stack([r[:, 1, 0] - r[:, 0, 1], r[:, 0, 2] + r[:, 2, 0], r[:, 1, 2] + r[:, 2, 1], 1 - m00 - m11 + m22], -1),
    ], dim=1)  # [B,4 candidates,4]
    diag = torch.stack([1 + m00 + m11 + m22, 1 + m00 - m11 - m22, 1 - m00 + m11 - m22, 1 - m00 - m11 + m22], -1)
    idx = diag.argmax(dim=1)
    q = torch.gather(cands, 1, idx[:, None, None].expand(-1, 1, 4))[:, 0]
    return q / q.norm(dim=-1, keepdim=True)


def look_at_view(eye, target=(0.0, 0.0, 0.0), up=(0.0, -1.0, 0.0)) -> torch.Tensor:
    """World-to-camera 4x4 (OpenCV: z towards target, y down) for a camera at eye."""
    eye = torch.as_tensor(eye, dtype=torch.float32)
    target = torch.as_tensor(target, dtype=torch.float32)
    up = torch.as_tensor(up, dtype=torch.float32)
    z = target - eye
    z = z / z.norm()
    down = -up
    x = torch.cross(down, z, dim=0)
    x = x / x.norm()
    y = torch.cross(z, x, dim=0)
    r = torch.stack([x, y, z], dim=0)  # rows: camera axes in world
    view = torch.eye(4)
    view[:3, :3] = r
    view[:3, 3] = -r @ eye
    return view


def orbit_view(base_view: torch.Tensor, yaw_deg: float, pitch_deg: float, centre=(0.0, 0.0, 0.0)) -> torch.Tensor:
    """base_view (world-to-camera [4,4]) orbited about the world point `centre` by yaw (about
    world y) then pitch (about world x): the bullet-effect trajectory of paper 3.3."""
    y, p = math.radians(yaw_deg), math.radians(pitch_deg)
    ry = torch.tensor([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]], dtype=base_view.dtype)
    rx = torch.tensor([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]], dtype=base_view.dtype)
    rot = torch.eye(4, dtype=base_view.dtype)
    rot[:3, :3] = rx @ ry
    c = torch.eye(4, dtype=base_view.dtype)
    c[:3, 3] = torch.tensor(centre, dtype=base_view.dtype)
    ci = torch.eye(4, dtype=base_view.dtype)
    ci[:3, 3] = -torch.tensor(centre, dtype=base_view.dtype)
    # Moving the world by R^-1 about the centre == moving the camera by R about it.
    return base_view.to(rot.device) @ c @ rot.T @ ci
