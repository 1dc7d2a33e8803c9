"""Captions from the photos themselves (place and month, offline) in web and API renders: the
working copies carry no EXIF, so they come from the Photo rows, as text, never as coordinates."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from accounts.models import User
from projects import storage
from projects.models import Photo, VideoProject
from projects.services import project_create
from rendering.models import VideoStatus
from rendering.pipeline.ass import build_ass
from rendering.pipeline.captions import auto_caption
from rendering.pipeline.photos import inspect_photo
from rendering.services import video_render, video_request_render
from tests.projects.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

LISBON = (38.72, -9.14)
PARIS = (48.85, 2.35)
JUNE_2024 = datetime(2024, 6, 15, 18, 30)
DIALOGUE = re.compile(r"^Dialogue: 0,[^,]*,[^,]*,caption,,0,0,0,,(?:\{[^}]*\})*(.*)$", re.M)
SUBTITLE = re.compile(r"^Dialogue: 0,[^,]*,[^,]*,subtitle,,0,0,0,,(?:\{[^}]*\})*(.*)$", re.M)
END_SUBTITLE = re.compile(
    r"^Dialogue: 0,[^,]*,[^,]*,end_subtitle,,0,0,0,,(?:\{[^}]*\})*(.*)$", re.M
)


@pytest.fixture(autouse=True)
def short_videos(settings: Any) -> None:
    settings.RENDER_SECONDS_PER_PHOTO = 2.5  # a caption needs a second after the transition
    settings.RENDER_TICK = 0.1


@pytest.fixture
def written_ass(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The subtitle documents the renders burn into their videos."""
    documents: list[str] = []

    def recording(timeline: Any) -> str:
        document = build_ass(timeline)
        documents.append(document)
        return document

    monkeypatch.setattr("rendering.pipeline.render.build_ass", recording)
    return documents


@pytest.fixture
def trip(bob: User, media: Any, add_photo: Callable[..., Photo], tmp_path: Path) -> VideoProject:
    """Lisbon in June 2024 (no caption of bob's), Paris with bob's caption, one photo with no
    date or place. The originals are kept in tmp_path for the CLI's own reading."""
    project = project_create(owner=bob, title="Summer trip", resolution="720p")
    files = [
        ("lisbon.jpg", jpeg_bytes((640, 480), taken=JUNE_2024, gps=LISBON), ""),
        (
            "paris.jpg",
            jpeg_bytes((640, 480), taken=JUNE_2024, gps=PARIS, colour=(60, 140, 200)),
            "Grandma's birthday",
        ),
        ("scan.jpg", jpeg_bytes((640, 480), colour=(90, 180, 90)), ""),
    ]
    for name, data, caption in files:
        (tmp_path / name).write_bytes(data)
        photo = add_photo(project, data, name=name)
        if caption:
            Photo.objects.filter(pk=photo.pk).update(caption=caption)
    return project


def test_a_web_or_api_render_captions_photos_with_their_place_and_month(
    bob: User, trip: VideoProject, written_ass: list[str], client: Any, tmp_path: Path
) -> None:
    lisbon = trip.photos.get(original_name="lisbon.jpg")
    assert (lisbon.taken_at, lisbon.gps_lat) != (None, None)  # the upload kept date and GPS

    video, _ = video_request_render(user=bob, project=trip)
    assert video_render(video_id=video.pk) == "completed"

    [document] = written_ass
    # In photo order: Lisbon's own place and month, bob's caption over Paris's, nothing for the
    # scan (a caption for it would be a third line).
    assert DIALOGUE.findall(document) == ["Lisbon, Portugal · June 2024", "Grandma's birthday"]
    # The title and end cards say when, from the rows' dates (the working copies have none).
    assert SUBTITLE.findall(document) == ["June 2024"]
    assert END_SUBTITLE.findall(document) == ["June 2024"]
    # The very text `render_memory --captions auto` makes from the original file.
    original = inspect_photo(tmp_path / "lisbon.jpg")
    assert auto_caption(original.taken_at, original.gps) == "Lisbon, Portugal · June 2024"

    video.refresh_from_db()
    assert video.status == VideoStatus.COMPLETED and video.photo_count == 3
    storage.download_to(video.output_key, tmp_path / "memory.mp4")
    assert (tmp_path / "memory.mp4").stat().st_size > 10_000

    # Staff read the spec in the admin and clients read the API: text, never coordinates.
    client.force_login(bob)
    base = f"/api/v1/projects/{trip.public_id}/"
    readable = [
        json.dumps(video.spec, ensure_ascii=False),
        client.get(f"{base}videos/{video.public_id}/").content.decode(),
        client.get(f"{base}videos/").content.decode(),
        client.get(f"{base}photos/").content.decode(),
    ]
    for text in readable:
        assert "38.7" not in text and "-9.1" not in text and "48.8" not in text
        assert "gps" not in text.lower()
    assert "Lisbon, Portugal · June 2024" in readable[0]


def test_the_spec_keeps_the_users_caption_and_derives_one_only_where_there_is_none(
    bob: User, trip: VideoProject
) -> None:
    scan = Photo.objects.filter(project=trip, original_name="scan.jpg")
    scan.update(taken_at=JUNE_2024.replace(tzinfo=UTC))  # as uploads store an EXIF date
    video, _ = video_request_render(user=bob, project=trip)
    photos = {p["name"]: (p["caption"], p["auto_caption"]) for p in video.spec["photos"]}
    assert photos == {
        "lisbon.jpg": ("", "Lisbon, Portugal · June 2024"),
        "paris.jpg": ("Grandma's birthday", ""),
        "scan.jpg": ("", "June 2024"),  # a date without a place still says when
    }
