"""Drawing one frame of a photo's Ken Burns move: the synthesiser's hot path.

A move is a window sliding and scaling over the photo (``Rect.lerp``). When the window zooms,
it zooms about one point that stays put on screen, as a zoom lens would. Such a frame is the
photo scaled about that point. ``cv2.resize`` draws that in about 40 % of the time of a general
warp (``cv2.warpAffine``), once the point sits on a pixel corner of both the photo and the
picture. Then the four quarters around the point are each scaled with a plain resize. Each
quarter is flipped once per shot, so the point is its top-left corner. The scale factor is
continuous, so the motion stays sub-pixel smooth. Moves without such a point on screen (pans)
get ``warpAffine`` per plane.

Coordinates: ``U = t + X · s`` maps a picture position ``X`` (luma pixels, pixel edges at
integers) to a position ``U`` in the padded photo planes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from . import yuv
from .timeline import Rect, fixed_point
from .yuv import U8, Planes

PAD = 4  # photo planes carry this many repeated edge pixels: snapping may read past the edge
_FLAGS = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
_QUARTERS = ((True, True), (False, True), (True, False), (False, False))  # (right, down)


@dataclass(frozen=True, slots=True)
class _Anchor:
    """The fixed point of a zoom: photo position ``a`` (padded) drawn at picture position ``b``;
    both even, so the chroma planes' anchor is a whole pixel too."""

    a: int
    b: int


def anchor_of(
    start: float, start_size: float, end: float, end_size: float, photo: int, picture: int
) -> _Anchor | None:
    """The zoom's fixed point on one axis, if it lies on screen (window-relative 0..1).

    Snapping it to even pixels shifts the whole move by under two pixels, the same on every
    frame, so it cannot be seen; the photo edges are padded for it.
    """
    xi = fixed_point(start, start_size, end, end_size, tolerance=1e-6)
    if xi is None or not -1e-6 <= xi <= 1 + 1e-6:
        return None  # no zoom on this axis (a pan), or its fixed point is off screen
    xi = min(1.0, max(0.0, xi))
    b = 2 * round(xi * picture / 2)
    scale = start_size * photo / picture
    a = 2 * round((PAD + (start + xi * start_size) * photo + (b - xi * picture) * scale) / 2)
    return _Anchor(a, b)


