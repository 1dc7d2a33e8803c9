"""Decoding and validation: every allowed format, EXIF orientation, colour, refusals, cover."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, JpegImagePlugin

from rendering.pipeline.errors import UnusablePhoto
from rendering.pipeline.photos import inspect_photo, load_photo
from tests.rendering import photo_samples as ps

GREEN = (0, 255, 0)
Factory = Callable[[Path], Path]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_it_shows_every_exif_orientation_upright(tmp_path: Path, orientation: int) -> None:
    path = ps.oriented_jpeg(tmp_path, orientation)

    im = load_photo(path)
    info = inspect_photo(path)

    assert im.size == ps.SIZE
    assert ps.near(ps.top_left(im), ps.RED)
    assert ps.near(ps.bottom_right(im), ps.BLUE)
    assert (info.width, info.height, info.orientation) == (*ps.SIZE, orientation)


@pytest.mark.parametrize(
    ("factory", "fmt", "top_left", "bottom_right"),
    [
        (ps.progressive_jpeg, "JPEG", ps.RED, ps.BLUE),
        (ps.mpo, "JPEG", ps.RED, ps.BLUE),
        (ps.cmyk_jpeg, "JPEG", ps.RED, ps.BLUE),
        (ps.png_rgba, "PNG", GREEN, ps.BLUE),
        (ps.png_grey_alpha, "PNG", GREEN, (29, 29, 29)),
        (ps.png_palette_transparent, "PNG", GREEN, ps.BLUE),
        (ps.png_16bit_rgb, "PNG", ps.RED, ps.BLUE),
        (ps.png_16bit_grey, "PNG", (127, 127, 127), (239, 239, 239)),
        (ps.heic, "HEIF", ps.RED, ps.BLUE),
        (ps.rotated_heic, "HEIF", ps.RED, ps.BLUE),
        (ps.webp_alpha, "WEBP", GREEN, ps.BLUE),
        (ps.animated_gif, "GIF", ps.RED, ps.BLUE),
        (ps.tiff_16bit_rgb, "TIFF", ps.RED, ps.BLUE),
        (ps.tiff_16bit_grey, "TIFF", (127, 127, 127), (239, 239, 239)),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_it_decodes_every_allowed_format_to_8_bit_rgb(
    tmp_path: Path,
    factory: Factory,
    fmt: str,
    top_left: tuple[int, int, int],
    bottom_right: tuple[int, int, int],
) -> None:
    path = factory(tmp_path)

    im = load_photo(path, background=GREEN)

    assert (im.mode, im.size) == ("RGB", ps.SIZE)
    assert ps.near(ps.top_left(im), top_left), ps.top_left(im)
    assert ps.near(ps.bottom_right(im), bottom_right), ps.bottom_right(im)
    assert inspect_photo(path).format == fmt


def test_it_does_not_rotate_heic_twice(tmp_path: Path) -> None:
    # libheif already applied the rotation; the EXIF value is reported, not re-applied.
    info = inspect_photo(ps.rotated_heic(tmp_path))

    assert (info.width, info.height, info.orientation) == (*ps.SIZE, 6)


def test_it_flattens_transparency_onto_black_by_default(tmp_path: Path) -> None:
    im = load_photo(ps.png_rgba(tmp_path))

    assert ps.near(ps.top_left(im), (0, 0, 0), tolerance=0)


def test_it_converts_through_the_embedded_icc_profile(tmp_path: Path) -> None:
    # The profile says the stored "red" channel is really blue: only a colour-managed
    # conversion shows blue where the file stores red.
    im = load_photo(ps.jpeg_with_profile(tmp_path))

    assert ps.near(ps.top_left(im), ps.BLUE, tolerance=60), ps.top_left(im)


def test_it_returns_pixels_that_outlive_the_file(tmp_path: Path) -> None:
    path = ps.save(tmp_path, "plain.jpg", ps.pattern(), "JPEG")

    im = load_photo(path)
    path.unlink()

    assert ps.near(ps.top_left(im), ps.RED)


def _html(d: Path) -> Path:
    return ps.write_bytes(d, "page.jpg", b"<!DOCTYPE html>\n<html><body>hi</body></html>")


def _svg(d: Path) -> Path:
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="9"></svg>'
    return ps.write_bytes(d, "drawing.svg", svg)


def _bmp(d: Path) -> Path:
    return ps.save(d, "old.bmp", ps.pattern(), "BMP")


@pytest.mark.parametrize(
    ("factory", "name", "reason"),
    [
        (lambda d: ps.write_bytes(d, "empty.jpg", b""), "empty.jpg", "empty file"),
        (
            lambda d: ps.write_bytes(d, "notes.jpg", b"shopping: milk\n"),
            "notes.jpg",
            "not an image",
        ),
        (_html, "page.jpg", "a web page (HTML), not an image"),
        (_svg, "drawing.svg", "SVG is not a supported photo format"),
        (
            lambda d: ps.write_bytes(d, "scan.jpg", b"%PDF-1.7\n%\xe2\xe3\n"),
            "scan.jpg",
            "PDF is not a supported photo format",
        ),
        (_bmp, "old.bmp", "BMP is not a supported photo format"),
        (ps.truncated_jpeg, "truncated.jpg", "file is truncated or damaged"),
        (
            lambda d: ps.png_header_only(d, "bomb.png", 60000, 60000),
            "bomb.png",
            "3.6 gigapixels, limit is 100 megapixels",
        ),
        (lambda d: d / "gone.jpg", "gone.jpg", "file not found"),
        (
            lambda d: ps.save(d, "tiny.png", ps.pattern((12, 8)), "PNG"),
            "tiny.png",
            "too small (12×8), at least 64 px on each side",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value else None,
)
def test_it_refuses_unusable_files_with_a_one_line_reason(
    tmp_path: Path, factory: Factory, name: str, reason: str
) -> None:
    path = factory(tmp_path)

    for call in (inspect_photo, load_photo):
        with pytest.raises(UnusablePhoto) as caught:
            call(path)
        assert (caught.value.name, caught.value.reason) == (name, reason)
        assert str(caught.value) == f"{name}: {reason}"


def test_it_reports_the_upright_size_when_too_small(tmp_path: Path) -> None:
    path = ps.save(tmp_path, "strip.jpg", ps.pattern((200, 40)), "JPEG")
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.open(path).save(path, "JPEG", exif=exif.tobytes())

    with pytest.raises(UnusablePhoto, match=r"too small \(40×200\)"):
        inspect_photo(path)


@pytest.mark.parametrize(
    ("size", "limit", "reason"),
    [
        ((9000, 9000), 50, "81 megapixels, limit is 50 megapixels"),
        ((10000, 10000), 50, "100 megapixels, limit is 50 megapixels"),
        ((20000, 10000), 100, "200 megapixels, limit is 100 megapixels"),
    ],
)
def test_it_refuses_images_over_the_pixel_limit_from_the_header(
    tmp_path: Path, size: tuple[int, int], limit: float, reason: str
) -> None:
    path = ps.png_header_only(tmp_path, "big.png", *size)

    with pytest.raises(UnusablePhoto) as caught:
        inspect_photo(path, max_megapixels=limit)

    assert caught.value.reason == reason


def test_it_lets_the_callers_limit_override_pillows_bomb_warning(tmp_path: Path) -> None:
    # 95 MP is over Pillow's warning threshold (~89 MP) but under our limit: the file gets as
    # far as decoding (and fails there, because its pixel data is a stub).
    path = ps.png_header_only(tmp_path, "large.png", 10000, 9500)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UnusablePhoto) as caught:
            inspect_photo(path)

    assert caught.value.reason == "file is truncated or damaged"


def test_it_leaves_the_global_warning_filters_alone(tmp_path: Path) -> None:
    before = list(warnings.filters)

    with pytest.raises(UnusablePhoto):
        inspect_photo(ps.png_header_only(tmp_path, "bomb.png", 60000, 60000))

    assert warnings.filters == before


@pytest.fixture(scope="module")
def phone_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("phone")
    return ps.save(directory, "phone.jpg", ps.pattern((4032, 3024)), "JPEG", quality=90)


def test_it_scales_down_to_the_smallest_size_covering_the_frame(phone_jpeg: Path) -> None:
    im = load_photo(phone_jpeg, cover=(1920, 1080))

    assert (im.mode, im.size) == ("RGB", (1920, 1440))
    assert ps.near(ps.top_left(im), ps.RED)
    assert ps.near(ps.bottom_right(im), ps.BLUE)


def test_it_never_scales_up_to_cover(phone_jpeg: Path) -> None:
    im = load_photo(phone_jpeg, cover=(5000, 5000))

    assert im.size == (4032, 3024)


def test_it_covers_in_upright_coordinates_for_rotated_photos(tmp_path: Path) -> None:
    stored = ps.pattern((3024, 4032)).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = ps.save(tmp_path, "portrait.jpg", stored, "JPEG", exif=exif.tobytes())

    im = load_photo(path, cover=(1080, 1920))

    assert im.size == (1440, 1920)
    assert ps.near(ps.top_left(im), ps.RED)


def test_it_decodes_jpegs_at_a_reduced_dct_scale(
    phone_jpeg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded_sizes: list[tuple[int, int]] = []
    real_load = JpegImagePlugin.JpegImageFile.load

    def spy(self: JpegImagePlugin.JpegImageFile) -> object:
        if self.tile:
            decoded_sizes.append(self.size)
        return real_load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spy)

    inspect_photo(phone_jpeg)
    load_photo(phone_jpeg, cover=(1920, 1080))

    assert decoded_sizes == [(1008, 756), (2016, 1512)]


def test_it_covers_non_jpeg_formats_too(tmp_path: Path) -> None:
    path = ps.save(tmp_path, "wide.png", ps.pattern((1000, 500)), "PNG")

    im = load_photo(path, cover=(320, 320))

    assert im.size == (640, 320)
    assert ps.near(ps.bottom_right(im), ps.BLUE)
