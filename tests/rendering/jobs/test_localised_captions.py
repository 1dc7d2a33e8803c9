"""Web and API renders write dates and places in the project's language: the spec carries
them as text ("Lisbonne, Portugal · juin 2024") and the worker renders in that language."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from accounts.models import User
from projects.models import Photo, VideoProject
from projects.services import project_create
from rendering.pipeline.ass import build_ass
from rendering.services import video_render, video_request_render
from tests.projects.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

LISBON = (38.72, -9.14)
JUNE_2024 = datetime(2024, 6, 15, 18, 30)
AUGUST_2024 = datetime(2024, 8, 2, 10, 0)


def cues(kind: str, document: str) -> list[str]:
    line = rf"^Dialogue: 0,[^,]*,[^,]*,{kind},,0,0,0,,(?:\{{[^}}]*\}})*(.*)$"
    return re.findall(line, document, re.M)


@pytest.fixture(autouse=True)
def short_videos(settings: Any) -> None:
    settings.RENDER_SECONDS_PER_PHOTO = 2.5  # a caption needs a second after the transition
    settings.RENDER_TICK = 0.1


@pytest.fixture
def written_ass(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    documents: list[str] = []

    def recording(timeline: Any) -> str:
        documents.append(build_ass(timeline))
        return documents[-1]

    monkeypatch.setattr("rendering.pipeline.render.build_ass", recording)
    return documents


@pytest.fixture
def french_trip(bob: User, media: Any, add_photo: Callable[..., Photo]) -> VideoProject:
    project = project_create(owner=bob, title="Vacances", resolution="720p")
    VideoProject.objects.filter(pk=project.pk).update(language="fr")
    project.refresh_from_db()
    add_photo(project, jpeg_bytes((640, 480), taken=JUNE_2024, gps=LISBON), name="lisbonne.jpg")
    add_photo(
        project,
        jpeg_bytes((640, 480), taken=AUGUST_2024, colour=(60, 140, 200)),
        name="plage.jpg",
    )
    return project


def test_the_spec_has_captions_and_dates_in_the_projects_language(
    bob: User, french_trip: VideoProject
) -> None:
    video, _ = video_request_render(user=bob, project=french_trip)
    spec = video.spec
    assert spec["language"] == "fr"
    assert spec["dates"] == "juin – août 2024"
    assert [p["auto_caption"] for p in spec["photos"]] == [
        "Lisbonne, Portugal · juin 2024",
        "août 2024",
    ]


def test_the_render_shows_them_in_that_language(
    bob: User, french_trip: VideoProject, written_ass: list[str]
) -> None:
    video, _ = video_request_render(user=bob, project=french_trip)
    assert video_render(video_id=video.pk) == "completed"
    [document] = written_ass
    assert cues("caption", document) == ["Lisbonne, Portugal · juin 2024", "août 2024"]
    assert cues("subtitle", document) == ["juin – août 2024"]
    assert cues("end_subtitle", document) == ["juin – août 2024"]


def test_an_english_project_is_as_before(bob: User, french_trip: VideoProject) -> None:
    VideoProject.objects.filter(pk=french_trip.pk).update(language="en")
    french_trip.refresh_from_db()
    video, _ = video_request_render(user=bob, project=french_trip)
    assert video.spec["dates"] == "June – August 2024"
    assert video.spec["photos"][0]["auto_caption"] == "Lisbon, Portugal · June 2024"
