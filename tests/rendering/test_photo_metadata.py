"""EXIF facts: capture time, GPS position and camera name, read without ever failing a photo."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, TiffImagePlugin

from rendering.pipeline.photos import inspect_photo
from rendering.pipeline.photos.metadata import camera_name, gps_position, taken_at
from tests.rendering import photo_samples as ps


def test_it_reads_time_place_and_camera_from_a_phone_jpeg(tmp_path: Path) -> None:
    info = inspect_photo(ps.jpeg_with_metadata(tmp_path))

    assert info.taken_at == datetime(2023, 8, 14, 17, 32, 5, tzinfo=timezone(timedelta(hours=2)))
    assert info.gps == pytest.approx((48.8582, -2.2945), abs=1e-4)
    assert info.camera == "Apple iPhone 13"


def test_it_reads_exif_from_heic(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0110] = "iPhone 15 Pro"
    exif.get_ifd(0x8769)[0x9003] = "2024:05:01 09:00:00"
    path = ps.save(tmp_path, "img.heic", ps.pattern(), "HEIF", exif=exif.tobytes())

    info = inspect_photo(path)

    assert (info.taken_at, info.camera) == (datetime(2024, 5, 1, 9, 0), "iPhone 15 Pro")


def test_it_reads_the_capture_dates_of_the_samples() -> None:
    assert inspect_photo(ps.SAMPLES / "rocket.jpg").taken_at == datetime(2019, 7, 20, 14, 30)


def _exif(
    ifd0: dict[int, object] | None = None, sub: dict[int, object] | None = None
) -> Image.Exif:
    exif = Image.Exif()
    for tag, value in (ifd0 or {}).items():
        exif[tag] = value
    for tag, value in (sub or {}).items():
        exif.get_ifd(0x8769)[tag] = value
    return exif


def test_it_gives_a_naive_time_when_exif_has_no_offset() -> None:
    moment = taken_at(_exif(sub={0x9003: "2022:12:31 23:59:59", 0x9291: "25"}))

    assert moment == datetime(2022, 12, 31, 23, 59, 59, 250000)
    assert moment.tzinfo is None


@pytest.mark.parametrize(
    ("ifd0", "sub", "expected"),
    [
        ({0x0132: "2020:01:01 10:00:00"}, {0x9004: "2019:06:01 08:00:00"}, datetime(2019, 6, 1, 8)),
        ({0x0132: "2020:01:01 10:00:00"}, {}, datetime(2020, 1, 1, 10)),
        ({}, {0x9003: "    :  :     :  :  "}, None),
        ({}, {0x9003: "0000:00:00 00:00:00"}, None),
        ({}, {0x9003: "yesterday"}, None),
    ],
)
def test_it_falls_back_through_the_exif_dates_and_ignores_blank_ones(
    ifd0: dict[int, object], sub: dict[int, object], expected: datetime | None
) -> None:
    assert taken_at(_exif(ifd0, sub)) == expected


def _gps(lat: object, lat_ref: str, lon: object, lon_ref: str) -> Image.Exif:
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: lat_ref, 2: lat, 3: lon_ref, 4: lon})
    return exif


def _dms(*values: float) -> tuple[TiffImagePlugin.IFDRational, ...]:
    return tuple(TiffImagePlugin.IFDRational(round(v * 100), 100) for v in values)


def test_it_signs_southern_and_western_coordinates() -> None:
    position = gps_position(_gps(_dms(33, 52, 4), "S", _dms(151, 12, 36), "E"))

    assert position == pytest.approx((-33.867778, 151.21), abs=1e-5)


@pytest.mark.parametrize(
    "exif",
    [
        _gps(_dms(0, 0, 0), "N", _dms(0, 0, 0), "E"),
        _gps(_dms(91, 0, 0), "N", _dms(10, 0, 0), "E"),
        _gps((TiffImagePlugin.IFDRational(1, 0),) * 3, "N", _dms(10, 0, 0), "E"),
        _gps("garbage", "N", _dms(10, 0, 0), "E"),
        Image.Exif(),
    ],
    ids=["zeros", "out-of-range", "zero-denominator", "not-rationals", "absent"],
)
def test_it_rejects_missing_or_implausible_gps(exif: Image.Exif) -> None:
    assert gps_position(exif) is None


@pytest.mark.parametrize(
    ("make", "model", "expected"),
    [
        ("Apple", "iPhone 13", "Apple iPhone 13"),
        ("Apple\x00\x00", "Apple iPhone 13\x00", "Apple iPhone 13"),
        ("NIKON CORPORATION", "NIKON D750", "NIKON D750"),
        ("Canon", "Canon EOS R5", "Canon EOS R5"),
        ("samsung", "SM-G991B", "samsung SM-G991B"),
        ("FUJIFILM", None, "FUJIFILM"),
        (None, None, None),
        (b"Leica\x00", "M11", "Leica M11"),
    ],
)
def test_it_names_the_camera_without_repeating_the_make(
    make: object, model: object, expected: str | None
) -> None:
    exif = Image.Exif()
    if make is not None:
        exif[0x010F] = make
    if model is not None:
        exif[0x0110] = model

    assert camera_name(exif) == expected


def test_it_keeps_a_photo_whose_exif_is_garbage(tmp_path: Path) -> None:
    path = ps.save(tmp_path, "odd.jpg", ps.pattern(), "JPEG", exif=b"Exif\x00\x00MM\x00*garbage")

    info = inspect_photo(path)

    assert (info.taken_at, info.gps, info.camera, info.orientation) == (None, None, None, 1)
