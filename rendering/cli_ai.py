"""``render_memory --captions ai``: a title, a story and captions for the photos about to be
rendered, from the AI drafter (``projects.ai``).

Unlike ``cli.py`` this needs Django: the settings say whether there is a key, and the drafts are
cached (``draft_with_cache``, scope ``cli``), so running the same command again sends nothing.
It never stops a render: whatever goes wrong becomes one sentence, and the caller falls back to
the offline captions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from projects.ai import AiError, DraftOptions, PhotoInput, get_provider
from projects.ai.drafting import draft_with_cache
from projects.ai.images import ImagePreparationError, prepare_image
from rendering.pipeline.captions import clean_text
from rendering.pipeline.geocode import place_label, reverse_geocode
from rendering.pipeline.options import MAX_STORY_CHARS, MAX_TITLE_CHARS
from rendering.pipeline.photos import PhotoInfo

# Who asks, as the drafter and its cache see it: no person stands behind a command line, so no
# user's id is sent, and drafts made here are never shared with a user's.
CLI_SCOPE = "cli"
# The HTTP client logs every request and retry at INFO; on a terminal those lines would bury the
# one line that matters (and the command promises one line when the AI cannot help).
_CHATTY_LOGGERS = ("httpx", "httpx2", "openai")


class AiUnavailable(Exception):
    """No AI words this time; ``str()`` is the reason, one sentence a user can read."""


@dataclass(frozen=True, slots=True)
class AiWords:
    """The drafter's words, cleaned like any user text; "" where it wrote none."""

    title: str
    story: str
    captions: dict[str, str]  # photo file name -> caption


def draft_words(photos: Sequence[PhotoInfo], *, places: bool) -> AiWords:
    """Ask for words for ``photos`` (in the order they will be shown); raises ``AiUnavailable``."""
    if not settings.OPENAI_API_KEY:
        raise AiUnavailable("OPENAI_API_KEY is not set")
    inputs = [photo_input(photo, places=places) for photo in photos]
    options = DraftOptions(user_public_id=CLI_SCOPE, detail="low")
    try:
        with _quiet(_CHATTY_LOGGERS):
            draft, _ = draft_with_cache(get_provider(), inputs, options, scope=CLI_SCOPE)
    except AiError as err:
        raise AiUnavailable(err.message) from err
    return AiWords(
        title=clean_text(draft.title, limit=MAX_TITLE_CHARS),
        story=clean_text(draft.story, limit=MAX_STORY_CHARS),
        captions={p.name: clean_text(draft.captions.get(p.name, "")) for p in photos},
    )


def photo_input(photo: PhotoInfo, *, places: bool) -> PhotoInput:
    """What may be sent of one photo: its pixels re-encoded (no EXIF, no GPS), the month it was
    taken in, and its place name only when the user allowed places."""
    try:
        jpeg = prepare_image(photo.path.read_bytes())
    except (ImagePreparationError, OSError) as err:
        raise AiUnavailable(f"{photo.name} could not be prepared for sending") from err
    taken = photo.taken_at
    return PhotoInput(
        photo_id=photo.name,
        jpeg=jpeg,
        place=_place(photo.gps) if places else "",
        month=date(taken.year, taken.month, 1) if taken is not None else None,
    )


def _place(gps: tuple[float, float] | None) -> str:
    place = reverse_geocode(*gps) if gps is not None else None
    return place_label(place) if place is not None else ""


@contextmanager
def _quiet(names: Sequence[str]) -> Iterator[None]:
    """Only warnings and errors from these loggers while the block runs."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
