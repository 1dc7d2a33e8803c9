"""Running FFmpeg: cancel, timeout and failure leave nothing behind; progress reaches the end."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from rendering.pipeline.errors import RenderCancelled, RenderFailed, RenderTimeout
from rendering.pipeline.execute import run_encoder
from rendering.pipeline.render import render_memory
from tests.rendering.conftest import Rendered, ffmpeg_children, tiny_options


def leftovers(out_dir: Path, tmpdir: Path) -> list[str]:
    return sorted(p.name for p in [*out_dir.iterdir(), *tmpdir.iterdir()])


def test_it_stops_a_cancelled_render_quickly_and_cleans_up(
    tmp_path: Path, two_photos: list[Path], private_tmpdir: Path
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    flipped_at: list[float] = []

    def should_cancel() -> bool:
        if not flipped_at and time.monotonic() - started > 1.0:
            flipped_at.append(time.monotonic())
        return bool(flipped_at)

    caught: list[BaseException] = []

    def run() -> None:
        try:
            render_memory(
                two_photos,
                out_dir / "memory.mp4",
                tiny_options(silent=True),
                should_cancel=should_cancel,
            )
        except BaseException as err:  # handed to the test thread
            caught.append(err)
        ended.append(time.monotonic())

    ended: list[float] = []
    started = time.monotonic()
    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert flipped_at, "the render finished before it could be cancelled"
    assert len(caught) == 1 and isinstance(caught[0], RenderCancelled), caught
    assert ended[0] - flipped_at[0] < 2.0
    assert ffmpeg_children() == []
    assert leftovers(out_dir, private_tmpdir) == []


def test_it_kills_a_render_that_runs_past_its_time_limit(
    tmp_path: Path, two_photos: list[Path], private_tmpdir: Path
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    started = time.monotonic()
    with pytest.raises(RenderTimeout, match="longer than"):
        render_memory(two_photos, out_dir / "memory.mp4", tiny_options(silent=True), timeout=0.5)
    assert time.monotonic() - started < 5
    assert ffmpeg_children() == []
    assert leftovers(out_dir, private_tmpdir) == []


def test_it_reports_an_ffmpeg_failure_with_the_end_of_its_stderr(
    ffmpeg: str, tmp_path: Path
) -> None:
    argv = [
        ffmpeg,
        "-nostdin",
        "-hide_banner",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "yuv420p",
        "-s",
        "64x64",
        "-r",
        "25",
        "-i",
        "pipe:0",
        "-vf",
        "nosuchfilter=1",
        str(tmp_path / "out.mp4"),
    ]
    frames = (np.zeros(64 * 64 * 3 // 2, np.uint8) for _ in range(50))
    with pytest.raises(RenderFailed) as caught:
        run_encoder(argv, frames, total_frames=50)
    assert not isinstance(caught.value, (RenderTimeout, RenderCancelled))
    assert "nosuchfilter" in caught.value.detail.lower() or "no such filter" in (
        caught.value.detail.lower()
    )
    assert str(caught.value) == "the video encoder failed"
    assert ffmpeg_children() == []


def test_it_closes_the_frame_source_when_ffmpeg_fails(ffmpeg: str, tmp_path: Path) -> None:
    closed: list[bool] = []

    def frames():  # type: ignore[no-untyped-def]
        try:
            while True:
                yield np.zeros(64 * 64 * 3 // 2, np.uint8)
        finally:
            closed.append(True)

    argv = [ffmpeg, "-nostdin", "-f", "rawvideo", "-s", "64x64", "-i", "pipe:0", "-bogus-flag"]
    with pytest.raises(RenderFailed):
        run_encoder(argv, frames(), total_frames=10)
    assert closed == [True]


def test_it_reports_progress_rising_to_the_end(formats_render: Rendered) -> None:
    fractions = [p.fraction for p in formats_render.progress]
    assert len(fractions) >= 2
    assert fractions == sorted(fractions)
    assert fractions[-1] >= 0.98
    assert all(p.total == formats_render.timeline.frames for p in formats_render.progress)
