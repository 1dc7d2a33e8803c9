"""The frame synthesiser: smooth sub-pixel motion, letterbox black, blurred fill, dissolves.

Photos come from a fake loader (synthetic pixels), so these tests need no files and no FFmpeg.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest

from rendering.pipeline.frames import FrameSynth
from rendering.pipeline.options import Order, RenderOptions
from rendering.pipeline.photos.model import Box
from rendering.pipeline.plan import plan_timeline
from rendering.pipeline.timeline import Layout, Timeline
from tests.rendering.conftest import FakePhoto, collect, detail_texture, frame_to_rgb, y_plane

SOLID = {"red.jpg": (230, 30, 30), "blue.jpg": (30, 30, 230)}


def loader(photos: list[FakePhoto]):  # type: ignore[no-untyped-def]
    """A loader that hands out synthetic pixels with each fake photo's aspect ratio."""
    by_name = {p.name: p for p in photos}

    def load(path: Path, cover: tuple[int, int], background: tuple[int, int, int]) -> np.ndarray:
        photo = by_name[path.name]
        scale = max(
            cover[0] / photo.width, cover[1] / photo.height, 64 / min(photo.width, photo.height)
        )
        w, h = max(1, round(photo.width * scale)), max(1, round(photo.height * scale))
        if path.name in SOLID:
            return np.full((h, w, 3), SOLID[path.name], np.uint8)
        return detail_texture(w, h, seed=len(path.name))

    return load


def frames_of(
    timeline: Timeline, photos: list[FakePhoto], wanted: set[int]
) -> dict[int, np.ndarray]:
    """Copies of the wanted frames, synthesising no further than the last of them."""
    last = max(wanted)
    short = dataclasses.replace(timeline, frames=last + 1, fade_out_frames=0)
    synth = FrameSynth(short, loader=loader(photos))
    return collect(synth.frames(), lambda i: i in wanted)


def test_it_moves_the_camera_smoothly_without_whole_pixel_jitter() -> None:
    photo = FakePhoto("detail.jpg", 2400, 1350, subject=Box(0.45, 0.45, 0.1, 0.1))
    options = RenderOptions(resolution="720p", seconds_per_photo=4.0, style="classic")
    planned = plan_timeline([photo], options, music=None).timeline
    shot = planned.shots[1]
    assert shot.layout is Layout.COVER and shot.start_rect.w > shot.end_rect.w  # a slow push-in
    # The photo's shot alone, from frame 0, without fades or words.
    alone = dataclasses.replace(shot, start=0)
    timeline = dataclasses.replace(
        planned,
        frames=alone.frames,
        shots=(alone,),
        transitions=(),
        texts=(),
        fade_in_frames=0,
        fade_out_frames=0,
        poster_frame=-1,
    )
    w, h = timeline.width, timeline.height
    frames = frames_of(timeline, [photo], set(range(timeline.frames)))
    # Track the picture 3/4 of the way across, where a push-in moves it steadily rightwards.
    size = 192
    x0, y0 = int(w * 0.75) - size // 2, h // 2 - size // 2
    window = cv2.createHanningWindow((size, size), cv2.CV_64F)
    crops = [
        y_plane(frames[i], w, h)[y0 : y0 + size, x0 : x0 + size].astype(np.float64)
        for i in range(timeline.frames)
    ]
    dx = np.array([cv2.phaseCorrelate(a, b, window)[0][0] for a, b in itertools.pairwise(crops)])
    assert dx.sum() > 20  # it really moves: tens of pixels over the shot
    assert (dx > 0).all(), f"the motion reverses: {np.round(dx, 2).tolist()}"
    jerk = np.abs(np.diff(dx))
    assert jerk.max() < 0.25, f"frame-to-frame jumps: {np.round(dx, 2).tolist()}"


def test_it_paints_cinematic_letterbox_bars_video_black() -> None:
    photos = [FakePhoto("detail.jpg", 2400, 1350)]
    timeline = plan_timeline(
        photos, RenderOptions(style="cinematic", resolution="720p"), music=None
    ).timeline
    _, top, _, pic_h = timeline.picture
    assert top > 0
    mid = timeline.shots[1].start + timeline.shots[1].frames // 2
    w, h = timeline.width, timeline.height
    got = frames_of(timeline, photos, {0, mid})
    for index, frame in got.items():
        luma = y_plane(frame, w, h)
        assert (luma[:top] == 16).all(), f"frame {index}: top bar is not video black"
        assert (luma[top + pic_h :] == 16).all(), f"frame {index}: bottom bar is not video black"
        chroma = frame.reshape(-1)[w * h :]
        u_rows = chroma[: (w // 2) * (h // 2)].reshape(h // 2, w // 2)
        assert (u_rows[: top // 2] == 128).all()
    picture = y_plane(got[mid], w, h)[top : top + pic_h]
    assert picture.std() > 10  # the photo itself is there between the bars


def test_it_fills_the_sides_of_a_portrait_photo_with_a_blur_not_black_bars() -> None:
    photos = [FakePhoto("tall.jpg", 1500, 2000)]
    timeline = plan_timeline(photos, RenderOptions(resolution="720p"), music=None).timeline
    shot = timeline.shots[1]
    assert shot.layout is Layout.FIT
    mid = shot.start + shot.frames // 2
    w, h = timeline.width, timeline.height
    luma = y_plane(frames_of(timeline, photos, {mid})[mid], w, h).astype(np.float64)
    column_means = luma.mean(axis=0)
    assert column_means.min() > 40, "a column of the frame is (nearly) black"
    # The sides are a blurred copy, the middle is the sharp photo.
    sharpness = np.abs(cv2.Laplacian(luma, cv2.CV_64F))
    side, centre = sharpness[:, : w // 10].mean(), sharpness[:, w * 4 // 10 : w * 6 // 10].mean()
    assert side < centre / 4
    assert luma[:, : w // 10].std() > 1  # a picture, not a flat colour


def test_it_mixes_both_photos_halfway_through_a_dissolve() -> None:
    photos = [FakePhoto("red.jpg", 1600, 900), FakePhoto("blue.jpg", 1600, 900, phash=0xFFFF)]
    options = RenderOptions(
        resolution="720p", seconds_per_photo=1.0, transition_seconds=0.3, order=Order.GIVEN
    )
    timeline = plan_timeline(photos, options, music=None).timeline
    (dissolve,) = [t for t in timeline.transitions if t.index == 1]
    assert dissolve.kind.value == "dissolve" and dissolve.frames == 9
    before, middle, after = dissolve.start - 1, dissolve.start + 4, dissolve.start + dissolve.frames
    assert dissolve.progress(middle) == pytest.approx(0.5)
    got = frames_of(timeline, photos, {before, middle, after})
    w, h = timeline.width, timeline.height

    def centre(i: int) -> np.ndarray:
        rgb = frame_to_rgb(got[i], w, h).astype(int)
        return rgb[h // 2 - 20 : h // 2 + 20, w // 2 - 20 : w // 2 + 20].reshape(-1, 3).mean(axis=0)

    r0, _, b0 = centre(before)
    r1, _, b1 = centre(middle)
    r2, _, b2 = centre(after)
    assert r0 > 150 and b0 < 80  # red alone
    assert r2 < 80 and b2 > 150  # blue alone
    assert 90 < r1 < 160 and 90 < b1 < 160  # an even mix
    assert abs(r1 - b1) < 40
