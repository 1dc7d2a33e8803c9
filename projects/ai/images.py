"""What may leave the machine of a photo: a small JPEG made from its pixels and nothing else."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE_PX = 768
JPEG_QUALITY = 80


class ImagePreparationError(ValueError):
    """The bytes are not an image Pillow can read."""


def prepare_image(data: bytes, *, max_side: int = MAX_SIDE_PX) -> bytes:
    """Re-encode ``data`` as a JPEG at most ``max_side`` px on its long side, pixels only.

    The orientation tag is applied to the pixels first (so the copy looks right without it), then
    the pixels go into a fresh image: EXIF (and so GPS), XMP, ICC, comments and the file name
    stay behind, whatever ``info`` the decoder filled in.
    """
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale, faster
            upright = ImageOps.exif_transpose(source).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImagePreparationError(str(exc)) from exc
    upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    clean = Image.frombytes("RGB", upright.size, upright.tobytes())
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def is_prepared(data: bytes, *, max_side: int = MAX_SIDE_PX) -> bool:
    """Whether ``data`` already is what ``prepare_image`` makes (reads the header only)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            private = {"exif", "icc_profile", "xmp", "comment"} & image.info.keys()
            return image.format == "JPEG" and max(image.size) <= max_side and not private
    except (UnidentifiedImageError, OSError, ValueError):
        return False


def image_size(jpeg: bytes) -> tuple[int, int]:
    """Width and height of a prepared JPEG (for the AI log), from its header."""
    with Image.open(io.BytesIO(jpeg)) as image:
        return image.size
