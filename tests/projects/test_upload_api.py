"""Uploading photos through the API: good files become photos; bad ones get a clear 4xx and
leave nothing behind — no row, no object in the (real, moto) S3 bucket."""

from __future__ import annotations

import io
import urllib.request
import zlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from projects.models import Photo, VideoProject
from tests.projects.conftest import SAMPLES, api_url, jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def upload(
    client: Any, project: VideoProject, data: bytes, name: str = "IMG_0001.JPG", **extra: Any
) -> Any:
    file = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(api_url(project, "photos/"), {"file": file, **extra}, **{})


def upload_raw(client: Any, project: VideoProject, data: bytes, *, filename: str) -> Any:
    """A multipart body built by hand: Django's test client would strip folders from the name
    before it ever left, as browsers do; hostile clients do not."""
    boundary = "----photomemory-test-boundary"
    quoted = filename.replace("\\", "\\\\").replace('"', '\\"')
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{quoted}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        api_url(project, "photos/"),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def fetch(url: str) -> tuple[bytes, Any]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback moto
        return response.read(), response.headers


def test_it_turns_a_phone_photo_into_a_private_working_copy_and_thumbnail(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
) -> None:
    data = jpeg_bytes((1200, 900), taken=datetime(2025, 8, 1, 18, 30), gps=(38.72, -9.14))
    response = upload(bob_client, project, data, name="IMG_4242.JPG")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["original_name"] == "IMG_4242.JPG"
    assert (body["width"], body["height"]) == (1200, 900)
    assert body["taken_at"].startswith("2025-08-01T18:30")
    assert body["camera"] == "Apple iPhone 15"
    assert "gps" not in str(body).lower() and "38.72" not in str(body)
    photo = Photo.objects.get()
    assert photo.gps_lat == pytest.approx(38.72, abs=0.01)  # kept privately, for place names
    prefix = f"{bob.public_id}/projects/{project.public_id}/photos/{photo.public_id}"
    assert keys_of(bob) == [f"{prefix}.jpg", f"{prefix}_thumb.jpg"]

    image, headers = fetch(body["image_url"])
    assert headers["Content-Type"] == "image/jpeg"
    assert 'inline; filename="IMG_4242.jpg"' in headers["Content-Disposition"]
    with Image.open(io.BytesIO(image)) as working:
        assert working.size == (1200, 900)
        assert not working.getexif()  # no GPS, no EXIF at all in the copy the renderer reads
    thumb, _ = fetch(body["thumbnail_url"])
    with Image.open(io.BytesIO(thumb)) as small:
        assert max(small.size) == 480
    assert "X-Amz-Expires=600" in body["image_url"]


def test_it_stores_portrait_photos_upright(
    media: Storage, bob_client: Any, project: VideoProject
) -> None:
    response = upload(bob_client, project, jpeg_bytes((800, 600), orientation=6))
    assert (response.json()["width"], response.json()["height"]) == (600, 800)


def test_it_keeps_the_original_only_when_asked(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
) -> None:
    data = (SAMPLES / "coffee.jpg").read_bytes()
    response = upload(bob_client, project, data, name="coffee.jpg", keep_original="true")
    assert response.status_code == 201
    assert response.json()["has_original"] is True
    originals = [k for k in keys_of(bob) if "/originals/" in k]
    assert len(originals) == 1
    stored, _ = fetch(media.url(originals[0]))
    assert stored == data  # untouched


def test_it_works_for_mobile_with_the_session_token(
    media: Storage, client: Any, bob_token: str, project: VideoProject
) -> None:
    file = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(
        api_url(project, "photos/"), {"file": file}, headers={"X-Session-Token": bob_token}
    )
    assert response.status_code == 201


