"""EXIF facts a memory video uses: when, where and with what a photo was taken.

EXIF in the wild is messy (NUL padding, blank dates, zero GPS, bytes where text belongs), so every
reader here returns ``None`` rather than raise: missing metadata never makes a photo unusable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from PIL import Image

_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_MAKE, _MODEL, _DATETIME = 0x010F, 0x0110, 0x0132
_DATETIME_ORIGINAL, _DATETIME_DIGITIZED = 0x9003, 0x9004
_OFFSET_TIME, _OFFSET_ORIGINAL, _OFFSET_DIGITIZED = 0x9010, 0x9011, 0x9012
_SUBSEC, _SUBSEC_ORIGINAL, _SUBSEC_DIGITIZED = 0x9290, 0x9291, 0x9292
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4

_EXIF_DATETIME = re.compile(r"(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Metadata:
    """What EXIF told us; every field may be missing."""

    taken_at: datetime | None
    gps: tuple[float, float] | None
    camera: str | None


def read_metadata(exif: Image.Exif) -> Metadata:
    """Capture time, GPS position and camera name from ``exif``; never raises."""
    return Metadata(
        taken_at=_safely(taken_at, exif),
        gps=_safely(gps_position, exif),
        camera=_safely(camera_name, exif),
    )


def taken_at(exif: Image.Exif) -> datetime | None:
    """DateTimeOriginal, else DateTimeDigitized, else DateTime; aware when EXIF has the offset."""
    sub = exif.get_ifd(_EXIF_IFD)
    candidates = (
        (sub.get(_DATETIME_ORIGINAL), sub.get(_OFFSET_ORIGINAL), sub.get(_SUBSEC_ORIGINAL)),
        (sub.get(_DATETIME_DIGITIZED), sub.get(_OFFSET_DIGITIZED), sub.get(_SUBSEC_DIGITIZED)),
        (exif.get(_DATETIME), sub.get(_OFFSET_TIME), sub.get(_SUBSEC)),
    )
    for value, offset, subsec in candidates:
        moment = _parse_datetime(_text(value))
        if moment is not None:
            moment = moment.replace(microsecond=_microseconds(_text(subsec)))
            tz = _parse_offset(_text(offset))
            return moment.replace(tzinfo=tz) if tz else moment
    return None


def gps_position(exif: Image.Exif) -> tuple[float, float] | None:
    """(latitude, longitude) in signed decimal degrees, or None when absent or implausible."""
    gps = exif.get_ifd(_GPS_IFD)
    lat = _degrees(gps.get(_GPS_LAT), _text(gps.get(_GPS_LAT_REF)), negative="S")
    lon = _degrees(gps.get(_GPS_LON), _text(gps.get(_GPS_LON_REF)), negative="W")
    if lat is None or lon is None:
        return None
    if abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):
        return None  # (0, 0) is what a phone writes before it has a fix
    return round(lat, 7), round(lon, 7)


def camera_name(exif: Image.Exif) -> str | None:
    """ "Apple iPhone 13" style: make and model, without repeating the make."""
    make, model = _text(exif.get(_MAKE)), _text(exif.get(_MODEL))
    if not model:
        return make or None
    if not make:
        return model
    brand = make.split()[0].lower()
    if model.lower().startswith(brand):
        return model  # "NIKON CORPORATION" + "NIKON D750" → "NIKON D750"
    return f"{make} {model}"


def _safely(reader: Callable[[Image.Exif], _T | None], exif: Image.Exif) -> _T | None:
    try:
        return reader(exif)
    except Exception:  # noqa: BLE001 - metadata is best-effort by design
        return None


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    printable = "".join(ch for ch in value.replace("\x00", " ") if ch.isprintable())
    return " ".join(printable.split())


def _parse_datetime(value: str) -> datetime | None:
    match = _EXIF_DATETIME.match(value)
    if not match:
        return None  # includes the blank "    :  :     :  :  " some cameras write
    try:
        return datetime(*(int(part) for part in match.groups()))  # type: ignore[arg-type]
    except ValueError:
        return None  # "0000:00:00 00:00:00" and other impossible dates


def _parse_offset(value: str) -> timezone | None:
    match = _OFFSET.fullmatch(value)
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14):
        return None
    return timezone(-delta if sign == "-" else delta)


def _microseconds(subsec: str) -> int:
    digits = subsec.strip()[:6]
    return int(digits.ljust(6, "0")) if digits.isdigit() else 0


def _degrees(value: object, ref: str, *, negative: str) -> float | None:
    if not isinstance(value, tuple) or not 1 <= len(value) <= 3:
        return None
    try:
        parts = [float(part) for part in value]
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None  # a zero denominator is how some writers say "unknown"
    if not all(math.isfinite(part) and part >= 0 for part in parts):
        return None
    parts += [0.0] * (3 - len(parts))
    degrees = parts[0] + parts[1] / 60 + parts[2] / 3600
    return -degrees if ref.upper().startswith(negative) else degrees
