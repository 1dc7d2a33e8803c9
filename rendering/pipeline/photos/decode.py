"""Open, validate, orient and decode a photo file.

A file is judged by decoding it with Pillow restricted to an allow-list of formats, never by its
name or the content type a client claimed. Sizes are checked from the header, which Pillow reads
lazily, so a decompression bomb is refused before any pixel memory is allocated.
"""

from __future__ import annotations

import re
import struct
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError

from ..errors import UnusablePhoto
from .analysis import GreyArray
from .colour import to_eight_bit, to_grey, to_srgb
from .sniff import describe_unsupported

ALLOWED_FORMATS = ("JPEG", "PNG", "HEIF", "WEBP", "GIF", "TIFF")
# Below this a photo would be a blur of a few pixels on a 1080p frame; say so instead.
MIN_SIDE = 64
DAMAGED = "file is truncated or damaged"

# Multi-picture JPEGs (many cameras, some phones) open as MPO; the first picture is a JPEG.
_FORMAT_ALIASES = {"MPO": "JPEG"}
_SWAPS_AXES = frozenset({5, 6, 7, 8})
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# What Pillow's decoders raise on bad input; anything here means "this file is damaged".
_DECODER_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    struct.error,
    zlib.error,
    EOFError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    RuntimeError,  # pillow-heif reports libheif failures this way
)
_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")
_HEAD_BYTES = 1024


@dataclass(frozen=True, slots=True)
class OpenedPhoto:
    """A validated photo whose pixels are not decoded yet."""

    image: ImageFile.ImageFile
    name: str
    format: str
    orientation: int  # as recorded in EXIF
    pending_orientation: int  # still to apply to decoded pixels (HEIF arrives upright)
    exif: Image.Exif
    width: int  # upright
    height: int
    icc: bytes | None


@contextmanager
def open_photo(path: Path, *, max_megapixels: float) -> Iterator[OpenedPhoto]:
    """Open and validate ``path``; raise ``UnusablePhoto`` with a one-line reason if unusable.

    Only the header is read here; decoding happens in ``decode_rgb`` / ``decode_grey``.
    """
    name = path.name
    head = _read_head(path, name)
    im = _open_lazily(path, name, head, max_megapixels)
    try:
        yield _validate(im, name, max_megapixels)
    finally:
        im.close()


def decode_rgb(
    photo: OpenedPhoto,
    *,
    size: tuple[int, int] | None,
    background: tuple[int, int, int],
    slack: float = 1.0,
) -> Image.Image:
    """Upright 8-bit sRGB RGB pixels, resized to exactly ``size`` (upright) when given.

    With ``slack`` > 1, a reduced-scale decode up to that much larger than ``size`` is handed
    back as it is: a caller that resamples anyway (the frame synthesiser) saves a resize.
    May hand back the file's own image, valid only while ``photo`` is open: a caller that
    keeps it longer copies it (``load_photo``); one that reads it out at once saves the copy.
    """
    stored = _stored_size(photo, size) if size else None
    with _decoding(photo.name):
        im = _decode_reduced(photo, stored, grey=False)
        close_enough = stored is not None and im.size[0] <= stored[0] * slack
        if stored and im.size != stored and not close_enough:
            # reducing_gap: a fast box reduce first, then LANCZOS over the last 3× only.
            im = im.resize(stored, Image.Resampling.LANCZOS, reducing_gap=3.0)
        return to_srgb(
            _upright(im, photo.pending_orientation), icc=photo.icc, background=background
        )


def decode_grey(photo: OpenedPhoto, *, min_long_side: int, max_long_side: int) -> GreyArray:
    """Upright grey pixels for analysis, long side between the bounds (or smaller if the
    photo is), decoded as cheaply as the format allows."""
    long_side = max(photo.width, photo.height)
    wanted = _scaled(photo.width, photo.height, min_long_side / long_side)
    with _decoding(photo.name):
        im = _decode_reduced(photo, _stored_size(photo, wanted), grey=True)
        if max(im.size) > max_long_side:
            im.thumbnail((max_long_side, max_long_side), Image.Resampling.BILINEAR, 2.0)
        im = _upright(to_grey(im, background=(0, 0, 0)), photo.pending_orientation)
        return np.array(im, dtype=np.uint8)  # a copy, so the file can be closed


def upright_size(width: int, height: int, orientation: int) -> tuple[int, int]:
    """The displayed size of a ``width`` × ``height`` frame stored with EXIF ``orientation``."""
    return (height, width) if orientation in _SWAPS_AXES else (width, height)


def _read_head(path: Path, name: str) -> bytes:
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except FileNotFoundError:
        raise UnusablePhoto(name, "file not found") from None
    except IsADirectoryError:
        raise UnusablePhoto(name, "not a file") from None
    except OSError:
        raise UnusablePhoto(name, "file cannot be read") from None
    if not head:
        raise UnusablePhoto(name, "empty file")
    return head


