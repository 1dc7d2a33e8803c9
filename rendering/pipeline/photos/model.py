"""Value types shared by the photo module: a normalised box and the facts about one photo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


def _clamp01(value: float) -> float:
    return min(1.0, max(0.0, value))


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in coordinates normalised to the upright image: (0, 0) is top-left, 1 is the
    full width or height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        """Horizontal centre."""
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        """Vertical centre."""
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def area(self) -> float:
        return self.w * self.h

    @classmethod
    def from_pixels(cls, x: float, y: float, w: float, h: float, width: int, height: int) -> Box:
        """A box from pixel coordinates on an image of ``width`` × ``height``, clamped."""
        return cls.from_edges(x / width, y / height, (x + w) / width, (y + h) / height)

    @classmethod
    def from_edges(cls, left: float, top: float, right: float, bottom: float) -> Box:
        """A box from its edges, clamped to 0..1."""
        left, top = _clamp01(left), _clamp01(top)
        right, bottom = _clamp01(right), _clamp01(bottom)
        return cls(left, top, max(0.0, right - left), max(0.0, bottom - top))

    def union(self, other: Box) -> Box:
        """The smallest box holding both."""
        return Box.from_edges(
            min(self.x, other.x),
            min(self.y, other.y),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def expanded(self, left: float, top: float, right: float, bottom: float) -> Box:
        """Grow each edge by a fraction of this box's own size, clamped to the image."""
        return Box.from_edges(
            self.x - left * self.w,
            self.y - top * self.h,
            self.right + right * self.w,
            self.bottom + bottom * self.h,
        )

    def padded(self, frac: float) -> Box:
        """Grow every edge by ``frac`` of the box's size, clamped to the image."""
        return self.expanded(frac, frac, frac, frac)


CENTRE_BOX = Box(0.25, 0.25, 0.5, 0.5)


@dataclass(frozen=True, slots=True)
class PhotoInfo:
    """What the pipeline needs to know about one usable photo (see ``inspect_photo``)."""

    path: Path
    name: str
    format: str
    width: int
    height: int
    orientation: int
    taken_at: datetime | None
    gps: tuple[float, float] | None
    camera: str | None
    sharpness: float
    phash: int
    subject: Box
    subject_kind: str
    faces: tuple[Box, ...]
