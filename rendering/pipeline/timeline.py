"""The immutable plan of a memory video: what is on screen at every frame, and what is heard.

Times are whole frames, so the planned duration is exact and the probe can hold the output to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .styles import StyleName, TransitionKind


@dataclass(frozen=True, slots=True)
class Rect:
    """A camera window in a photo's normalised coordinates (0..1 of its upright width/height).

    A window may reach past the photo's edges (FIT layout); what lies outside is the blurred
    background.
    """

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def lerp(self, other: Rect, p: float) -> Rect:
        """The window a fraction ``p`` of the way to ``other``.

        The size moves geometrically so that zoom speed looks constant. A zoom keeps the one
        point both windows share in place on screen, as a zoom lens would: the frame is then
        the photo scaled about a fixed pixel, which the synthesiser draws cheaply (see
        motion.py). A window that keeps its size slides in a straight line.
        """
        w = self.w * (other.w / self.w) ** p
        h = self.h * (other.h / self.h) ** p
        return Rect(
            _along(self.x, self.w, other.x, other.w, w, p),
            _along(self.y, self.h, other.y, other.h, h, p),
            w,
            h,
        )


def fixed_point(
    start: float, start_size: float, end: float, end_size: float, *, tolerance: float = 1e-9
) -> float | None:
    """The point a zooming window keeps in place on one axis, as a fraction of the window
    (0..1 when it lies inside); None when the size does not change (within ``tolerance``)."""
    if abs(start_size - end_size) <= tolerance * start_size:
        return None
    return (end - start) / (start_size - end_size)


def _along(
    start: float, start_size: float, end: float, end_size: float, size: float, p: float
) -> float:
    """Where a window edge is once the window has the given size, on one axis."""
    fixed = fixed_point(start, start_size, end, end_size)
    if fixed is None:
        return start + (end - start) * p
    return start + fixed * (start_size - size)


class Layout(StrEnum):
    COVER = "cover"  # the window lies inside the photo: it fills the picture
    FIT = "fit"  # the whole photo over a blurred copy of itself: portraits in landscape, panoramas
    BACKDROP = "backdrop"  # blurred and dimmed: behind the title and end cards


class TextKind(StrEnum):
    TITLE = "title"
    SUBTITLE = "subtitle"
    CAPTION = "caption"
    END_TITLE = "end_title"
    END_SUBTITLE = "end_subtitle"
    STORY = "story"  # a few sentences under the end title
    WATERMARK = "watermark"


@dataclass(frozen=True, slots=True)
class PhotoRef:
    path: Path
    name: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Shot:
    photo: int  # index into Timeline.photos
    start: int  # first frame
    frames: int
    layout: Layout
    start_rect: Rect
    end_rect: Rect
    ease: float

    @property
    def end(self) -> int:
        return self.start + self.frames

    def rect_at(self, frame: int) -> Rect:
        """The camera window at an absolute frame number (sub-pixel; no rounding anywhere)."""
        t = 0.0 if self.frames <= 1 else (frame - self.start) / (self.frames - 1)
        t = min(1.0, max(0.0, t))
        smooth = t * t * (3 - 2 * t)
        return self.start_rect.lerp(self.end_rect, (1 - self.ease) * t + self.ease * smooth)


@dataclass(frozen=True, slots=True)
class Transition:
    """Shot ``index`` hands over to shot ``index + 1`` during ``[start, start + frames)``."""

    index: int
    start: int
    frames: int
    kind: TransitionKind

    def progress(self, frame: int) -> float:
        return (frame - self.start + 1) / (self.frames + 1)


@dataclass(frozen=True, slots=True)
class TextCue:
    kind: TextKind
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AudioCue:
    track: Path | None  # None: a silent track, only when the user asked for silence
    fade_in: float
    fade_out: float
    loudness: float | None = None  # known integrated LUFS (our own tracks); None: measure it


@dataclass(frozen=True, slots=True)
class Timeline:
    style: StyleName
    width: int
    height: int
    fps: int
    frames: int
    picture: tuple[int, int, int, int]  # x, y, w, h inside the frame; the rest is letterbox
    photos: tuple[PhotoRef, ...]
    shots: tuple[Shot, ...]
    transitions: tuple[Transition, ...]
    texts: tuple[TextCue, ...]
    audio: AudioCue
    fade_in_frames: int
    fade_out_frames: int
    poster_frame: int

    @property
    def duration(self) -> float:
        return self.frames / self.fps

    def seconds(self, frame: int) -> float:
        return frame / self.fps


def frames_for(seconds: float, fps: int) -> int:
    return max(1, math.floor(seconds * fps + 0.5))
