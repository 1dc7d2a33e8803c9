from __future__ import annotations

import io

import pytest
from PIL import Image

from projects.ai.images import ImagePreparationError, prepare_image

from .samples import leaks, private_jpeg


def test_the_sample_photo_really_carries_the_private_data() -> None:
    # Guards the other tests: a sample without metadata would make "no leaks" meaningless.
    assert {"EXIF APP1", "XMP", "ICC", "camera", "file name", "EXIF tags"} <= set(
        leaks(private_jpeg())
    )


def test_a_prepared_photo_is_a_jpeg_at_most_768_px_on_its_long_side() -> None:
    prepared = prepare_image(private_jpeg((2000, 1200)))
    with Image.open(io.BytesIO(prepared)) as image:
        assert image.format == "JPEG"
        assert image.size == (768, 461)


def test_a_prepared_photo_keeps_no_exif_gps_xmp_icc_comment_or_file_name() -> None:
    assert leaks(prepare_image(private_jpeg())) == []


def test_a_small_photo_is_not_enlarged() -> None:
    with Image.open(io.BytesIO(prepare_image(private_jpeg((300, 200))))) as image:
        assert image.size == (300, 200)


def test_a_sideways_photo_is_sent_upright_without_its_orientation_tag() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    Image.new("RGB", (1000, 500), (0, 0, 255)).save(out, "JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(prepare_image(out.getvalue()))) as image:
        assert image.size == (384, 768)


def test_bytes_that_are_not_an_image_are_refused() -> None:
    with pytest.raises(ImagePreparationError):
        prepare_image(b"not a photo")
