"""The drafter without a key: words from what the camera recorded, nothing leaves the machine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from rendering.pipeline.captions import date_range, month_year

from .port import Draft, DraftOptions, OrderStep, PhotoInput

OFFLINE_MODEL = "offline"


def _as_datetime(month: date | None) -> datetime | None:
    return None if month is None else datetime(month.year, month.month, 1)


def offline_caption(photo: PhotoInput) -> str:
    """ "Lisbon, Portugal · July 2021", the same shape as the renderer's automatic captions."""
    when = _as_datetime(photo.month)
    parts = [photo.place] if photo.place else []
    if when is not None:
        parts.append(month_year(when))
    return " · ".join(parts)


class OfflineDrafter:
    model = OFFLINE_MODEL

    def draft_story(self, photos: Sequence[PhotoInput], options: DraftOptions) -> Draft:
        # Stable sort: photos without a date keep their place after the dated ones.
        by_date = sorted(photos, key=lambda p: (p.month is None, p.month or date.min))
        return Draft(
            title=date_range(_as_datetime(p.month) for p in photos),
            story="",
            captions={p.photo_id: offline_caption(p) for p in photos},
            order=tuple(OrderStep(p.photo_id, "") for p in by_date),
            model=OFFLINE_MODEL,
        )
