"""Factories for test photos, written into a directory the test owns (usually ``tmp_path``).

The base picture is an asymmetric pattern: white, a red block top-left, a blue block
bottom-right, so orientation and colour handling are checkable by sampling two points.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageCms, ImageFilter, TiffImagePlugin

SAMPLES = Path("/work/shared/samples")
RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)
SIZE = (160, 120)

# The transpose that turns an upright picture into what a camera stores under each EXIF
# orientation, i.e. the inverse of what a viewer applies.
_STORE_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def pattern(size: tuple[int, int] = SIZE, mode: str = "RGB") -> Image.Image:
    """White with a red block in the top-left quarter and a blue one in the bottom-right."""
    w, h = size
    im = Image.new("RGB", size, WHITE)
    im.paste(RED, (0, 0, w // 2, h // 2))
    im.paste(BLUE, (w // 2, h // 2, w, h))
    return im.convert(mode)


def top_left(im: Image.Image) -> tuple[int, ...]:
    """The colour a quarter of the way into the top-left block."""
    return _rgb(im.getpixel((im.width // 8, im.height // 8)))


def bottom_right(im: Image.Image) -> tuple[int, ...]:
    """The colour a quarter of the way into the bottom-right block."""
    return _rgb(im.getpixel((im.width * 7 // 8, im.height * 7 // 8)))


def near(colour: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    """Whether two colours match within a lossy-codec tolerance per channel."""
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def _rgb(value: object) -> tuple[int, ...]:
    assert isinstance(value, tuple)
    return tuple(int(v) for v in value)


def oriented_jpeg(directory: Path, orientation: int) -> Path:
    """The pattern stored so that EXIF ``orientation`` must be applied to see it upright."""
    stored = pattern()
    method = _STORE_AS[orientation]
    if method is not None:
        stored = stored.transpose(method)
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = directory / f"orientation-{orientation}.jpg"
    stored.save(path, "JPEG", quality=95, exif=exif.tobytes())
    return path


def save(directory: Path, name: str, im: Image.Image, fmt: str, **options: object) -> Path:
    """Save ``im`` as ``fmt`` under ``directory / name``."""
    path = directory / name
    im.save(path, fmt, **options)
    return path


def progressive_jpeg(directory: Path) -> Path:
    return save(directory, "progressive.jpg", pattern(), "JPEG", progressive=True, quality=90)


def cmyk_jpeg(directory: Path) -> Path:
    # Pillow writes CMYK JPEGs with an Adobe APP14 marker, as Photoshop does.
    return save(directory, "cmyk.jpg", pattern(mode="CMYK"), "JPEG", quality=95)


def swapped_primaries_profile() -> bytes:
    """An RGB ICC profile whose red and blue primaries are exchanged: honouring it turns
    stored red into displayed blue, which no plain conversion would do."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack_from(">I", icc, 128)[0]
    entries = {}
    for i in range(count):
        at = 132 + 12 * i
        entries[bytes(icc[at : at + 4])] = at
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    icc[red + 4 : red + 12], icc[blue + 4 : blue + 12] = (
        icc[blue + 4 : blue + 12],
        icc[red + 4 : red + 12],
    )
    icc[84:100] = bytes(16)  # the profile ID is an MD5 of the content: mark it "not computed"
    return bytes(icc).replace("sRGB".encode("utf-16-be"), "xBGR".encode("utf-16-be"))


def jpeg_with_profile(directory: Path) -> Path:
    return save(
        directory,
        "profile.jpg",
        pattern(),
        "JPEG",
        quality=95,
        icc_profile=swapped_primaries_profile(),
    )


