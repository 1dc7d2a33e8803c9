"""Drawing a move: zooms as resizes about their fixed point, pans as warps, anti-aliased edges.

Synthetic pixels and a straight warp of the planned window as the reference: no files, no FFmpeg.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from rendering.pipeline import yuv
from rendering.pipeline.motion import PAD, ShotPainter
from rendering.pipeline.timeline import Rect
from tests.rendering.conftest import detail_texture

PICTURE = (640, 360)


def planned_warp(painter: ShotPainter, rect: Rect) -> np.ndarray:
    """The luma a general warp makes of the planned window: the reference."""
    (w, h), (pw, ph) = painter.size, painter.picture
    sx, sy = rect.w * w / pw, rect.h * h / ph
    tx, ty = PAD + rect.x * w, PAD + rect.y * h
    matrix = np.array([[sx, 0, tx + 0.5 * sx - 0.5], [0, sy, ty + 0.5 * sy - 0.5]])
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    return np.asarray(
        cv2.warpAffine(
            painter.photo.y, matrix, (pw, ph), flags=flags, borderMode=cv2.BORDER_REPLICATE
        )
    )


def painter_for(start: Rect, end: Rect, size: tuple[int, int] = (700, 394)) -> ShotPainter:
    photo = yuv.from_rgb(detail_texture(*size, seed=3), pad=PAD)
    return ShotPainter(photo, size, PICTURE, start, end)


def drawn(painter: ShotPainter, rect: Rect) -> np.ndarray:
    out = yuv.new_planes(*PICTURE)
    painter.draw(rect, out)
    return out.y.copy()


def offset(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    window = cv2.createHanningWindow(a.shape[::-1], cv2.CV_64F)
    (dx, dy), _ = cv2.phaseCorrelate(a.astype(np.float64), b.astype(np.float64), window)
    return dx, dy


def test_it_draws_a_zoom_where_the_plan_puts_it_on_every_frame_through_one_to_one() -> None:
    # From 1.09 photo pixels per picture pixel to 0.98: the scale passes 1:1, where a plain
    # resize would round its output to the input's size and copy it instead of scaling.
    start, end = Rect(0.0, 0.0, 1.0, 1.0), Rect(0.05, 0.08, 0.9, 0.9)
    painter = painter_for(start, end)
    assert painter.anchors is not None  # drawn as four resizes, not a warp
    shifts = []
    for p in np.linspace(0.0, 1.0, 41):
        rect = start.lerp(end, float(p))
        got, want = drawn(painter, rect), planned_warp(painter, rect)
        dx, dy = offset(want, got)
        shifts.append((dx, dy))
        assert abs(dx) < 2 and abs(dy) < 2, f"p={p:.3f}: the picture is {dx:.2f}, {dy:.2f} px off"
        # Same pixels once the (constant, sub-2-pixel) snapping of the fixed point is undone.
        undo = np.array([[1, 0, -dx], [0, 1, -dy]], dtype=np.float32)
        back = cv2.warpAffine(got.astype(np.float32), undo, PICTURE)
        inner = (slice(8, -8), slice(8, -8))
        assert np.abs(back[inner] - want[inner]).mean() < 3, f"p={p:.3f}: different pixels"
    # Snapping the fixed point to whole pixels shifts the move by a near-constant amount: it
    # may drift smoothly by a fraction of a pixel over the shot, never jump between frames.
    steps = np.abs(np.diff(np.array(shifts), axis=0))
    assert steps.max() < 0.05, f"the snapping wobbles from frame to frame: {steps.max():.3f}"


def test_it_keeps_the_one_point_both_windows_share_still_on_screen() -> None:
    start, end = Rect(0.1, 0.0, 0.8, 0.9), Rect(0.3, 0.25, 0.6, 0.675)
    fixed_x = (end.x - start.x) / (start.w - end.w)  # as a fraction of the window
    point = start.x + fixed_x * start.w  # in the photo
    on_screen = [(point - r.x) / r.w for r in (start.lerp(end, p) for p in np.linspace(0, 1, 9))]
    assert np.ptp(on_screen) < 1e-9
    assert start.lerp(end, 1.0) == pytest.approx(end)


def test_it_draws_a_pan_with_a_sub_pixel_warp() -> None:
    start, end = Rect(0.0, 0.05, 0.5, 0.9), Rect(0.5, 0.05, 0.5, 0.9)  # same size: no zoom
    painter = painter_for(start, end, size=(1400, 394))
    assert painter.anchors is None
    for p in (0.0, 0.37, 1.0):
        rect = start.lerp(end, p)
        assert np.array_equal(drawn(painter, rect), planned_warp(painter, rect))


@pytest.mark.parametrize("zoom", [1.0, 1.07], ids=["still", "zooming"])
def test_it_blends_the_edges_of_a_photo_smaller_than_the_picture_into_the_fill(
    zoom: float,
) -> None:
    red = np.full((200, 150, 3), (230, 30, 30), np.uint8)
    fill = yuv.from_rgb(np.full((PICTURE[1], PICTURE[0], 3), (30, 30, 230), np.uint8))
    # The whole photo over its fill (a window wider than the photo), zooming about its centre.
    start = Rect(-0.9, -0.1, 2.8, 1.2)
    end = Rect(0.5 - 1.4 * zoom, 0.5 - 0.6 * zoom, 2.8 * zoom, 1.2 * zoom)
    painter = ShotPainter(yuv.from_rgb(red, pad=PAD), (150, 200), PICTURE, start, end, fill)
    assert (painter.anchors is not None) == (zoom != 1.0)
    out = yuv.new_planes(*PICTURE)
    painter.draw(start, out)
    row = out.y[PICTURE[1] // 2].astype(int)
    back, front = int(fill.y[0, 0]), int(row[PICTURE[0] // 2])
    assert abs(front - back) > 25  # the photo is there, and it is not the fill
    # The photo spans picture x ≈ 205.7 to ≈ 434.3: fill, one part-covered pixel, photo.
    partly = [x for x in range(PICTURE[0]) if row[x] not in (back, front)]
    assert len(partly) == 2, f"edge pixels: {partly}"
    for x in partly:
        assert min(back, front) < row[x] < max(back, front)
    assert (row[: partly[0]] == back).all() and (row[partly[1] + 1 :] == back).all()
    assert (row[partly[0] + 1 : partly[1]] == front).all()
