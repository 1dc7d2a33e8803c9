"""Words on screen that come from the photos themselves: dates and places, offline."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

from babel import Locale
from babel.dates import format_interval, format_skeleton

from .geocode import BIDI_CONTROLS, parse_language, place_label, reverse_geocode

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MAX_CAPTION_CHARS = 200
# CLDR's "year and month in full": its formats use the stand-alone month where a language has
# one (Russian and Polish "июль 2021 г.", "lipiec 2021", not the genitive "июля", "lipca").
SKELETON = "yMMMM"
_PLAIN = {ord(ch): " " for ch in "\u00a0\u2007\u2009\u202f"} | {
    ord(ch): None for ch in BIDI_CONTROLS
}


def month_year(when: datetime, *, language: str = "en") -> str:
    """ "July 2021"; in ``language`` CLDR's year-and-month: "julio de 2021", "2021年7月"."""
    locale = date_locale(language)
    if locale is None:
        return f"{MONTHS[when.month - 1]} {when.year}"
    return _tidy(format_skeleton(SKELETON, date(when.year, when.month, 1), locale=locale))


def date_range(dates: Iterable[datetime | None], *, language: str = "en") -> str:
    """ "July 2021", "July – August 2021" or "December 2020 – January 2021"; "" without dates.

    In another language, CLDR's interval format for the same skeleton: "juillet – août 2021",
    "2021年7月～8月", "декабрь 2020 г. – январь 2021 г.".
    """
    known = sorted(d.replace(tzinfo=None) for d in dates if d is not None)
    if not known:
        return ""
    first, last = known[0], known[-1]
    if (first.year, first.month) == (last.year, last.month):
        return month_year(first, language=language)
    locale = date_locale(language)
    if locale is not None:
        start, end = date(first.year, first.month, 1), date(last.year, last.month, 1)
        field = "M" if start.year == end.year else "y"
        if len(locale.interval_formats.get(SKELETON, {}).get(field, ())) != 1:
            return _tidy(format_interval(start, end, SKELETON, locale=locale))
        # A pattern Babel cannot split in two (Persian's "LLLL تا MMMM y", which comes out as
        # "July to July 2021"): two whole dates in the language's own fallback pattern.
        fallback = str(locale.interval_formats.get(None) or "{0} – {1}")
        both = fallback.replace("{0}", month_year(first, language=language))
        return _tidy(both.replace("{1}", month_year(last, language=language)))
    if first.year == last.year:
        return f"{MONTHS[first.month - 1]} – {month_year(last)}"
    return f"{month_year(first)} – {month_year(last)}"


def date_locale(language: str) -> Locale | None:
    """The CLDR locale dates are written in, or ``None`` for the built-in English.

    English (any region) keeps the hand-written forms above, exactly as captions always read;
    a code Babel cannot parse falls back to them too rather than failing a render.
    """
    locale = parse_language(language)
    return None if locale is None or locale.language == "en" else locale


def auto_caption(
    taken_at: datetime | None, gps: tuple[float, float] | None, *, language: str = "en"
) -> str:
    """A caption like "Lisbon, Portugal · July 2021" from what the camera recorded.

    Parts the photo has no data for are left out; no data at all gives "". In ``language`` the
    place and month are that language's words ("Lisbonne, Portugal · juillet 2021"); the shape,
    place first, stays the same.
    """
    parts: list[str] = []
    if gps is not None:
        place = reverse_geocode(*gps)
        if place is not None:
            parts.append(place_label(place, language=language))
    if taken_at is not None:
        parts.append(month_year(taken_at, language=language))
    return " · ".join(parts)


def _tidy(text: str) -> str:
    """CLDR's spacing made plain: thin and no-break spaces become spaces, as ``clean_text``
    would make them anyway on the web path, and no direction marks (the renderer lays out
    right-to-left text by itself; a stray mark only shows as a box in some fonts)."""
    return " ".join(text.translate(_PLAIN).split())


def clean_text(text: str, *, limit: int = MAX_CAPTION_CHARS) -> str:
    """User text made safe to lay out: no control characters, single-spaced, bounded length.

    Escaping for the subtitle renderer happens later, in one place (``ass.py``); this only
    removes what no caption should contain. Line breaks survive as "\n".
    """
    text = unicodedata.normalize("NFC", text)
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        # Tabs and other spacing controls separate words: keep them as spaces, drop the rest.
        spaced = "".join(" " if ch.isspace() else ch for ch in line)
        kept = "".join(ch for ch in spaced if unicodedata.category(ch) not in {"Cc", "Cs", "Co"})
        kept = " ".join(kept.split())
        if kept:
            lines.append(kept)
    joined = "\n".join(lines[:3])
    return joined if len(joined) <= limit else joined[: limit - 1].rstrip() + "…"
