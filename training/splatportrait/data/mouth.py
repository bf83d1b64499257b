"""The mouth region of a prepared clip, from its 478-point MediaPipe landmarks (DATASET.md).

Used by the mouth-weighted reconstruction term (losses.reconstruction, config loss.mouth_weight)
and by training/lip_motion.py. At 64 px the lips are about 5 px tall, about 1 % of the image:
plain per-pixel L2 barely sees them, so stage II learnt no lip motion (training/RUNS.md)."""

from __future__ import annotations

import os

import numpy as np

# Lip landmarks of the MediaPipe face mesh (outer and inner contours).
LIPS = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 185, 40, 39, 37, 0, 267, 269, 270, 409,
        78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 191, 80, 81, 82, 13, 312, 311, 310, 415)
# Upper/lower lip landmark pairs (MediaPipe mesh): inner lips at the centre and both sides, and the
# outer lips at the centre. Their vertical gaps measure how far the mouth is open.
LIP_PAIRS = ((13, 14), (82, 87), (312, 317), (81, 178), (311, 402), (0, 17))
MOUTH_PAD = 0.2  # of the lip box's width / height, per side
# (x0, y0, x1, y1) as fractions of the crop, when a clip has no landmarks (synthetic data).
DEFAULT_MOUTH_BOX = (0.35, 0.55, 0.65, 0.75)
DEFAULT_FACE_BOX = (0.2, 0.15, 0.8, 0.85)


def box_from_points(pts: np.ndarray, pad: float) -> tuple[float, float, float, float]:
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    px, py = (x1 - x0) * pad, (y1 - y0) * pad
    return float(x0 - px), float(y0 - py), float(x1 + px), float(y1 + py)


def clip_landmarks(clip_dir: str, frames: int, count: int) -> np.ndarray | None:
    """[frames, count, 2] crop pixels, or None when the clip has none."""
    path = os.path.join(clip_dir, "landmarks.f32")
    if count <= 0 or not os.path.exists(path):
        return None
    lm = np.fromfile(path, dtype="<f4")
    if lm.size != frames * count * 2:
        raise ValueError(f"{path}: {lm.size} floats, want frames*landmarks*2 = {frames * count * 2}")
    return lm.reshape(frames, count, 2)


def mouth_boxes(landmarks: np.ndarray | None, frames: int, size: int) -> np.ndarray:
    """[frames, 4] (x0, y0, x1, y1) crop pixels per frame: the padded lip box, or the default
    fractions where a frame's landmarks are missing or not finite."""
    default = np.array(DEFAULT_MOUTH_BOX, dtype=np.float32) * size
    out = np.tile(default, (frames, 1))
    if landmarks is None or landmarks.shape[1] <= max(LIPS):
        return out
    for j in range(frames):
        pts = landmarks[j, list(LIPS)]
        if np.all(np.isfinite(pts)):
            out[j] = box_from_points(pts, MOUTH_PAD)
    return out


def box_mask(box, size: int, resolution: int) -> np.ndarray:
    """[R, R] float32: 1 where a model pixel's centre lies inside the box (crop pixels of a
    size x size crop), else 0."""
    c = (np.arange(resolution, dtype=np.float64) + 0.5) * (size / resolution)
    inside_x = (c >= box[0]) & (c <= box[2])
    inside_y = (c >= box[1]) & (c <= box[3])
    return (inside_y[:, None] & inside_x[None, :]).astype(np.float32)


def lip_points(landmarks: np.ndarray | None, frame: int, size: int, resolution: int) -> tuple[np.ndarray, float]:
    """([len(LIPS), 2] float32 lip landmarks of a frame in model pixels (crop pixels * R / size),
    1.0) or (zeros, 0.0) when the clip has none or they are not finite."""
    if landmarks is None or landmarks.shape[1] <= max(LIPS):
        return np.zeros((len(LIPS), 2), dtype=np.float32), 0.0
    pts = landmarks[frame, list(LIPS)].astype(np.float32) * (resolution / size)
    if not np.all(np.isfinite(pts)):
        return np.zeros((len(LIPS), 2), dtype=np.float32), 0.0
    return pts, 1.0


# ---- expression flow (loss.mouth_flow_weight) -------------------------------------------------------

NOSE_TIP = 1  # MediaPipe mesh; landmarks above it (eyes, brows, nose, forehead) barely move in speech
FLOW_SIGMA = 0.03  # of the crop: the reach of one landmark's displacement over the pixel grid
FLOW_REACH = 0.5  # kernel mass under which a pixel's flow fades to 0 (far from every landmark)


