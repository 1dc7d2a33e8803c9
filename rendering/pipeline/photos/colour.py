"""Pixel formats: any decoded mode → 8 bits per channel → sRGB RGB, transparency flattened."""

from __future__ import annotations

import functools
import io

import numpy as np
from PIL import Image, ImageCms

# Modes every later step (resize, ICC transform, flatten) handles without surprises.
EIGHT_BIT_MODES = frozenset({"L", "LA", "RGB", "RGBA", "CMYK"})
_PROFILE_SPACE = {"L": "GRAY", "RGB": "RGB", "CMYK": "CMYK"}


def to_eight_bit(im: Image.Image) -> Image.Image:
    """The same picture in one of ``EIGHT_BIT_MODES``; alpha kept, precision reduced."""
    mode = im.mode
    if mode in EIGHT_BIT_MODES:
        return im
    if mode in ("P", "PA"):
        transparent = mode == "PA" or "transparency" in im.info
        if im.palette is not None and "A" in im.palette.mode:
            transparent = True
        return im.convert("RGBA" if transparent else "RGB")
    if mode.startswith("I;16") or mode in ("I", "F"):
        return _wide_grey_to_l(im)
    if mode in ("RGBa", "La"):
        return im.convert(mode.upper())
    if mode == "1":
        return im.convert("L")
    return im.convert("RGB")


def _wide_grey_to_l(im: Image.Image) -> Image.Image:
    # Pillow's own I/I;16 → L conversion clips at 255 instead of scaling, which turns most
    # 16-bit photos white; scale the 16-bit range down ourselves.
    values = np.asarray(im)
    if im.mode == "F":
        peak = float(np.nanmax(values)) if values.size else 0.0
        scaled = values * 255.0 if peak <= 1.0 else values
        out = np.clip(np.nan_to_num(scaled), 0, 255).astype(np.uint8)
    else:
        out = (np.clip(values.astype(np.int64), 0, 65535) // 257).astype(np.uint8)
    return Image.fromarray(out)  # 2-D uint8 → mode "L"


def to_srgb(im: Image.Image, *, icc: bytes | None, background: tuple[int, int, int]) -> Image.Image:
    """An RGB sRGB image from an 8-bit one, through ``icc`` when given, alpha flattened."""
    alpha = im.getchannel("A") if im.mode in ("LA", "RGBA") else None
    base = im.convert(im.mode[:-1]) if alpha is not None else im
    rgb = _through_profile(base, icc) if icc else None
    if rgb is None:
        # Pillow's convert() to the same mode is a full copy (9 MB for a 1080p photo).
        rgb = base if base.mode == "RGB" else base.convert("RGB")
    if alpha is None or alpha.getextrema() == (255, 255):
        return rgb
    flat = Image.new("RGB", rgb.size, background)
    flat.paste(rgb, mask=alpha)
    return flat


def to_grey(im: Image.Image, *, background: tuple[int, int, int]) -> Image.Image:
    """A grey image for analysis: no colour management (it would not change what we measure)."""
    if im.mode == "L":
        return im
    return to_srgb(im, icc=None, background=background).convert("L")


def _through_profile(im: Image.Image, icc: bytes) -> Image.Image | None:
    try:
        transform = _transform_to_srgb(icc, im.mode)
        if transform is None:
            return None
        return ImageCms.applyTransform(im, transform)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken or exotic embedded profile must not cost the photo: plain conversion is close.
        return None


@functools.lru_cache(maxsize=16)
def _transform_to_srgb(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    space = str(profile.profile.xcolor_space).strip().upper()
    if space != _PROFILE_SPACE.get(mode):
        return None
    if mode == "RGB" and "srgb" in str(profile.profile.profile_description).lower():
        return None  # already sRGB: skip the cost of an identity transform
    return ImageCms.buildTransform(
        profile,
        _srgb_profile(),
        mode,
        "RGB",
        renderingIntent=ImageCms.Intent.PERCEPTUAL,
    )


@functools.cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
