"""Stage 4 — publish: probe the file against the plan, then promote it under its final name.

A viewer never sees a half-written or wrong file: the encoder writes to a temporary name beside
the destination, and only a file whose duration, size, codecs and audio match the plan is moved
into place (an atomic rename on the same filesystem).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputMismatch, RenderFailed
from .execute import run_capture
from .timeline import Timeline

DURATION_TOLERANCE = 0.1  # seconds

_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(
    r"Stream #\d+:\d+.*?: Video: (?P<codec>\w+).*?, (?P<pix>[a-z0-9]+)(?:\([^)]*\))?, "
    r"(?P<w>\d+)x(?P<h>\d+)"
)
_FPS = re.compile(r"Stream #\d+:\d+.*?: Video: .*?, (\d+(?:\.\d+)?) fps")
_AUDIO = re.compile(r"Stream #\d+:\d+.*?: Audio: (?P<codec>\w+)")


@dataclass(frozen=True, slots=True)
class MediaInfo:
    duration: float
    video_codec: str
    pix_fmt: str
    width: int
    height: int
    fps: float
    audio_codec: str | None
    size_bytes: int


def probe(path: Path, *, ffmpeg: str) -> MediaInfo:
    """What is really in a media file, read by FFmpeg itself (the wheel ships no ffprobe)."""
    result = run_capture([ffmpeg, "-hide_banner", "-nostdin", "-i", str(path)], timeout=30)
    text = result.stderr
    duration, video = _DURATION.search(text), _VIDEO.search(text)
    if duration is None or video is None:
        raise RenderFailed("the encoder produced no playable video", text[-2000:])
    h, m, s = duration.groups()
    fps = _FPS.search(text)
    audio = _AUDIO.search(text)
    return MediaInfo(
        duration=int(h) * 3600 + int(m) * 60 + float(s),
        video_codec=video["codec"],
        pix_fmt=video["pix"],
        width=int(video["w"]),
        height=int(video["h"]),
        fps=float(fps.group(1)) if fps else 0.0,
        audio_codec=audio["codec"] if audio else None,
        size_bytes=path.stat().st_size,
    )


def check_against_plan(info: MediaInfo, timeline: Timeline) -> None:
    """Raise ``OutputMismatch`` naming every way the file differs from what was planned."""
    problems = []
    if abs(info.duration - timeline.duration) > DURATION_TOLERANCE:
        problems.append(f"duration {info.duration:.2f} s instead of {timeline.duration:.2f} s")
    if (info.width, info.height) != (timeline.width, timeline.height):
        problems.append(
            f"size {info.width}×{info.height} instead of {timeline.width}×{timeline.height}"
        )
    if info.video_codec != "h264" or info.pix_fmt != "yuv420p":
        problems.append(f"video is {info.video_codec}/{info.pix_fmt}, not h264/yuv420p")
    if abs(info.fps - timeline.fps) > 0.01:
        problems.append(f"{info.fps:g} fps instead of {timeline.fps}")
    if info.audio_codec != "aac":
        problems.append("no AAC audio track" if info.audio_codec is None else "audio is not AAC")
    if problems:
        raise OutputMismatch("the rendered file does not match its plan: " + "; ".join(problems))


def promote(temp: Path, final: Path) -> None:
    """Move a verified file into place atomically (same directory, so same filesystem)."""
    os.replace(temp, final)