def _open_lazily(path: Path, name: str, head: bytes, max_megapixels: float) -> ImageFile.ImageFile:
    _register_heif()
    try:
        with warnings.catch_warnings():
            # Locally only: a bomb warning must stop us, not scroll past in a log.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)  # "Corrupt EXIF data": we cope
            return Image.open(path, formats=ALLOWED_FORMATS)
    except Image.DecompressionBombWarning as exc:
        pixels = _bomb_pixels(exc)
        if pixels is None or pixels > max_megapixels * 1e6:
            raise UnusablePhoto(name, _bomb_reason(pixels, max_megapixels)) from None
    except Image.DecompressionBombError as exc:
        ceiling = min(max_megapixels, 2 * (Image.MAX_IMAGE_PIXELS or 0) / 1e6)
        raise UnusablePhoto(name, _bomb_reason(_bomb_pixels(exc), ceiling)) from None
    except UnidentifiedImageError:
        raise UnusablePhoto(name, describe_unsupported(head)) from None
    except _DECODER_ERRORS:
        raise UnusablePhoto(name, DAMAGED) from None
    # Pillow warns from ~89 MP, below our default limit; the caller's limit decides.
    with _decoding(name), warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        warnings.simplefilter("ignore", UserWarning)
        return Image.open(path, formats=ALLOWED_FORMATS)


def _validate(im: ImageFile.ImageFile, name: str, max_megapixels: float) -> OpenedPhoto:
    fmt = _FORMAT_ALIASES.get(im.format or "", im.format or "")
    if fmt not in ALLOWED_FORMATS:
        raise UnusablePhoto(name, f"{fmt or 'this'} is not a supported photo format")
    pixels = im.width * im.height
    if pixels > max_megapixels * 1e6:
        raise UnusablePhoto(name, _bomb_reason(pixels, max_megapixels))
    with _decoding(name):
        if fmt == "PNG":
            im.load()  # EXIF may follow the pixels in a PNG; reading it decodes anyway
        exif = _read_exif(im)
    orientation = _orientation(exif)
    heif_arrives_upright = fmt == "HEIF"
    if heif_arrives_upright:
        orientation = _valid_orientation(im.info.get("original_orientation"))
    pending = 1 if heif_arrives_upright else orientation
    width, height = upright_size(im.width, im.height, pending)
    if min(width, height) < MIN_SIDE:
        reason = f"too small ({width}×{height}), at least {MIN_SIDE} px on each side"
        raise UnusablePhoto(name, reason)
    icc = im.info.get("icc_profile")
    return OpenedPhoto(
        image=im,
        name=name,
        format=fmt,
        orientation=orientation,
        pending_orientation=pending,
        exif=exif,
        width=width,
        height=height,
        icc=icc if isinstance(icc, bytes) and icc else None,
    )


def _read_exif(im: Image.Image) -> Image.Exif:
    try:
        with warnings.catch_warnings():
            # Pillow warns "Corrupt EXIF data" and carries on; we carry on without the noise.
            warnings.simplefilter("ignore", UserWarning)
            return im.getexif()
    except _DECODER_ERRORS:
        # Damaged metadata should not cost a photo whose pixels are fine.
        return Image.Exif()


def _orientation(exif: Image.Exif) -> int:
    try:
        return _valid_orientation(exif.get(0x0112))
    except _DECODER_ERRORS:
        return 1


def _valid_orientation(value: object) -> int:
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _decode_reduced(
    photo: OpenedPhoto, stored: tuple[int, int] | None, *, grey: bool
) -> Image.Image:
    im = photo.image
    if photo.format == "JPEG" and stored:
        # DCT scaling: decode at 1/2, 1/4 or 1/8 directly, the smallest still >= ``stored``.
        im.draft("L" if grey else None, stored)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        im.load()
    return to_eight_bit(im)


def _stored_size(photo: OpenedPhoto, upright: tuple[int, int]) -> tuple[int, int]:
    w, h = upright
    return (h, w) if photo.pending_orientation in _SWAPS_AXES else (w, h)


def _scaled(width: int, height: int, scale: float) -> tuple[int, int]:
    scale = min(scale, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _upright(im: Image.Image, orientation: int) -> Image.Image:
    method = _TRANSPOSE.get(orientation)
    return im.transpose(method) if method is not None else im


@contextmanager
def _decoding(name: str) -> Iterator[None]:
    try:
        yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnusablePhoto(name, "too large to decode safely") from None
    except MemoryError:
        raise UnusablePhoto(name, "too large to decode on this server") from None
    except _DECODER_ERRORS:
        raise UnusablePhoto(name, DAMAGED) from None


def _bomb_pixels(exc: BaseException) -> int | None:
    match = _BOMB_PIXELS.search(str(exc))
    return int(match.group(1)) if match else None


def _bomb_reason(pixels: int | None, limit_megapixels: float) -> str:
    limit = f"limit is {_pixel_count(limit_megapixels * 1e6)}"
    if pixels is None:
        return f"too many pixels, {limit}"
    return f"{_pixel_count(pixels)}, {limit}"


def _pixel_count(pixels: float) -> str:
    if pixels >= 1e9:
        return f"{_trim(pixels / 1e9)} gigapixels"
    return f"{_trim(pixels / 1e6)} megapixels"


def _trim(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        import pillow_heif  # imported late: it loads libheif, which most callers never need

        pillow_heif.register_heif_opener()
        _heif_registered = True
