"""Words on screen that come from the photos themselves: dates and places, offline."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime

from .geocode import place_label, reverse_geocode

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


def month_year(when: datetime) -> str:
    return f"{MONTHS[when.month - 1]} {when.year}"


def date_range(dates: Iterable[datetime | None]) -> str:
    """ "July 2021", "July – August 2021" or "December 2020 – January 2021"; "" without dates."""
    known = sorted(d.replace(tzinfo=None) for d in dates if d is not None)
    if not known:
        return ""
    first, last = known[0], known[-1]
    if (first.year, first.month) == (last.year, last.month):
        return month_year(first)
    if first.year == last.year:
        return f"{MONTHS[first.month - 1]} – {month_year(last)}"
    return f"{month_year(first)} – {month_year(last)}"


def auto_caption(taken_at: datetime | None, gps: tuple[float, float] | None) -> str:
    """A caption like "Lisbon, Portugal · July 2021" from what the camera recorded.

    Parts the photo has no data for are left out; no data at all gives "".
    """
    parts: list[str] = []
    if gps is not None:
        place = reverse_geocode(*gps)
        if place is not None:
            parts.append(place_label(place))
    if taken_at is not None:
        parts.append(month_year(taken_at))
    return " · ".join(parts)


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
