"""User-supplied file names: refused when hostile, tidied for display, never used as keys."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.utils.translation import gettext as _

from projects.errors import UploadRejected

MAX_NAME_CHARS = 255  # longer than any file system allows: nobody's real photo is named so
DISPLAY_CHARS = 120


def clean_filename(name: str) -> str:
    """The name to show for an upload. Raises ``UploadRejected`` for path tricks, control
    characters and absurd lengths; otherwise normalises and shortens for display."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        return "photo"
    if len(name) > MAX_NAME_CHARS:
        raise UploadRejected(_("The file name is too long. Rename the file and try again."))
    if "/" in name or "\\" in name or name in (".", ".."):
        raise UploadRejected(_("The file name contains a folder path. Send just the file."))
    # Cc: control characters; Cf: invisible format characters such as right-to-left overrides,
    # which can make "gpj.exe" look like "exe.jpg".
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise UploadRejected(_("The file name contains invisible control characters."))
    if len(name) <= DISPLAY_CHARS:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 10:
        return name[:DISPLAY_CHARS]
    return f"{stem[: DISPLAY_CHARS - len(ext) - 2]}….{ext}"


def content_disposition(filename: str, *, inline: bool) -> str:
    """A Content-Disposition header safe for any name (RFC 6266 with an ASCII fallback)."""
    kind = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "photo.jpg"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
