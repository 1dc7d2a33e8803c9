"""The contract between callers and whichever model drafts the words: request, result, errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from django.utils.translation import gettext_noop

PROMPT_VERSION = "draft-v1"  # part of the cache key: bump when the prompt or schema changes

ImageDetail = Literal["low", "high", "auto"]


@dataclass(frozen=True, slots=True)
class PhotoInput:
    """One photo as it may be sent: prepared JPEG bytes (see ``images.prepare_image``), no name.

    ``place`` is a place name from the offline geocoder, given only if the user allowed places;
    ``month`` is the first day of the month it was taken in (the day is never sent).
    """

    photo_id: str
    jpeg: bytes
    place: str = ""
    month: date | None = None


@dataclass(frozen=True, slots=True)
class DraftOptions:
    """Who asks (a public id, never an e-mail or a name) and what their plan allows."""

    user_public_id: str
    detail: ImageDetail = "low"


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0


@dataclass(frozen=True, slots=True)
class OrderStep:
    """A photo's place in the suggested order; ``reason`` is one line, "" where it did not move."""

    photo_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Draft:
    """Suggestions for one project: every field is a draft the user may accept, edit or reject."""

    title: str
    story: str  # two to four sentences for the end card; "" when the drafter writes none
    captions: Mapping[str, str]  # photo id -> caption, exactly the photos sent
    order: tuple[OrderStep, ...]  # a permutation of the photo ids sent
    model: str
    prompt_version: str = PROMPT_VERSION
    usage: Usage = field(default_factory=Usage)


class DraftProvider(Protocol):
    def draft_story(self, photos: Sequence[PhotoInput], options: DraftOptions) -> Draft: ...


class AiError(Exception):
    """A draft that could not be made; ``message`` is what the user reads.

    Messages are stored in English on the request (a worker has no user's language) and
    translated when shown: the web page and the API look them up in the catalog.

    The offline captions stay whatever happens; ``detail`` is for logs, not for the user.
    """

    code = "ai_failed"
    message = gettext_noop(
        "The AI suggestions could not be made. Your own captions are unchanged; try again."
    )

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.message)
        self.detail = detail


class AiTimeout(AiError):
    code = "ai_timeout"
    message = gettext_noop("The AI service took too long to answer. Try again in a moment.")


class AiUnreachable(AiError):
    code = "ai_unreachable"
    message = gettext_noop(
        "The AI service could not be reached. Check the connection and try again."
    )


class AiUnauthorized(AiError):
    code = "ai_unauthorized"
    message = gettext_noop(
        "The AI service refused the API key. Ask the site administrator to check it."
    )


class AiRateLimited(AiError):
    code = "ai_rate_limited"
    message = gettext_noop("The AI service is busy (rate limited). Try again shortly.")

    def __init__(self, detail: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class AiServerError(AiError):
    code = "ai_server_error"
    message = gettext_noop("The AI service had an internal error. Try again later.")


class AiRejected(AiError):
    code = "ai_rejected"
    message = gettext_noop("The AI service rejected the request. Try again with fewer photos.")


class AiMalformedOutput(AiError):
    code = "ai_malformed"
    message = gettext_noop("The AI answer was not readable. Try again.")


class AiTruncated(AiError):
    code = "ai_truncated"
    message = gettext_noop(
        "The AI answer was cut off by its length limit. Try again with fewer photos."
    )


class AiRefused(AiError):
    code = "ai_refused"
    message = gettext_noop("The AI declined to describe these photos.")


class AiSchemaViolation(AiError):
    code = "ai_schema_violation"
    message = gettext_noop("The AI answer did not fit the photos sent. Try again.")


class AiEmpty(AiError):
    code = "ai_empty"
    message = gettext_noop("The AI returned an empty answer. Try again.")
