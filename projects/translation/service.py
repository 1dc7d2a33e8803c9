"""What callers use: ``translate_texts`` never raises, it returns the texts and an error or None.

Every line is looked up in the Django cache first (Redis in production and tests) under a key of
version, source, target and the SHA-256 of the text, so the same line is never sent twice; only
the misses go to the translator, each distinct line once, one request per batch within the
API's limits (``batching``), each batch cached as soon as it is back. Blank and whitespace-only
lines are kept as they are and never sent.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from django.core.cache import cache

from .batching import batches
from .config import translation_settings
from .languages import normalize_language
from .port import (
    CACHE_VERSION,
    Translation,
    TranslationError,
    TranslationMalformed,
    TranslationNotConfigured,
    Translator,
)
from .provider import get_translator

log = logging.getLogger(__name__)


class TranslatedTexts(NamedTuple):
    """``texts`` is one string per input, in order; on ``error`` they are the input unchanged."""

    texts: list[str]
    error: TranslationError | None


def cache_key(text: str, *, target: str, source: str | None) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"translation:{CACHE_VERSION}:{source or 'auto'}:{target}:{digest}"


def _cached(keys: Sequence[str]) -> dict[str, str]:
    try:
        found: Mapping[str, object] = cache.get_many(keys)
    except Exception:  # noqa: BLE001 - a cache outage costs a request, not the translation
        log.warning("translation cache unavailable for reading", exc_info=True)
        return {}
    return {key: value for key, value in found.items() if isinstance(value, str)}


def _remember(values: Mapping[str, str], seconds: int) -> None:
    try:
        cache.set_many(dict(values), timeout=seconds)
    except Exception:  # noqa: BLE001 - same: the user still gets the translation
        log.warning("translation cache unavailable for writing", exc_info=True)


def translate_texts(
    texts: Sequence[str],
    *,
    target: str,
    source: str | None = None,
    translator: Translator | None = None,
) -> TranslatedTexts:
    """``texts`` in ``target`` (``source`` = None: the service detects it).

    On any failure (not configured, an unknown language code, the service failing) the result is
    the input unchanged with the ``TranslationError`` whose ``message`` the user should read,
    e.g. "translation failed: <message>; your own words are kept".
    """
    original = list(texts)
    try:
        return TranslatedTexts(
            _translate(original, target=target, source=source, translator=translator), None
        )
    except TranslationError as error:
        log.warning("translation failed (%s): %s", error.code, error.detail or error.message)
        return TranslatedTexts(original, error)
    except Exception as exc:  # noqa: BLE001 - a bug here must not cost the user their words
        log.exception("translation failed unexpectedly")
        return TranslatedTexts(original, TranslationError(f"{type(exc).__name__}: {exc}"))


def _translate(
    texts: list[str], *, target: str, source: str | None, translator: Translator | None
) -> list[str]:
    target = normalize_language(target)
    source = normalize_language(source) if source else None
    wanted = list(dict.fromkeys(t for t in texts if t.strip()))  # distinct, in order, no blanks
    if not wanted or source == target:
        return texts
    translator = translator or get_translator()
    if not translator.configured:
        # Not even cached lines: a site without credentials translates nothing, consistently.
        raise TranslationNotConfigured()
    keys = {text: cache_key(text, target=target, source=source) for text in wanted}
    hits = _cached(list(keys.values()))
    done = {text: hits[key] for text, key in keys.items() if key in hits}
    misses = [text for text in wanted if text not in done]
    seconds = cache_seconds()
    # One request per batch, each cached as it arrives: when a later batch fails, a second try
    # sends only what is still missing.
    for batch in batches(misses):
        fresh: list[Translation] = translator.translate(batch, target=target, source=source)
        if len(fresh) != len(batch):
            raise TranslationMalformed(f"{len(batch)} lines sent, {len(fresh)} translated")
        new = {text: t.text for text, t in zip(batch, fresh, strict=True)}
        _remember({keys[text]: value for text, value in new.items()}, seconds)
        done.update(new)
    return [done.get(text, text) for text in texts]


def cache_seconds() -> int:
    return translation_settings().cache_seconds
