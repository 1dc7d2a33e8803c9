"""Language codes: ours (``settings.LANGUAGES``) and BCP-47 tags, checked before anything is sent.

A tag is ``language[-Script][-REGION]`` (``ja``, ``pt-BR``, ``zh-Hans``, ``sr-Latn``); Django's
``pt-br`` and POSIX ``pt_BR`` spellings are accepted and written back in canonical case. The base
language must be one Google Translate supports (the list below, from its documentation) or one of
ours, so a typo fails here with a clear message instead of as an opaque 400 from the service.
"""

from __future__ import annotations

import re

from django.conf import settings

from .port import UnsupportedLanguage

_TAG = re.compile(
    r"^(?P<lang>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|\d{3}))?$"
)

# Base languages of Google Cloud Translation's "supported languages" page (NMT model).
GOOGLE_LANGUAGES = frozenset(
    """
    af ak am ar as ay az be bg bho bm bn bs ca ceb ckb co cs cy da de doi dv ee el en eo es et
    eu fa fi fil fr fy ga gd gl gn gom gu ha haw he hi hmn hr ht hu hy id ig ilo is it iw ja jv
    jw ka kk km kn ko kri ku ky la lb lg ln lo lt lus lv mai mg mi mk ml mn mni mr ms mt my ne
    nl no nb nso ny om or pa pl ps pt qu ro ru rw sa sd si sk sl sm sn so sq sr st su sv sw ta
    te tg th ti tk tl tr ts tt ug uk ur uz vi xh yi yo zh zu
    """.split()
)

# Script subtags Google does not take as such: it names Chinese by region.
_GOOGLE_SPELLING = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}


def app_languages() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


def normalize_language(code: str) -> str:
    """``code`` in canonical BCP-47 case (``pt-BR``, ``zh-Hans``), or ``UnsupportedLanguage``."""
    match = _TAG.match(code.strip().replace("_", "-").lower())
    if match is None:
        raise UnsupportedLanguage(code)
    lang = match["lang"]
    if lang not in GOOGLE_LANGUAGES and lang not in app_languages():
        raise UnsupportedLanguage(code)
    parts = [lang]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    return "-".join(parts)


def google_language(code: str) -> str:
    """The spelling Google's API takes for a normalized tag."""
    return _GOOGLE_SPELLING.get(code, code)
