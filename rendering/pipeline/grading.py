"""Colour treatment: per-photo grades (image space) and per-frame looks (screen space).

Grades are baked into each photo once, before any motion, so they cost nothing per frame. Only
what belongs to the screen — vignette and grain — is applied frame by frame, from precomputed
masks, with OpenCV calls that release the GIL.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from .styles import Grade

U8 = NDArray[np.uint8]

# BT.601 luma weights: the same matrix the frames are converted with (see frames.py).
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def channel_luts(grade: Grade, channels: int = 3) -> U8:
    """A 256×1×``channels`` lookup table for warmth, contrast, lift/gain and the teal-orange
    split; a fourth (alpha) channel passes through unchanged."""
    x = np.linspace(0.0, 1.0, 256, dtype=np.float32)
    if grade.contrast != 1.0:
        # A symmetric S-curve around mid-grey; strength 1.0 is the identity.
        s = np.clip(grade.contrast - 1.0, -0.9, 0.9)
        curve = x + s * (x - 0.5) * (1 - np.abs(2 * x - 1)) * 2
        x = np.clip(curve, 0.0, 1.0)
    x = grade.lift + x * (grade.gain - grade.lift)
    r, g, b = x.copy(), x.copy(), x.copy()
    if grade.warmth:
        r = r + grade.warmth * 0.5 * np.sin(np.pi * x)
        b = b - grade.warmth * 0.5 * np.sin(np.pi * x)
    if grade.teal_orange:
        shadows = np.clip(1 - 2 * x, 0, 1) * grade.teal_orange * 0.10
        highlights = np.clip(2 * x - 1, 0, 1) * grade.teal_orange * 0.08
        r = r - shadows + highlights
        g = g + shadows * 0.3 + highlights * 0.35
        b = b + shadows - highlights
    planes = [r, g, b] + ([np.linspace(0.0, 1.0, 256, dtype=np.float32)] if channels == 4 else [])
    lut = np.stack(planes, axis=-1).reshape(256, 1, channels)
    return np.asarray(np.clip(lut * 255 + 0.5, 0, 255), dtype=np.uint8)


def apply_grade(image: U8, grade: Grade) -> U8:
    """Grade an RGB or RGBA image (uint8); identity grades are free, alpha is kept.

    At most one new image: saturation and sepia are one colour matrix, the curves a lookup
    table applied in place. A 1080p photo is 9 MB, and each fresh one costs page faults.
    """
    if grade.is_identity:
        return image
    out = image
    if grade.saturation != 1.0 or grade.sepia:
        matrix = colour_matrix(grade.saturation, grade.sepia, image.shape[2])
        out = np.asarray(cv2.transform(image, matrix), dtype=np.uint8)
    if grade != Grade(saturation=grade.saturation, sepia=grade.sepia):
        lut = channel_luts(grade, out.shape[2])
        out = np.asarray(cv2.LUT(out, lut, dst=out if out is not image else None), np.uint8)
    return out


def colour_matrix(saturation: float, sepia: float, channels: int = 3) -> np.ndarray:
    """The ``channels``-square matrix mixing each pixel towards its grey (saturation < 1; > 1
    pushes away from it), then towards a warm paper tone of that grey (sepia); alpha kept.

    Both are linear in RGB, so one ``cv2.transform`` pass does them with no grey copies.
    """
    grey = np.tile(_LUMA.astype(np.float64), (3, 1))  # each row: that channel becomes luma
    mixed = saturation * np.eye(3) + (1.0 - saturation) * grey
    if sepia:
        tone = np.array([1.07, 0.94, 0.74])[:, None]  # grey → warm paper, per channel
        mixed = (1.0 - sepia) * mixed + sepia * tone * grey
    matrix = np.eye(channels)
    matrix[:3, :3] = mixed
    return matrix


def vignette_mask(width: int, height: int, strength: float) -> U8 | None:
    """A luma multiplier (255 = untouched) darkening the corners; None when off."""
    if strength <= 0:
        return None
    ys = np.linspace(-1.0, 1.0, height, dtype=np.float32)[:, None]
    xs = np.linspace(-1.0, 1.0, width, dtype=np.float32)[None, :]
    # Elliptical distance normalised so the corners sit at 1.0 whatever the aspect.
    d = np.sqrt((xs**2 + ys**2) / 2.0)
    falloff = np.clip((d - 0.45) / 0.55, 0.0, 1.0) ** 2
    mask = 1.0 - strength * 0.5 * falloff
    return np.asarray(np.clip(mask * 255 + 0.5, 0, 255), dtype=np.uint8)


class Vignette:
    """Darkens a luma plane's corners by ``vignette_mask``, touching only what it darkens.

    The middle of the picture (40–60 % of it) is left as it is by the mask, so each band of
    rows is multiplied only left and right of the span its rows all leave alone.
    """

    BANDS = 16  # more cut closer to the untouched ellipse, but each costs two calls per frame

    def __init__(self, mask: U8) -> None:
        self.mask = mask
        height, width = mask.shape
        untouched = mask == 255
        boxes: list[tuple[slice, slice]] = []
        edges = np.linspace(0, height, self.BANDS + 1).round().astype(int)
        for top, bottom in zip(edges[:-1], edges[1:], strict=True):
            rows = slice(int(top), int(bottom))
            clear = np.flatnonzero(untouched[rows].all(axis=0))
            if clear.size == 0:
                boxes.append((rows, slice(0, width)))
                continue
            # The mask falls off monotonically from the centre, so the untouched columns of a
            # band are one run.
            boxes += [(rows, slice(0, int(clear[0]))), (rows, slice(int(clear[-1]) + 1, width))]
        # Each part with its piece of the mask, sliced once here rather than on every frame.
        self._parts = [
            (rows, cols, mask[rows, cols]) for rows, cols in boxes if mask[rows, cols].size
        ]

    @classmethod
    def for_picture(cls, width: int, height: int, strength: float) -> Vignette | None:
        mask = vignette_mask(width, height, strength)
        return None if mask is None else cls(mask)

    def apply(self, luma: U8) -> None:
        """In place. On luma only: a third of the work of an RGB multiply, and at these
        strengths the chroma left as it is cannot be told apart."""
        for rows, cols, mask in self._parts:
            part = luma[rows, cols]
            cv2.multiply(part, mask, dst=part, scale=1 / 255)


class Grain:
    """Film grain for the luma plane: a pre-made noise field read at a new offset each frame.

    Generating fresh noise for every 2-megapixel frame would cost more than the encode; a
    shifted window over a larger field looks just as random to the eye.
    """

    PAD = 97

    def __init__(self, width: int, height: int, amplitude: float, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        field = rng.standard_normal((height + self.PAD, width + self.PAD), dtype=np.float32)
        # Soften to grain-sized clumps rather than single-pixel speckle (which x264 would smear).
        field = np.asarray(cv2.GaussianBlur(field, (0, 0), 0.7), dtype=np.float32)
        field *= 1.6 * amplitude
        self._pos = np.clip(field, 0, 255).astype(np.uint8)
        self._neg = np.clip(-field, 0, 255).astype(np.uint8)
        self._width, self._height = width, height
        self._rng = np.random.default_rng(seed + 1)

    def apply(self, luma: U8) -> None:
        dx, dy = (int(v) for v in self._rng.integers(0, self.PAD, 2))
        window = (slice(dy, dy + self._height), slice(dx, dx + self._width))
        cv2.add(luma, self._pos[window], dst=luma)
        cv2.subtract(luma, self._neg[window], dst=luma)


def luma_of(rgb: tuple[int, int, int]) -> float:
    return float(np.dot(np.array(rgb, dtype=np.float32), _LUMA))