def png_rgba(directory: Path) -> Path:
    """The pattern with its red block fully transparent."""
    im = pattern(mode="RGBA")
    w, h = im.size
    im.paste((255, 0, 0, 0), (0, 0, w // 2, h // 2))
    return save(directory, "alpha.png", im, "PNG")


def png_grey_alpha(directory: Path) -> Path:
    im = pattern(mode="LA")
    w, h = im.size
    im.paste((0, 0), (0, 0, w // 2, h // 2))
    return save(directory, "grey-alpha.png", im, "PNG")


def png_palette_transparent(directory: Path) -> Path:
    """A palette PNG whose red entry is the transparent one."""
    im = pattern().convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    red_index = im.getpixel((0, 0))
    return save(directory, "palette.png", im, "PNG", transparency=red_index)


def png_16bit_rgb(directory: Path) -> Path:
    return _write_16bit(directory / "deep.png")


def png_16bit_grey(directory: Path) -> Path:
    """A 16-bit grey PNG (Pillow mode I;16): left half mid-grey, right half near white."""
    values = np.full((SIZE[1], SIZE[0]), 0xF000, dtype=np.uint16)
    values[:, : SIZE[0] // 2] = 0x8000
    path = directory / "deep-grey.png"
    Image.fromarray(values).save(path, "PNG")
    return path


def tiff_16bit_rgb(directory: Path) -> Path:
    return _write_16bit(directory / "deep.tif")


def tiff_16bit_grey(directory: Path) -> Path:
    values = np.full((SIZE[1], SIZE[0]), 0xF000, dtype=np.uint16)
    values[:, : SIZE[0] // 2] = 0x8000
    path = directory / "deep-grey.tif"
    Image.fromarray(values).save(path, "TIFF")
    return path


def _write_16bit(path: Path) -> Path:
    # Pillow cannot write 16-bit RGB; OpenCV can (and wants BGR order).
    rgb16 = np.asarray(pattern(), dtype=np.uint16) * 257
    assert cv2.imwrite(str(path), np.ascontiguousarray(rgb16[:, :, ::-1]))
    return path


def heic(directory: Path) -> Path:
    import pillow_heif

    pillow_heif.register_heif_opener()
    return save(directory, "photo.heic", pattern(), "HEIF", quality=90)


def webp_alpha(directory: Path) -> Path:
    im = pattern(mode="RGBA")
    w, h = im.size
    im.paste((255, 0, 0, 0), (0, 0, w // 2, h // 2))
    return save(directory, "alpha.webp", im, "WEBP", lossless=True)


def animated_gif(directory: Path) -> Path:
    """Two frames: the pattern first, then solid green."""
    frames = [pattern(), Image.new("RGB", SIZE, (0, 255, 0))]
    path = directory / "animated.gif"
    frames[0].save(path, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return path


def jpeg_with_metadata(directory: Path) -> Path:
    """An "iPhone" JPEG: capture time with offset, GPS in Paris-ish, Apple make and model."""
    exif = Image.Exif()
    exif[0x010F] = "Apple\x00"
    exif[0x0110] = "iPhone 13"
    exif[0x0132] = "2024:01:01 00:00:00"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2023:08:14 17:32:05"
    sub[0x9011] = "+02:00"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = _rationals(48, 51, 29.52)
    gps[3] = "W"
    gps[4] = _rationals(2, 17, 40.2)
    return save(directory, "iphone.jpg", pattern(), "JPEG", exif=exif.tobytes())


def jpeg_with_exif(directory: Path, exif: Image.Exif, name: str = "exif.jpg") -> Path:
    return save(directory, name, pattern(), "JPEG", exif=exif.tobytes())


def _rationals(*values: float) -> tuple[TiffImagePlugin.IFDRational, ...]:
    return tuple(TiffImagePlugin.IFDRational(round(v * 100), 100) for v in values)


def photo_like(size: tuple[int, int] = (4032, 3024)) -> Image.Image:
    """A phone-sized picture with photo-like detail (a sample photo, enlarged, plus noise)."""
    base = (
        Image.open(SAMPLES / "astronaut.jpg").convert("RGB").resize(size, Image.Resampling.BILINEAR)
    )
    noise = np.random.default_rng(7).normal(0, 6, (size[1], size[0], 1))
    pixels = np.clip(np.asarray(base, dtype=np.int16) + noise.astype(np.int16), 0, 255)
    return Image.fromarray(pixels.astype(np.uint8))


def blurred(src: Path, directory: Path, radius: float = 3.0) -> Path:
    im = Image.open(src).convert("RGB").filter(ImageFilter.GaussianBlur(radius))
    return save(directory, f"blurred-{src.name}", im, "JPEG", quality=95)


def resized(src: Path, directory: Path, scale: float = 0.6, quality: int = 70) -> Path:
    im = Image.open(src).convert("RGB")
    im = im.resize((round(im.width * scale), round(im.height * scale)), Image.Resampling.LANCZOS)
    return save(directory, f"resized-{src.name}", im, "JPEG", quality=quality)


# --- files that are not usable photos -------------------------------------------------------


def write_bytes(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.write_bytes(data)
    return path


def truncated_jpeg(directory: Path) -> Path:
    buffer = io.BytesIO()
    pattern((640, 480)).save(buffer, "JPEG", quality=95)
    data = buffer.getvalue()
    return write_bytes(directory, "truncated.jpg", data[: len(data) // 2])


def png_header_only(directory: Path, name: str, width: int, height: int) -> Path:
    """A tiny PNG whose header claims ``width`` × ``height`` (8-bit grey); the pixel data is a
    few compressed zero rows, so nothing large is ever written or held."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    compressor = zlib.compressobj()
    row = bytes(1 + min(width, 4096))
    idat = b"".join(compressor.compress(row) for _ in range(4)) + compressor.flush()
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return write_bytes(directory, name, data)


def mpo(directory: Path) -> Path:
    """A multi-picture JPEG (as many cameras write): the first picture is the photo."""
    path = directory / "camera.jpg"
    second = Image.new("RGB", SIZE, (0, 255, 0))
    pattern().save(path, "MPO", save_all=True, append_images=[second], quality=95)
    return path


def rotated_heic(directory: Path) -> Path:
    """A HEIC whose EXIF says "rotate 90° clockwise"; libheif turns that into a transform."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = pattern().transpose(Image.Transpose.ROTATE_90)
    return save(directory, "rotated.heic", stored, "HEIF", quality=90, exif=exif.tobytes())
