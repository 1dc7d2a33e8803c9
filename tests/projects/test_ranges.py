"""Range headers as players and proxies send them (RFC 9110 §14), without a server."""

from __future__ import annotations

import pytest

from projects.ranges import ByteRange, RangeNotSatisfiable, parse_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-1", ByteRange(0, 1)),  # Safari's first probe
        ("Bytes = 0-1", ByteRange(0, 1)),  # the unit is case-insensitive
        ("bytes=-10000", ByteRange(0, 999)),  # more than the file: all of it, still partial
        ("bytes=999-999", ByteRange(999, 999)),
        (None, None),
        ("", None),
        ("bytes=٠-٩", None),  # Arabic-Indic digits are no byte positions
        ("bytes=0-1, 3-4", None),
    ],
)
def test_it_reads_one_range_of_a_thousand_byte_file(
    header: str | None, expected: ByteRange | None
) -> None:
    assert parse_range(header, size=1000) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=-0", 1000), ("bytes=0-", 0), ("bytes=-5", 0)])
def test_it_calls_a_range_with_no_bytes_in_it_unsatisfiable(header: str, size: int) -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, size=size)
