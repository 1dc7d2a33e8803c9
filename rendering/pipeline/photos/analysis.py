"""Cheap measurements on a grey, upright copy of a photo: sharpness and a perceptual hash."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

GreyArray = npt.NDArray[np.uint8]

# A fixed working size makes sharpness comparable between photos of different resolutions.
SHARPNESS_SIDE = 512
_HASH_SIDE = 32
_HASH_BLOCK = 8


def sharpness(grey: GreyArray) -> float:
    """Variance of the Laplacian on a copy whose long side is 512 px: higher is sharper."""
    laplacian = cv2.Laplacian(resize_long_side(grey, SHARPNESS_SIDE), cv2.CV_64F)
    return float(laplacian.var())


def phash(grey: GreyArray) -> int:
    """64-bit DCT perceptual hash: the 8×8 lowest frequencies of a 32×32 copy, each bit set
    when its coefficient is above their median. Bit 63 is the DC term."""
    small = cv2.resize(grey, (_HASH_SIDE, _HASH_SIDE), interpolation=cv2.INTER_AREA)
    dct = cv2.dct(small.astype(np.float32))
    low = dct[:_HASH_BLOCK, :_HASH_BLOCK].flatten()
    bits = low > np.median(low)
    return int.from_bytes(np.packbits(bits).tobytes(), "big")


def phash_distance(a: int, b: int) -> int:
    """Hamming distance between two hashes: ≤ 6 means the same picture, re-encoded or resized."""
    return (a ^ b).bit_count()


def resize_long_side(grey: GreyArray, side: int) -> GreyArray:
    """``grey`` scaled so its long side is ``side`` px (area-averaged down, linear up)."""
    h, w = grey.shape[:2]
    scale = side / max(h, w)
    if scale == 1:
        return grey
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return np.asarray(cv2.resize(grey, size, interpolation=interpolation), dtype=np.uint8)
