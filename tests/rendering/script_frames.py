"""Render captions through the real path (``build_ass`` → FFmpeg's ``ass`` filter with our fonts)
and measure what libass drew: the helper behind the multi-script tests and the contact sheet.

One FFmpeg call renders many texts: each becomes a cue of its own two seconds, and the frame in
the middle of them (past the fade in, before the fade out) is kept. Frames are grey (luma only)
on black, so the black outline and shadow vanish and only the white fill is "ink": a pixel's
value over 255 is the share of it the glyphs cover, which measures heights to a fraction of a
pixel.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from rendering.pipeline import fonts
from rendering.pipeline.ass import build_ass
from rendering.pipeline.execute import ffmpeg_binary
from rendering.pipeline.options import CaptionMode, Order, RenderOptions
from rendering.pipeline.plan import plan_timeline
from rendering.pipeline.timeline import TextCue, TextKind, Timeline
from tests.rendering.conftest import FakePhoto

GROUND = 0x000000  # RGB
INK = 0x60

Frame = npt.NDArray[np.uint8]


def caption_timeline(
    texts: list[str], *, style: str = "classic", size: int = 360, kind: TextKind = TextKind.CAPTION
) -> Timeline:
    """A square ``size``×``size`` timeline showing ``texts`` as ``kind`` cues, one at a time."""
    photo = FakePhoto("a.jpg", taken_at=datetime(2021, 7, 1))
    opts = RenderOptions(
        caption_mode=CaptionMode.GIVEN, captions={"a.jpg": "x"}, order=Order.GIVEN, style=style
    )  # type: ignore[call-arg]
    base = plan_timeline([photo], opts, music=None).timeline
    fps = base.fps
    cues = tuple(
        TextCue(kind, text, 2 * i * fps, 2 * (i + 1) * fps) for i, text in enumerate(texts)
    )
    return dataclasses.replace(
        base, width=size, height=size, picture=(0, 0, size, size), texts=cues
    )


def render_ass(ass: str, size: int, count: int) -> list[Frame]:
    """Frame t = 2i + 1 s of ``ass`` over a black ground, for i in range(count)."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "t.ass").write_text(ass, encoding="utf-8")
        argv = [
            ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
            "-i", f"color=c=0x{GROUND:06X}:s={size}x{size}:r=2:d={2 * count}",
            "-vf", f"ass=t.ass:fontsdir={fonts.FONTS_DIR}",
            "-f", "rawvideo", "-pix_fmt", "gray", "-",
        ]  # fmt: skip
        proc = subprocess.run(
            argv, cwd=tmp, capture_output=True, check=True, timeout=120,
            env={**os.environ, **fonts.ffmpeg_env()},
        )  # fmt: skip
    frames = np.frombuffer(proc.stdout, dtype=np.uint8).reshape(-1, size, size)
    return [frames[4 * i + 2] for i in range(count)]


def render_captions(
    texts: list[str], *, style: str = "classic", size: int = 360, kind: TextKind = TextKind.CAPTION
) -> list[Frame]:
    """Each of ``texts`` as the pipeline draws a ``kind`` cue, one grey frame each."""
    timeline = caption_timeline(texts, style=style, size=size, kind=kind)
    return render_ass(build_ass(timeline), size, len(texts))


def ink_box(frame: Frame) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the fill's pixels, inclusive; None if nothing was drawn."""
    mask = frame > INK
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])


def ink_height(frame: Frame) -> float:
    """Height of the ink in pixels, to a fraction of one.

    Each row's coverage is its best-covered pixel; the rows from the first to the last at least
    half covered count whole (gaps inside a glyph too, as in 몸), the antialiased rows outside
    them count by how much of them is covered.
    """
    cover = frame.max(axis=1).astype(np.float64) / 255.0
    solid = np.flatnonzero(cover >= 0.5)
    if solid.size == 0:
        return 0.0
    first, last = int(solid[0]), int(solid[-1])
    return float(
        last - first + 1 + cover[max(0, first - 3) : first].sum() + cover[last + 1 : last + 4].sum()
    )
