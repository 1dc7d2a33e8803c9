"""Single byte ranges (RFC 9110 §14): what iOS AVPlayer and Safari need to play a video.

Only one range is served. A header in another unit, with several ranges or malformed is ignored
and the whole file goes out with 200, which RFC 9110 allows; players ask for one range anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# [0-9], not \d: \d also matches other scripts' digits, which int() would accept.
_SPEC = re.compile(r"([0-9]*)-([0-9]*)")


class RangeNotSatisfiable(Exception):
    """The range starts past the end of the file (answer 416 with ``bytes */size``)."""


@dataclass(frozen=True, slots=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def parse_range(header: str | None, *, size: int) -> ByteRange | None:
    """The one range ``header`` asks for in a file of ``size`` bytes, or None to send the whole
    file. Raises ``RangeNotSatisfiable`` for a range that lies wholly past the end."""
    if not header:
        return None
    unit, equals, spec = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    match = _SPEC.fullmatch(spec.strip())
    if not match or match.group() == "-":
        return None
    first, last = match.groups()
    if not first:  # "-n": the last n bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return ByteRange(start=max(size - suffix, 0), end=size - 1)
    start = int(first)
    if last and int(last) < start:
        return None  # "5-2" is malformed, not unsatisfiable
    if start >= size:
        raise RangeNotSatisfiable
    end = min(int(last), size - 1) if last else size - 1
    return ByteRange(start=start, end=end)
