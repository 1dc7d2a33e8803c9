"""The entry points: ``inspect_photo`` (facts for planning), ``load_photo`` and
``load_photo_array`` (pixels)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from .analysis import phash, sharpness
from .decode import OpenedPhoto, decode_grey, decode_rgb, open_photo
from .metadata import read_metadata
from .model import PhotoInfo
from .subject import FACE_SIDE, find_subject

DEFAULT_MAX_MEGAPIXELS = 100.0
# Analysis needs ≥ FACE_SIDE px; JPEG DCT scaling lands between that and ~1280.
_ANALYSIS_MIN_SIDE = FACE_SIDE
_ANALYSIS_MAX_SIDE = 1024


def inspect_photo(path: Path, *, max_megapixels: float = DEFAULT_MAX_MEGAPIXELS) -> PhotoInfo:
    """Validate ``path`` by decoding it and describe it: size, EXIF facts, sharpness, hash and
    subject box. Decodes once, at reduced size. Raises ``UnusablePhoto`` with a one-line reason."""
    with open_photo(path, max_megapixels=max_megapixels) as photo:
        grey = decode_grey(
            photo, min_long_side=_ANALYSIS_MIN_SIDE, max_long_side=_ANALYSIS_MAX_SIDE
        )
        meta = read_metadata(photo.exif)
    subject = find_subject(grey)
    return PhotoInfo(
        path=path,
        name=photo.name,
        format=photo.format,
        width=photo.width,
        height=photo.height,
        orientation=photo.orientation,
        taken_at=meta.taken_at,
        gps=meta.gps,
        camera=meta.camera,
        sharpness=sharpness(grey),
        phash=phash(grey),
        subject=subject.box,
        subject_kind=subject.kind,
        faces=subject.faces,
    )


def load_photo(
    path: Path,
    *,
    cover: tuple[int, int] | None = None,
    background: tuple[int, int, int] = (0, 0, 0),
    max_megapixels: float = DEFAULT_MAX_MEGAPIXELS,
    slack: float = 1.0,
) -> Image.Image:
    """Upright 8-bit sRGB RGB pixels of ``path``, transparency flattened onto ``background``.

    With ``cover=(w, h)`` the photo is scaled down (never up) to the smallest size that still
    covers ``w`` × ``h``, decoding JPEGs at a reduced DCT scale; with ``slack`` > 1 a decode up
    to that much larger is returned without the final resize. Raises ``UnusablePhoto``.
    """
    with _decoded(path, cover, background, max_megapixels, slack) as (photo, image):
        # The file's own image object dies with the file: hand back pixels we own.
        return image.copy() if image is photo.image else image


def load_photo_array(
    path: Path,
    *,
    cover: tuple[int, int],
    background: tuple[int, int, int] = (0, 0, 0),
    max_megapixels: float = DEFAULT_MAX_MEGAPIXELS,
    slack: float = 1.0,
) -> NDArray[np.uint8]:
    """``load_photo``'s pixels as a read-only height × width × 3 array.

    Read out while the file is open: a JPEG decoded as it is needs no detached copy first, as
    ``load_photo``'s has, one 9 MB image fewer per 1080p photo.
    """
    with _decoded(path, cover, background, max_megapixels, slack) as (_, image):
        return np.asarray(image, dtype=np.uint8)


@contextmanager
def _decoded(
    path: Path,
    cover: tuple[int, int] | None,
    background: tuple[int, int, int],
    max_megapixels: float,
    slack: float,
) -> Iterator[tuple[OpenedPhoto, Image.Image]]:
    """The open file and its decoded pixels (``decode_rgb``), valid until the block ends."""
    with open_photo(path, max_megapixels=max_megapixels) as photo:
        size = cover_size(photo.width, photo.height, cover) if cover else None
        yield photo, decode_rgb(photo, size=size, background=background, slack=slack)


def cover_size(width: int, height: int, cover: tuple[int, int]) -> tuple[int, int] | None:
    """The smallest size of ``width`` × ``height`` (aspect kept) covering ``cover``, or None
    when that would not be smaller than the photo."""
    cover_w, cover_h = cover
    scale = max(cover_w / width, cover_h / height)
    if scale >= 1:
        return None
    # ceil, then at least the cover: rounding must never leave a one-pixel gap on screen.
    return max(cover_w, math.ceil(width * scale)), max(cover_h, math.ceil(height * scale))
