"""Pictures as the encoder takes them: 8-bit YCbCr 4:2:0 (BT.601, limited range) in NV12.

The synthesiser works on these planes from the moment a photo is loaded: every frame then
touches 1.5 bytes per pixel instead of 4 (RGBA), and no colour conversion happens per frame.
The chroma plane is half size both ways, its samples centred between the luma samples, so an
operation at luma position ``x`` happens at chroma position ``x / 2``. Cb and Cr are
interleaved (NV12), the layout x264 keeps internally: each chroma operation is one OpenCV call
on a two-channel image instead of two, and x264 copies the frame in without re-interleaving it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

U8 = NDArray[np.uint8]
BLACK = (16, 128, 128)  # video black: what letterbox bars and fades to black are made of


@dataclass(frozen=True, slots=True)
class Planes:
    """The luma plane and the interleaved chroma plane of one picture; often views into a
    bigger buffer."""

    y: U8  # height × width
    uv: U8  # height/2 × width/2 × 2: Cb, Cr

    @property
    def width(self) -> int:
        return int(self.y.shape[1])

    def each(self) -> tuple[tuple[U8, int], tuple[U8, int]]:
        """Each plane with its subsampling factor (1 for luma, 2 for chroma)."""
        return ((self.y, 1), (self.uv, 2))

    def region(self, x: int, y: int, w: int, h: int) -> Planes:
        """Views of the ``w`` × ``h`` rectangle at (``x``, ``y``) (all even)."""
        return Planes(
            self.y[y : y + h, x : x + w],
            self.uv[y // 2 : (y + h) // 2, x // 2 : (x + w) // 2],
        )

    def colour_at(self, x: int, y: int) -> tuple[int, int, int]:
        """The (Y, Cb, Cr) sample at luma position (``x``, ``y``)."""
        cb, cr = self.uv[y // 2, x // 2]
        return int(self.y[y, x]), int(cb), int(cr)


def nv12_planes(buffer: U8, width: int, height: int) -> Planes:
    """Views of the planes of a contiguous NV12 buffer (what FFmpeg reads as ``nv12``)."""
    flat = buffer.reshape(-1)
    y_size = width * height
    return Planes(
        flat[:y_size].reshape(height, width),
        flat[y_size : y_size + y_size // 2].reshape(height // 2, width // 2, 2),
    )


def new_planes(width: int, height: int) -> Planes:
    return nv12_planes(np.empty(width * height * 3 // 2, np.uint8), width, height)


def from_rgb(image: U8, *, pad: int = 0) -> Planes:
    """Planes of an RGB(A) image, its edges repeated ``pad`` pixels outwards (and one more on
    an odd side, as 4:2:0 needs even sizes). ``pad`` must be even."""
    h, w = image.shape[:2]
    if h % 2 or w % 2:
        # 4:2:0 wants even sides: repeat the last row or column (rare: most photos are even).
        image = np.asarray(cv2.copyMakeBorder(image, 0, h % 2, 0, w % 2, cv2.BORDER_REPLICATE))
        h, w = image.shape[:2]
    code = cv2.COLOR_RGBA2YUV_I420 if image.shape[2] == 4 else cv2.COLOR_RGB2YUV_I420
    i420 = np.asarray(cv2.cvtColor(image, code), np.uint8).reshape(-1)
    # The border goes on the planes, not the RGB image: half the bytes to copy and convert.
    out = new_planes(w + 2 * pad, h + 2 * pad)
    luma = i420[: w * h].reshape(h, w)
    cv2.copyMakeBorder(luma, pad, pad, pad, pad, cv2.BORDER_REPLICATE, dst=out.y)
    chroma = i420[w * h :].reshape(2, h // 2, w // 2)
    cp = pad // 2
    cv2.copyMakeBorder(cv2.merge([*chroma]), cp, cp, cp, cp, cv2.BORDER_REPLICATE, dst=out.uv)
    return out


def fill(planes: Planes, colour: tuple[int, int, int]) -> None:
    luma, cb, cr = colour
    planes.y[:] = luma
    planes.uv[:] = (cb, cr)


def copy(dst: Planes, src: Planes) -> None:
    for (d, _), (s, _) in zip(dst.each(), src.each(), strict=True):
        np.copyto(d, s)


def towards(planes: Planes, colour: tuple[int, int, int], amount: float) -> None:
    """Move every sample ``amount`` (0..1) of the way to ``colour``, in place: fades and dips."""
    if amount <= 0:
        return
    keep = max(0.0, 1.0 - amount)
    luma, cb, cr = colour
    cv2.convertScaleAbs(planes.y, dst=planes.y, alpha=keep, beta=luma * (1.0 - keep))
    # Cb and Cr move towards different values: a per-channel affine map, in one pass.
    shift = np.array([[keep, 0.0, cb * (1.0 - keep)], [0.0, keep, cr * (1.0 - keep)]])
    cv2.transform(planes.uv, shift, dst=planes.uv)


def dissolve(dst: Planes, a: Planes, b: Planes, p: float) -> None:
    for (d, _), (pa, _), (pb, _) in zip(dst.each(), a.each(), b.each(), strict=True):
        cv2.addWeighted(pa, 1.0 - p, pb, p, 0.0, dst=d)


def push(dst: Planes, a: Planes, b: Planes, p: float, *, axis: int) -> None:
    """``b`` pushes ``a`` out: leftwards for axis 1, upwards for axis 0. Whole luma pixel pairs,
    so the chroma planes move exactly half as far."""
    size = dst.y.shape[axis]
    off = min(size, max(0, 2 * round(p * size / 2)))
    for (d, k), (pa, _), (pb, _) in zip(dst.each(), a.each(), b.each(), strict=True):
        o, n = off // k, d.shape[axis]
        if axis == 1:
            d[:, : n - o] = pa[:, o:]
            d[:, n - o :] = pb[:, :o]
        else:
            d[: n - o] = pa[o:]
            d[n - o :] = pb[:o]


def wipe(dst: Planes, a: Planes, b: Planes, p: float) -> None:
    """A soft-edged wipe: ``b`` is revealed from the right edge towards the left."""
    w = dst.width
    band = max(8, w // 24)
    edge = round((1 - p) * (w + band)) - band  # luma column where the soft band starts
    for (d, k), (pa, _), (pb, _) in zip(dst.each(), a.each(), b.each(), strict=True):
        n, e, bd = d.shape[1], edge / k, band / k
        lo, hi = min(n, max(0, int(np.floor(e)))), min(n, max(0, int(np.ceil(e + bd))))
        d[:, :lo] = pa[:, :lo]
        d[:, hi:] = pb[:, hi:]
        if hi > lo:
            ramp = np.clip((np.arange(lo, hi, dtype=np.float32) + 0.5 - e) / bd, 0.0, 1.0)
            ramp = ramp.reshape(-1, *([1] * (d.ndim - 2)))  # one weight per column, all channels
            mixed = pa[:, lo:hi] * (1 - ramp) + pb[:, lo:hi] * ramp
            d[:, lo:hi] = (mixed + 0.5).astype(np.uint8)