def rigid_part_fit(moving: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """[3, 2] least-squares 2D affine map taking `moving`'s landmarks above the nose tip onto
    `reference`'s: the head pose (and camera jitter) between two frames of a clip, which the
    upper face follows and speech does not move."""
    stable = reference[:, 1] < reference[NOSE_TIP, 1]
    x = np.c_[moving[stable], np.ones(int(stable.sum()))].astype(np.float64)
    a, *_ = np.linalg.lstsq(x, reference[stable].astype(np.float64), rcond=None)
    return a


def _gauss_weights(grid: np.ndarray, centres: np.ndarray, sigma: float) -> np.ndarray:
    """exp(-(grid - centre)^2 / 2 sigma^2), with the far tails set to 0: left alone they
    underflow to float32 denormals, which make the products below ten times slower."""
    arg = (grid[:, None] - centres[None, :]) ** 2 / (2 * sigma * sigma)
    return np.where(arg < 30.0, np.exp(-np.minimum(arg, 30.0)), 0.0).astype(np.float32)


def expression_flow(src: np.ndarray, tgt: np.ndarray, size: int, resolution: int) -> np.ndarray:
    """[R, R, 2] float32: how far each source model pixel moves in the source image (model
    pixels) from the source frame's expression to the target frame's, with the head pose taken
    out (rigid_part_fit). The target frame's landmarks are mapped into the source frame by the
    pose fit; their residuals (zero above the nose tip, where speech moves nothing) are spread
    over the pixel grid by normalised Gaussian kernel regression and fade to zero away from the
    face. src/tgt: [L, 2] crop pixels of a size x size crop. Not in the paper: a dense,
    pose-free target for the dynamic offsets, which plain L2 at 64-128 px does not teach
    (training/RUNS.md)."""
    a = rigid_part_fit(tgt, src)
    moved = np.c_[tgt, np.ones(len(tgt))] @ a
    residual = moved - src
    residual[src[:, 1] < src[NOSE_TIP, 1]] = 0.0
    scale = resolution / size
    pts = (src * scale).astype(np.float32)
    res = (residual * scale).astype(np.float32)
    c = np.arange(resolution, dtype=np.float32) + 0.5
    sigma = FLOW_SIGMA * resolution
    # The Gaussian kernel is separable: w[v, u, k] = ey[v, k] * ex[u, k], so each sum over the
    # landmarks k is one [R, L] @ [L, R] product.
    ex = _gauss_weights(c, pts[:, 0], sigma)  # [R(u), L]
    ey = _gauss_weights(c, pts[:, 1], sigma)  # [R(v), L]
    mass = ey @ ex.T  # [v, u]
    flow = np.stack([(ey * res[None, :, 0]) @ ex.T, (ey * res[None, :, 1]) @ ex.T], axis=-1)
    flow = flow / np.maximum(mass, 1e-12)[..., None] * np.minimum(1.0, mass / FLOW_REACH)[..., None]
    return flow.astype(np.float32)


# The speech-envelope articulation target (loss.mouth_flow_target "envelope"; RUNS.md, twelfth
# session). Not in the paper: with 13 talking clips, many of them generated by other talking-head
# methods whose lips follow their own audio at r 0-0.4, the decoder cannot learn the audio-to-jaw
# mapping from the recorded lips. This target opens the source frame's jaw in proportion to the
# loudness of the target frame's speech: a speaker-independent rule the decoder can learn from any
# clip and carry to any face.
INNER_LIPS = (13, 14)  # upper and lower inner lip at the centre: their gap is the mouth opening
MOUTH_CORNERS = (61, 291)


def speech_envelope(rms: np.ndarray, floor: float = 0.2, smooth: int = 5) -> np.ndarray:
    """[frames] 0..1 openness from each video frame's audio RMS: the RMS averaged over `smooth`
    frames centred on the frame, as a fraction of the clip's 95th-percentile RMS (its speech
    level), mapped from [floor, 1] to [0, 1] and clamped. Room tone and pauses (under `floor` of
    the speech level) give 0, a closed mouth."""
    rms = np.asarray(rms, dtype=np.float64)
    if rms.size == 0:
        return np.zeros(0, dtype=np.float32)
    h = max(0, int(smooth) // 2)
    padded = np.pad(rms, h, mode="edge")
    mean = np.convolve(padded, np.ones(2 * h + 1) / (2 * h + 1), mode="valid")
    level = np.percentile(rms, 95)
    if not level > 0:
        return np.zeros(rms.shape, dtype=np.float32)
    return np.clip((mean / level - floor) / (1.0 - floor), 0.0, 1.0).astype(np.float32)


def jaw_open_landmarks(lm: np.ndarray, openness: float, max_opening: float) -> np.ndarray:
    """[L, 2] the landmarks `lm` (crop pixels, y down) with the jaw dropped by openness *
    max_opening * mouth width, from wherever the source frame's jaw is: the motion is then the
    product of the audio's openness and a field of the face alone, which a decoder can learn
    for faces it has not seen. Every landmark below the mouth line (the midpoint of the inner
    lips) moves straight down, in full between the mouth corners and fading to nothing at twice
    the half-width of the mouth from its centre; the rest of the face holds still."""
    lm = np.asarray(lm, dtype=np.float64)
    up, low = lm[INNER_LIPS[0]], lm[INNER_LIPS[1]]
    left, right = lm[MOUTH_CORNERS[0]], lm[MOUTH_CORNERS[1]]
    width = float(np.linalg.norm(right - left))
    change = float(openness) * max_opening * width
    mouth_line = 0.5 * (up[1] + low[1])
    centre_x, half = 0.5 * (left[0] + right[0]), 0.5 * width
    lateral = np.clip(1.0 - (np.abs(lm[:, 0] - centre_x) - half) / max(half, 1e-6), 0.0, 1.0)
    out = lm.copy()
    below = lm[:, 1] > mouth_line
    out[below, 1] += change * lateral[below]
    return out