class ShotPainter:
    """Draws a shot's photo (padded planes) into a picture, frame by frame.

    ``fill`` (picture-sized planes) goes behind a photo that does not cover the picture, and
    shows through its anti-aliased edges.
    """

    def __init__(
        self,
        photo: Planes,
        size: tuple[int, int],
        picture: tuple[int, int],
        start: Rect,
        end: Rect,
        fill: Planes | None = None,
    ) -> None:
        self.photo = photo
        self.size = size  # the photo's own width and height, without padding
        self.picture = picture
        self.fill = fill
        (w, h), (pw, ph) = size, picture
        ax = anchor_of(start.x, start.w, end.x, end.w, w, pw)
        ay = anchor_of(start.y, start.h, end.y, end.h, h, ph)
        self.anchors = (ax, ay) if ax is not None and ay is not None else None
        self._quarters: list[dict[tuple[bool, bool], U8]] = []
        self._scratch = _Scratch()
        if self.anchors is not None:
            self._quarters = [
                _quarters(plane, ax.a // k, ay.a // k)  # type: ignore[union-attr]
                for plane, k in photo.each()
            ]

    def draw(self, rect: Rect, out: Planes) -> None:
        (w, h), (pw, ph) = self.size, self.picture
        sx, sy = rect.w * w / pw, rect.h * h / ph
        if self.anchors is not None:
            ax, ay = self.anchors
            tx, ty = ax.a - ax.b * sx, ay.a - ay.b * sy
        else:
            tx, ty = PAD + rect.x * w, PAD + rect.y * h
        region = (0, 0, pw, ph)
        if self.fill is not None:
            yuv.copy(out, self.fill)
            region = self._footprint(tx, ty, sx, sy)
            if region[0] >= region[2] or region[1] >= region[3]:
                return
        for index, (plane, k) in enumerate(out.each()):
            box = tuple(v // k for v in region)
            if self.anchors is not None:
                ax, ay = self.anchors
                _draw_quarters(
                    self._quarters[index],
                    self._scratch,
                    plane,
                    box,
                    (ax.b // k, ay.b // k),
                    (sx, sy),
                )
            else:
                source = self.photo.each()[index][0]
                _draw_warp(source, plane, box, (tx / k, ty / k), (sx, sy))
        if self.fill is not None:
            self._feather(out, self.fill, region, self._spans(tx, ty, sx, sy))

    # -- a photo smaller than the picture ---------------------------------------------------

    def _spans(
        self, tx: float, ty: float, sx: float, sy: float
    ) -> tuple[tuple[float, float], tuple[float, float]]:
        """Where the photo's edges fall in the picture (luma pixels, continuous), x then y."""
        w, h = self.size
        return ((PAD - tx) / sx, (PAD + w - tx) / sx), ((PAD - ty) / sy, (PAD + h - ty) / sy)

    def _footprint(self, tx: float, ty: float, sx: float, sy: float) -> tuple[int, int, int, int]:
        """The picture pixels the photo touches (even bounds), plus the anchor if off them."""
        pw, ph = self.picture
        (x0, x1), (y0, y1) = self._spans(tx, ty, sx, sy)
        bx = [self.anchors[0].b] if self.anchors else []
        by = [self.anchors[1].b] if self.anchors else []
        return (
            max(0, min([math.floor(x0) // 2 * 2, *bx])),
            max(0, min([math.floor(y0) // 2 * 2, *by])),
            min(pw, max([-(-math.ceil(x1) // 2) * 2, *bx])),
            min(ph, max([-(-math.ceil(y1) // 2) * 2, *by])),
        )

    def _feather(
        self,
        out: Planes,
        fill: Planes,
        region: tuple[int, int, int, int],
        spans: tuple[tuple[float, float], tuple[float, float]],
    ) -> None:
        """Blend the pixels the photo only partly covers with the fill, by how much it covers
        them: the photo's edges are anti-aliased, and what lies beyond them is the fill."""
        x_span, y_span = spans
        x0, y0, x1, y1 = region
        for (plane, k), (back, _) in zip(out.each(), fill.each(), strict=True):
            rows = slice(y0 // k, y1 // k)
            cols = slice(x0 // k, x1 // k)
            cover_x = _coverage(x0 // k, x1 // k, k, x_span)
            cover_y = _coverage(y0 // k, y1 // k, k, y_span)
            _blend_lines(_columns(plane[rows, cols]), _columns(back[rows, cols]), cover_x)
            _blend_lines(plane[rows, cols], back[rows, cols], cover_y)


class _Scratch:
    """One reusable buffer for resize results, grown when a bigger one is asked for."""

    def __init__(self) -> None:
        self._flat = np.empty(0, np.uint8)

    def take(self, shape: tuple[int, ...]) -> U8:
        count = math.prod(shape)
        if count > self._flat.size:
            self._flat = np.empty(count, np.uint8)
        return self._flat[:count].reshape(shape)


def _quarters(plane: U8, ax: int, ay: int) -> dict[tuple[bool, bool], U8]:
    """The four parts of a plane around (ax, ay), each flipped to have that corner top-left."""
    parts = {
        (True, True): plane[ay:, ax:],
        (False, True): cv2.flip(plane[ay:, :ax], 1) if ax else plane[ay:, :0],
        (True, False): cv2.flip(plane[:ay, ax:], 0) if ay else plane[:0, ax:],
        (False, False): cv2.flip(plane[:ay, :ax], -1) if ax and ay else plane[:0, :0],
    }
    # The flipped parts are new arrays; the unflipped one stays a view (resize reads strided
    # rows as fast as contiguous ones), a quarter of a photo fewer to copy and keep.
    return {key: np.asarray(part, dtype=np.uint8) for key, part in parts.items()}


def _draw_quarters(
    quarters: dict[tuple[bool, bool], U8],
    scratch: _Scratch,
    plane: U8,
    box: tuple[int, ...],
    anchor: tuple[int, int],
    scale: tuple[float, float],
) -> None:
    x0, y0, x1, y1 = box
    bx, by = anchor
    sx, sy = scale
    for right, down in _QUARTERS:
        qw = x1 - bx if right else bx - x0
        qh = y1 - by if down else by - y0
        if qw <= 0 or qh <= 0:
            continue
        source = quarters[right, down]
        rw = min(source.shape[1], math.ceil(qw * sx) + 2)
        rh = min(source.shape[0], math.ceil(qh * sy) + 2)
        if rw <= 0 or rh <= 0:
            continue
        # With no dsize, resize scales by exactly fx/fy (its output size is rounded instead):
        # sample n lands at source (n + 0.5) · s − 0.5 from the corner, as the move needs.
        roi = source[:rh, :rw]
        # Into a reused buffer: a fresh ~2 MB array per call would be mapped, page-faulted and
        # unmapped on every frame (see render._release_big_buffers_eagerly).
        size = (round(rh / sy), round(rw / sx), *source.shape[2:])  # resize's cvRound of fx/fy
        part = cv2.resize(
            roi, None, dst=scratch.take(size), fx=1 / sx, fy=1 / sy, interpolation=cv2.INTER_LINEAR
        )
        if part.shape == roi.shape:
            # Within a hair of 1:1, resize rounds the output to the input's size and copies it
            # instead of scaling; the warp does what resize would have done.
            part = _warp(roi, (0.0, 0.0), scale, (qw, qh))
        if part.shape[0] < qh or part.shape[1] < qw:
            part = cv2.copyMakeBorder(
                part,
                0,
                max(0, qh - part.shape[0]),
                0,
                max(0, qw - part.shape[1]),
                cv2.BORDER_REPLICATE,
            )
        part = part[:qh, :qw]
        target = plane[
            slice(by, y1) if down else slice(y0, by), slice(bx, x1) if right else slice(x0, bx)
        ]
        if right and down:
            np.copyto(target, part)
        else:
            cv2.flip(part, 1 if down else (0 if right else -1), dst=target)


def _draw_warp(
    source: U8,
    plane: U8,
    box: tuple[int, ...],
    offset: tuple[float, float],
    scale: tuple[float, float],
) -> None:
    x0, y0, x1, y1 = box
    (tx, ty), (sx, sy) = offset, scale
    _warp(source, (tx + x0 * sx, ty + y0 * sy), scale, (x1 - x0, y1 - y0), plane[y0:y1, x0:x1])


def _warp(
    source: U8,
    offset: tuple[float, float],
    scale: tuple[float, float],
    size: tuple[int, int],
    dst: U8 | None = None,
) -> U8:
    """``U = t + X · s`` sampled at pixel centres: output pixel x reads t + (x + 0.5) · s − 0.5."""
    (tx, ty), (sx, sy) = offset, scale
    matrix = np.array([[sx, 0.0, tx + 0.5 * sx - 0.5], [0.0, sy, ty + 0.5 * sy - 0.5]])
    return np.asarray(
        cv2.warpAffine(
            source, matrix, size, dst=dst, flags=_FLAGS, borderMode=cv2.BORDER_REPLICATE
        ),
        dtype=np.uint8,
    )


def _coverage(first: int, stop: int, k: int, span: tuple[float, float]) -> np.ndarray:
    """How much of each plane pixel ``first..stop-1`` (luma width ``k``) lies inside ``span``."""
    edges = np.arange(first, stop, dtype=np.float64) * k
    lo, hi = span
    return np.asarray(np.clip((np.minimum(edges + k, hi) - np.maximum(edges, lo)) / k, 0.0, 1.0))


def _columns(plane: U8) -> U8:
    """A view with rows and columns swapped (channels, if any, stay last)."""
    return np.swapaxes(plane, 0, 1)


def _blend_lines(plane: U8, back: U8, cover: np.ndarray) -> None:
    """Mix each row of ``plane`` with ``back`` by its ``cover`` (see ``_columns`` for columns)."""
    partial = np.flatnonzero(cover < 1.0)
    if partial.size == 0:
        return
    behind = back[partial]
    weight = cover[partial].reshape(-1, *([1] * (plane.ndim - 1)))
    mixed = behind + (plane[partial].astype(np.float32) - behind) * weight
    plane[partial] = (mixed + 0.5).astype(np.uint8)