def _truncated_jpeg() -> bytes:
    data = jpeg_bytes((1600, 1200))
    return data[: len(data) // 3]


def _bomb_png() -> bytes:
    # A 20000×20000 PNG header (400 MP) whose pixels would take 1.2 GB; the file is tiny.
    import struct

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    ihdr = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


BAD_FILES = {
    "empty": (b"", "photo.jpg", "is empty"),
    "html named .jpg": (b"<!DOCTYPE html><html><body>hi</body></html>", "cat.jpg", "web page"),
    "text named .jpg": (b"just some notes, not a picture\n" * 20, "notes.jpg", "not an image"),
    "svg": (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        "logo.svg",
        "SVG is not a supported photo format",
    ),
    "truncated jpeg": (_truncated_jpeg(), "IMG_9.JPG", "truncated or damaged"),
    "decompression bomb": (_bomb_png(), "huge.png", "400 megapixels, limit is 50 megapixels"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_it_refuses_bad_files_with_a_clear_message_and_leaves_nothing_behind(
    kind: str,
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
) -> None:
    data, name, reason = BAD_FILES[kind]
    response = upload(bob_client, project, data, name=name, keep_original="true")

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "photo_rejected"
    assert reason in error["message"]
    assert not Photo.objects.exists()
    assert keys_of(bob) == []


def test_it_refuses_a_file_over_the_plan_limit_before_reading_it(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
    settings: Any,
) -> None:
    big = jpeg_bytes() + b"\0" * (26 * 1024 * 1024)
    response = upload(bob_client, project, big)
    assert response.status_code == 413
    assert "larger than 25 MB" in response.json()["error"]["message"]
    assert not Photo.objects.exists() and keys_of(bob) == []


def test_it_shortens_a_very_long_file_name_for_display(
    media: Storage, bob_client: Any, project: VideoProject
) -> None:
    response = upload(bob_client, project, jpeg_bytes(), name="a" * 300 + ".jpg")
    assert response.status_code == 201
    name = response.json()["original_name"]
    assert len(name) <= 120 and name.endswith("….jpg")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../etc/x.jpg", "The file name contains a folder path. Send just the file."),
        ("..\\..\\x.jpg", "The file name contains a folder path. Send just the file."),
        ("x\x07.jpg", "The file name contains invisible control characters."),
        ("gpj.\u202eexe.jpg", "The file name contains invisible control characters."),
        ("a" * 300 + ".jpg", "The file name is too long. Rename the file and try again."),
    ],
)
def test_it_refuses_hostile_file_names_and_keeps_nothing(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
    name: str,
    reason: str,
) -> None:
    response = upload_raw(bob_client, project, jpeg_bytes(), filename=name)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == reason
    assert keys_of(bob) == [] and not project.photos.exists()


def test_it_stops_at_the_plans_photo_limit(
    media: Storage,
    bob_client: Any,
    project: VideoProject,
    add_photo: Callable[..., Photo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dataclasses

    from billing import entitlements

    small = dataclasses.replace(entitlements.FREE, max_photos_per_project=2)
    monkeypatch.setattr(entitlements, "FREE", small)
    add_photo(project)
    add_photo(project)
    response = upload(bob_client, project, jpeg_bytes())
    assert response.status_code == 402
    error = response.json()["error"]
    assert "already has 2 photos" in error["message"]
    assert error["limit"] == {
        "name": "max_photos_per_project",
        "current": 2,
        "allowed": 2,
        "upgrade_url": "http://testserver/pricing/",
    }
    assert Photo.objects.count() == 2


def test_it_removes_written_objects_when_the_row_cannot_be_saved(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_create(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(Photo.objects, "create", broken_create)
    with pytest.raises(RuntimeError):
        upload(bob_client, project, jpeg_bytes())
    assert keys_of(bob) == []


def test_it_throttles_bursts_of_uploads(
    media: Storage, bob_client: Any, project: VideoProject, settings: Any
) -> None:
    from rest_framework.throttling import ScopedRateThrottle

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"uploads": "2/min"},
    }
    # THROTTLE_RATES is read once, at import: swap it for this test and put the original back
    # (re-reading api_settings here would pick up the override that is still active).
    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = {"uploads": "2/min"}
    try:
        codes = [upload(bob_client, project, jpeg_bytes()).status_code for _ in range(3)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
    assert codes == [201, 201, 429]


def test_it_bounds_the_working_copy_to_what_the_plan_can_render(
    media: Storage, bob_client: Any, project: VideoProject
) -> None:
    # A 12 MP phone photo: decoded at half scale (JPEG DCT scaling), never at full size.
    response = upload(bob_client, project, jpeg_bytes((4032, 3024)))
    assert (response.json()["width"], response.json()["height"]) == (2016, 1512)
    assert response.json()["size_bytes"] > 0


def test_it_picks_working_sizes_that_avoid_a_full_decode() -> None:
    from projects.ingest import working_size

    assert working_size(4032, 3024, 2048, jpeg=True) == (2016, 1512)
    assert working_size(4032, 3024, 4096, jpeg=True) == (4032, 3024)
    assert working_size(8000, 6000, 4096, jpeg=True) == (4000, 3000)
    assert working_size(6000, 4000, 2048, jpeg=False) == (2048, 1365)
    assert working_size(1000, 800, 2048, jpeg=True) == (1000, 800)


def test_it_accepts_an_iphone_heic_and_keeps_the_original_as_heic(
    media: Storage,
    bob_client: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (1024, 768), (30, 140, 220)).save(buffer, "HEIF", quality=80)
    response = upload(
        bob_client, project, buffer.getvalue(), name="IMG_0042.HEIC", keep_original="true"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["width"], response.json()["height"]) == (1024, 768)
    originals = [k for k in keys_of(bob) if "/originals/" in k]
    assert len(originals) == 1 and originals[0].endswith(".heic")
    image, headers = fetch(response.json()["image_url"])
    assert headers["Content-Type"] == "image/jpeg" and image[:2] == b"\xff\xd8"
