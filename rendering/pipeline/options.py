"""What a caller may ask of a render, validated once so later stages can trust it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .errors import InvalidOptions
from .geocode import parse_language
from .styles import StyleName

ASPECTS: dict[str, tuple[int, int]] = {"16:9": (16, 9), "9:16": (9, 16), "1:1": (1, 1)}
RESOLUTIONS: dict[str, int] = {"720p": 720, "1080p": 1080, "2160p": 2160}  # the short side
MAX_TITLE_CHARS = 120
MAX_STORY_CHARS = 600  # two to four sentences for the end card, as the AI drafter writes them


class Order(StrEnum):
    DATE = "date"
    GIVEN = "given"


class CaptionMode(StrEnum):
    NONE = "none"
    AUTO = "auto"
    GIVEN = "given"  # from RenderOptions.captions


@dataclass(frozen=True, slots=True)
class RenderOptions:
    style: str = "classic"
    aspect: str = "16:9"
    resolution: str = "1080p"
    fps: int = 30
    title: str = ""
    subtitle: str = ""  # empty: the date range of the photos
    # The date range when the files carry no dates of their own (the web's working copies have
    # no EXIF; the caller knows the dates): used only if the photos give none.
    dates: str = ""
    seconds_per_photo: float | None = None  # None: the style's pacing
    transition_seconds: float | None = None
    order: Order = Order.DATE
    caption_mode: CaptionMode = CaptionMode.NONE
    captions: Mapping[str, str] = field(default_factory=dict)  # photo name → text
    music: Path | None = None  # None with silent=False: the style's own soundtrack
    silent: bool = False
    cull: bool = False  # drop near-duplicates and the blurrier shots of a burst
    watermark: bool = False
    story: str = ""  # a few sentences under the end title; "" keeps the end card as it was
    # The video's language ("fr", "pt-BR", "ja"): the words the pipeline makes itself — month
    # names, date ranges, place names — are written in it. Text the caller gives is used as is.
    language: str = "en"
    # False: no words drawn into the picture (title, dates, captions, end card, story) — they
    # are in the WebVTT track only. The title and end cards keep their blurred backdrops, and
    # a watermark the plan asks for is still drawn: it is a plan rule, not words of the memory.
    burn_text: bool = True

    def __post_init__(self) -> None:
        # Accept plain strings from Python callers; compare enums everywhere else.
        try:
            object.__setattr__(self, "order", Order(self.order))
            object.__setattr__(self, "caption_mode", CaptionMode(self.caption_mode))
        except ValueError as err:
            raise InvalidOptions(str(err)) from None
        if self.style not in {s.value for s in StyleName}:
            choices = ", ".join(s.value for s in StyleName)
            raise InvalidOptions(f"unknown style {self.style!r}; choose one of {choices}")
        if self.aspect not in ASPECTS:
            raise InvalidOptions(
                f"unknown aspect {self.aspect!r}; choose one of {', '.join(ASPECTS)}"
            )
        if self.resolution not in RESOLUTIONS:
            raise InvalidOptions(
                f"unknown resolution {self.resolution!r}; choose one of {', '.join(RESOLUTIONS)}"
            )
        if self.fps not in (24, 25, 30, 60):
            raise InvalidOptions(f"unsupported frame rate {self.fps}; choose 24, 25, 30 or 60")
        if self.seconds_per_photo is not None and not 1.0 <= self.seconds_per_photo <= 20.0:
            raise InvalidOptions("seconds per photo must be between 1 and 20")
        if self.transition_seconds is not None and not 0.0 <= self.transition_seconds <= 3.0:
            raise InvalidOptions("transition length must be between 0 and 3 seconds")
        if parse_language(self.language) is None:
            raise InvalidOptions(
                f"unknown language {self.language!r}; use a language code such as "
                "en, fr, de, pt-BR or ja"
            )
        if len(self.title) > MAX_TITLE_CHARS:
            raise InvalidOptions(f"the title is longer than {MAX_TITLE_CHARS} characters")
        if len(self.story) > MAX_STORY_CHARS:
            raise InvalidOptions(
                f"the story is {len(self.story)} characters long; "
                f"the end card holds at most {MAX_STORY_CHARS}"
            )

    @property
    def size(self) -> tuple[int, int]:
        """Output width and height in pixels; both even, as yuv420p requires."""
        aw, ah = ASPECTS[self.aspect]
        short = RESOLUTIONS[self.resolution]
        if aw >= ah:
            return _even(short * aw / ah), short
        return short, _even(short * ah / aw)


def _even(value: float) -> int:
    return int(round(value / 2)) * 2
