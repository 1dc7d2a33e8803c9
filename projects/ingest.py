"""Turn an uploaded file into the server's own working copy and thumbnail.

The file is judged by decoding it (``inspect_photo``), then decoded once more at the working
size (``load_photo``: JPEGs at a reduced DCT scale, so a 48 MP photo never exists at full size)
and re-encoded. The working copy carries no EXIF (no GPS), is upright and sRGB: it is what the
renderer reads, so a file never reaches FFmpeg unless this server produced it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from rendering.pipeline.errors import UnusablePhoto
from rendering.pipeline.photos import PhotoInfo, inspect_photo, load_photo

WORKING_LONG_SIDE = 4096  # enough for slow zooms on a 4K frame
THUMB_LONG_SIDE = 480
WORKING_QUALITY = 90
THUMB_QUALITY = 80
# The extension an original is kept under is decided by what it decoded as, not by its name.
ORIGINAL_EXTENSIONS = {
    "JPEG": "jpg",
    "PNG": "png",
    "HEIF": "heic",
    "WEBP": "webp",
    "GIF": "gif",
    "TIFF": "tiff",
}


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    info: PhotoInfo
    working: bytes
    thumbnail: bytes
    width: int
    height: int

    @property
    def original_extension(self) -> str:
        return ORIGINAL_EXTENSIONS.get(self.info.format, "bin")


def prepare_photo(path: Path, *, max_megapixels: float) -> PreparedPhoto:
    """Validate and normalise the photo at ``path``. Raises ``UnusablePhoto``."""
    info = inspect_photo(path, max_megapixels=max_megapixels)
    bounded = bounded_size(info.width, info.height, WORKING_LONG_SIDE)
    image = load_photo(path, cover=bounded, max_megapixels=max_megapixels)
    working = _jpeg(image, WORKING_QUALITY)
    # From the decoded working pixels: no third decode of the file.
    thumb = image.copy() if image.mode == "RGB" else image.convert("RGB")
    thumb.thumbnail((THUMB_LONG_SIDE, THUMB_LONG_SIDE), Image.Resampling.BILINEAR, 2.0)
    return PreparedPhoto(
        info=info,
        working=working,
        thumbnail=_jpeg(thumb, THUMB_QUALITY),
        width=image.width,
        height=image.height,
    )


def bounded_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """``width`` × ``height`` scaled down (never up) so the long side is at most ``long_side``."""
    scale = min(1.0, long_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    # No exif= and no icc_profile=: the copy carries no metadata and is plain sRGB.
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


__all__ = ["PreparedPhoto", "UnusablePhoto", "bounded_size", "prepare_photo"]
