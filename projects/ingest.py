"""Turn an uploaded file into the server's own working copy and thumbnail.

The file is judged by decoding it (``inspect_photo``), then decoded once more at the working
size (``load_photo``: JPEGs at a reduced DCT scale, so a 48 MP photo never exists at full size)
and re-encoded. The working copy carries no EXIF (no GPS), is upright and sRGB: it is what the
renderer reads, so a file never reaches FFmpeg unless this server produced it.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from rendering.pipeline.errors import UnusablePhoto
from rendering.pipeline.photos import PhotoInfo, inspect_photo, load_photo

# Long side of the working copy per the plan's best resolution: a little more than the frame,
# so a push-in stays sharp (the renderer caps zoom at what the pixels allow). 4K gets 4096.
WORKING_LONG_SIDE = {"720p": 2048, "1080p": 2048, "2160p": 4096}
# A JPEG decodes at 1/2, 1/4 or 1/8 for a fraction of the cost of a full decode and resize;
# we take such a size when it lands within this fraction under the bound (4032 px → 2016).
DRAFT_SLACK = 0.9
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


def prepare_photo(
    path: Path, *, max_megapixels: float, max_resolution: str = "2160p"
) -> PreparedPhoto:
    """Validate and normalise the photo at ``path``. Raises ``UnusablePhoto``."""
    info = inspect_photo(path, max_megapixels=max_megapixels)
    long_side = WORKING_LONG_SIDE.get(max_resolution, 4096)
    size = working_size(info.width, info.height, long_side, jpeg=info.format == "JPEG")
    image = load_photo(path, cover=size, max_megapixels=max_megapixels)
    working = _jpeg(image, WORKING_QUALITY)
    # From the decoded working pixels: no third decode of the file.
    thumb = _thumbnail(image)
    return PreparedPhoto(
        info=info,
        working=working,
        thumbnail=_jpeg(thumb, THUMB_QUALITY),
        width=image.width,
        height=image.height,
    )


def working_size(width: int, height: int, long_side: int, *, jpeg: bool) -> tuple[int, int]:
    """The working copy's size: at most ``long_side``, preferring a JPEG's DCT-scaled size."""
    if max(width, height) <= long_side:
        return width, height
    if jpeg:
        for scale in (2, 4, 8):
            w, h = math.ceil(width / scale), math.ceil(height / scale)
            if DRAFT_SLACK * long_side <= max(w, h) <= long_side:
                return w, h
    return bounded_size(width, height, long_side)


def bounded_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """``width`` × ``height`` scaled down (never up) so the long side is at most ``long_side``."""
    scale = min(1.0, long_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _thumbnail(image: Image.Image) -> Image.Image:
    # A box reduce by a whole factor first (cheap), then a short filtered resize.
    factor = max(1, max(image.size) // (THUMB_LONG_SIDE * 2))
    small = image.reduce(factor) if factor > 1 else image.copy()
    small.thumbnail((THUMB_LONG_SIDE, THUMB_LONG_SIDE), Image.Resampling.BICUBIC)
    return small


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    # No exif= and no icc_profile=: the copy carries no metadata and is plain sRGB.
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


__all__ = ["PreparedPhoto", "UnusablePhoto", "bounded_size", "prepare_photo", "working_size"]
