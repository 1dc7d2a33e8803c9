"""Machine translation of the user's words (captions, titles): Google Cloud Translation or none.

Contract for callers (the editor, the renders):

- ``translate_texts(texts, *, target, source=None) -> TranslatedTexts(texts, error)`` never
  raises. ``error`` is None on success; otherwise ``texts`` is the input unchanged and
  ``error.message`` is the sentence to show ("translation failed: <message>; your own words are
  kept"); ``error.code`` is stable for APIs and logs.
- ``get_translator()`` picks Google when credentials and a project are configured, else the
  offline translator, whose ``configured`` is False and which raises ``TranslationNotConfigured``
  for any non-empty batch (so through ``translate_texts`` a site without Google gets the input
  back with that error). Check ``get_translator().configured`` to hide the feature instead.
- ``Translator.translate(texts, *, target, source) -> list[Translation]`` is the port the
  adapters implement: no cache, no blank-line handling, raises ``TranslationError`` subclasses.
- Language codes: ours (``settings.LANGUAGES``) and BCP-47 tags (``pt-BR``, ``zh-Hans``);
  ``normalize_language`` raises ``UnsupportedLanguage`` for anything else.

No Django models here: callers store what they need.
"""

from __future__ import annotations

from .languages import normalize_language
from .port import (
    Translation,
    TranslationError,
    TranslationMalformed,
    TranslationNotConfigured,
    TranslationRateLimited,
    TranslationRejected,
    TranslationServerError,
    TranslationTimeout,
    TranslationUnauthorized,
    TranslationUnreachable,
    Translator,
    UnsupportedLanguage,
)
from .provider import get_translator
from .service import TranslatedTexts, translate_texts

__all__ = [
    "TranslatedTexts",
    "Translation",
    "TranslationError",
    "TranslationMalformed",
    "TranslationNotConfigured",
    "TranslationRateLimited",
    "TranslationRejected",
    "TranslationServerError",
    "TranslationTimeout",
    "TranslationUnauthorized",
    "TranslationUnreachable",
    "Translator",
    "UnsupportedLanguage",
    "get_translator",
    "normalize_language",
    "translate_texts",
]
