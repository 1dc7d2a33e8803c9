"""Fixtures for projects: photo files built on the fly, bob's project, the S3 bucket's keys."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import Storage
from PIL import Image

from accounts.models import User
from projects.models import Photo, VideoProject
from projects.services import photo_add, project_create
from projects.storage import iter_keys

SAMPLES = Path(__file__).resolve().parents[2] / "rendering" / "samples" / "photos"


def jpeg_bytes(
    size: tuple[int, int] = (800, 600),
    *,
    taken: datetime | None = None,
    gps: tuple[float, float] | None = None,
    colour: tuple[int, int, int] = (200, 120, 60),
    orientation: int | None = None,
) -> bytes:
    """A JPEG with the EXIF a phone writes: capture date, GPS and camera."""
    image = Image.new("RGB", size, colour)
    image.paste((20, 40, 200), (0, 0, size[0] // 2, size[1] // 2))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 15"
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1], gps_ifd[2] = "N" if gps[0] >= 0 else "S", _dms(abs(gps[0]))
        gps_ifd[3], gps_ifd[4] = "E" if gps[1] >= 0 else "W", _dms(abs(gps[1]))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif)
    return buffer.getvalue()


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return Fraction(degrees), Fraction(minutes), Fraction(seconds, 100)


@pytest.fixture
def media(s3_storage: Storage) -> Storage:
    """Project media on the real (moto) S3 endpoint, private, as in production."""
    return s3_storage


@pytest.fixture
def project(bob: User) -> VideoProject:
    return project_create(owner=bob, title="Summer in Lisbon")


@pytest.fixture
def keys_of() -> Callable[[User], list[str]]:
    """Every stored object under a user's prefix."""
    return lambda user: sorted(iter_keys(f"{user.public_id}/"))


@pytest.fixture
def add_photo(tmp_path: Path) -> Callable[..., Photo]:
    """Add a photo to a project through the real ingest service."""
    counter = iter(range(10_000))

    def add(project: VideoProject, data: bytes | None = None, **kwargs: Any) -> Photo:
        data = jpeg_bytes() if data is None else data
        path = tmp_path / f"upload-{next(counter)}"
        path.write_bytes(data)
        name = kwargs.pop("name", "IMG_0001.JPG")
        return photo_add(project=project, path=path, name=name, size=len(data), **kwargs)

    return add


@pytest.fixture
def bob_client(client: Any, bob: User) -> Any:
    """The web session of bob (the API accepts it, as the web editor uses it)."""
    client.force_login(bob)
    return client


@pytest.fixture
def bob_token(client: Any, bob: User, password: str) -> str:
    """A mobile session token for bob, from allauth headless login."""
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": bob.email, "password": password},
        content_type="application/json",
    )
    return str(response.json()["meta"]["session_token"])


def api_url(project: VideoProject, tail: str = "") -> str:
    return f"/api/v1/projects/{project.public_id}/{tail}"


def wav_bytes(seconds: float = 1.0, rate: int = 22050) -> bytes:
    """A short 440 Hz tone as a WAV file."""
    import math
    import struct
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        frames = (
            int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate))
        )
        wav.writeframes(b"".join(struct.pack("<h", f) for f in frames))
    return buffer.getvalue()
