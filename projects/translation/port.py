"""The contract between callers and whichever service translates: result, protocol, errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

CACHE_VERSION = "tr-v1"  # part of the cache key: bump when what a cached line means changes


@dataclass(frozen=True, slots=True)
class Translation:
    """One line translated; ``source`` is the language it was in (as given, else as detected)."""

    text: str
    source: str


class Translator(Protocol):
    """``configured`` is False for the offline translator: callers may hide the feature."""

    @property
    def configured(self) -> bool: ...

    def translate(
        self, texts: Sequence[str], *, target: str, source: str | None
    ) -> list[Translation]:
        """One ``Translation`` per text, in order; raises a ``TranslationError`` or nothing."""
        ...


class TranslationError(Exception):
    """A translation that could not be made; ``message`` is what the user reads.

    The user's own words stay whatever happens; ``detail`` is for logs, not for the user.
    """

    code = "translation_failed"
    message = "The translation could not be made. Your own words are kept; try again."

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.message)
        self.detail = detail


class TranslationNotConfigured(TranslationError):
    code = "translation_not_configured"
    message = "Translation is not configured on this site. Your own words are kept."


class UnsupportedLanguage(TranslationError):
    """A language code we do not know (checked before anything is sent)."""

    code = "translation_unsupported_language"
    message = "That language is not supported for translation."

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown language code {code!r}")
        self.language = code
        self.message = f"{code!r} is not a language we can translate to or from."


class TranslationTimeout(TranslationError):
    code = "translation_timeout"
    message = "The translation service took too long to answer. Try again in a moment."


class TranslationUnreachable(TranslationError):
    code = "translation_unreachable"
    message = "The translation service could not be reached. Check the connection and try again."


class TranslationUnauthorized(TranslationError):
    code = "translation_unauthorized"
    message = (
        "The translation service refused our credentials. Ask the site administrator to check them."
    )


class TranslationRateLimited(TranslationError):
    code = "translation_rate_limited"
    message = "The translation service is busy (rate limited). Try again shortly."

    def __init__(self, detail: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        if retry_after is not None:
            self.message = (
                "The translation service is busy (rate limited). "
                f"Try again in {retry_after:g} seconds."
            )


class TranslationServerError(TranslationError):
    code = "translation_server_error"
    message = "The translation service had an internal error. Try again later."


class TranslationMalformed(TranslationError):
    code = "translation_malformed"
    message = "The translation service's answer was not readable. Try again."


class TranslationRejected(TranslationError):
    """A 400: a language pair the service does not support, or a request it would not take."""

    code = "translation_rejected"
    message = (
        "The translation service rejected the request (perhaps that language is not supported)."
    )
