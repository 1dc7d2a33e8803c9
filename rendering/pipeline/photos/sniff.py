"""Name what a refused file is, from its first bytes, so the reason a user reads is specific.

Only consulted after Pillow (restricted to the allow-list) failed to open the file, so a weak
signature such as ``BM`` cannot shadow a real photo.
"""

from __future__ import annotations

import re

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"%!PS", "PostScript"),
    (b"8BPS", "Photoshop (PSD)"),
    (b"BM", "BMP"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    (b"\xff\x0a", "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL ", "JPEG XL"),
    (b"PK\x03\x04", "ZIP"),
)
_FTYP_BRANDS = {b"avif": "AVIF", b"avis": "AVIF"}
_TEXT_PREAMBLE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*|<!--.*?-->\s*|<!doctype\s+svg[^>]*>\s*)*",
    re.DOTALL | re.IGNORECASE,
)


def describe_unsupported(head: bytes) -> str:
    """A one-line reason for a file Pillow could not open as an allowed photo format."""
    kind = _markup_kind(head) or _binary_kind(head)
    if kind == "HTML":
        return "a web page (HTML), not an image"
    if kind:
        return f"{kind} is not a supported photo format"
    return "not an image"


def _markup_kind(head: bytes) -> str | None:
    preamble = _TEXT_PREAMBLE.match(head)
    rest = head[preamble.end() if preamble else 0 :].lower()
    if rest.startswith(b"<svg") or (b"<svg" in head.lower() and rest.startswith(b"<")):
        return "SVG"
    if rest.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "HTML"
    return None


def _binary_kind(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12])
    return None
