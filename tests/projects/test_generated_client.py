"""A client generated from the live OpenAPI schema does a mobile app's whole round trip: sign in,
create a project, upload photos, render, follow the video, download the MP4 — and reads the
failures as the one typed error body."""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from django.core.files.storage import Storage
from django.db import connection

from accounts.models import User
from projects import storage
from projects.models import Photo
from rendering.models import GeneratedVideo
from rendering.services import video_render
from tests.projects.conftest import jpeg_bytes
from tests.rendering.jobs.conftest import broker, redis_broker  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "photomemory_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# No formatter hooks: the test must not depend on tools on PATH, and the code runs unformatted.
CONFIG = {"package_name_override": PACKAGE, "post_hooks": []}


@pytest.fixture(autouse=True)
def short_videos(settings: Any) -> None:
    settings.RENDER_SECONDS_PER_PHOTO = 1.5
    settings.RENDER_TICK = 0.1


@pytest.fixture
def generated(live_server: Any, tmp_path: Path) -> Iterator[ModuleType]:
    """The client package generated from the schema the live server serves."""
    schema = httpx.get(f"{live_server.url}/api/v1/schema/", params={"format": "json"})
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    (tmp_path / "config.json").write_text(json.dumps(CONFIG))
    result = subprocess.run(  # noqa: S603 - our own venv's generator, fixed arguments
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--config",
            str(tmp_path / "config.json"),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # The generator prints warnings for every part of a schema it could not turn into code.
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def operation(tag: str, operation_id: str) -> Any:
    """The generated module of one operation: ``sync``, ``sync_detailed`` and the async pair."""
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation_id}")


def session_token(base_url: str, user: User, password: str) -> str:
    response = httpx.post(
        f"{base_url}/_allauth/app/v1/auth/login",
        json={"email": user.email, "password": password},
    )
    assert response.status_code == 200
    return str(response.json()["meta"]["session_token"])


def token_client(generated: ModuleType, base_url: str, user: User, password: str) -> Any:
    """The generated client as a mobile app holds it: signed in, the token in X-Session-Token."""
    return generated.AuthenticatedClient(
        base_url=base_url,
        token=session_token(base_url, user, password),
        prefix="",
        auth_header_name="X-Session-Token",
        raise_on_unexpected_status=True,
        timeout=httpx.Timeout(60.0),
    )


def render_in_background(video_id: uuid.UUID) -> threading.Thread:
    """Run the job as a render worker does, while the client polls."""

    def work() -> None:
        try:
            video_render(video_id=GeneratedVideo.objects.get(public_id=video_id).pk)
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


@pytest.fixture(params=["filesystem", "s3"])
def media_backend(request: pytest.FixtureRequest) -> str:
    """Both storages: the media URLs the API hands out must work for a token client on each
    (signed app links on the filesystem, presigned URLs on S3)."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return str(request.param)


def test_a_generated_client_makes_a_video_from_sign_in_to_mp4(
    generated: ModuleType, live_server: Any, media_backend: str, bob: User, password: str
) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    types = importlib.import_module(f"{PACKAGE}.types")
    client = token_client(generated, live_server.url, bob, password)

    user = operation("me", "me_retrieve").sync(client=client)
    assert isinstance(user, models.User) and user.email == bob.email
    assert user.language is models.AppLanguage.EN  # the app's own languages, not a video's

    project = operation("projects", "projects_create").sync(
        client=client,
        body=models.ProjectCreate(
            title="Weekend at the lake",
            style=models.Style.MODERN,
            aspect=models.Aspect.SQUARE,
            resolution=models.Resolution.HD,
        ),
    )
    assert isinstance(project, models.Project)
    assert (project.style, project.aspect, project.resolution) == (
        models.Style.MODERN,
        models.Aspect.SQUARE,
        models.Resolution.HD,
    )
    assert project.status is models.ProjectStatus.DRAFT

    photos = []
    for index, colour in enumerate([(200, 120, 60), (60, 140, 200)]):
        upload = types.File(
            payload=io.BytesIO(jpeg_bytes((640, 480), colour=colour)),
            file_name=f"IMG_{index}.JPG",
            mime_type="image/jpeg",
        )
        photo = operation("projects", "photos_upload").sync(
            project_id=project.id, client=client, body=models.PhotoUpload(file=upload)
        )
        assert isinstance(photo, models.Photo), photo
        assert isinstance(photo.subject_box, models.SubjectBox)
        assert 0 <= photo.subject_box.x <= 1 and 0 < photo.subject_box.w <= 1
        photos.append(photo)

    page = operation("projects", "photos_list").sync(project_id=project.id, client=client, limit=1)
    assert isinstance(page, models.PhotoPage)
    assert page.count == 2 and [p.id for p in page.results] == [photos[0].id]

    queued = operation("projects", "projects_render").sync_detailed(
        project_id=project.id, client=client
    )
    assert queued.status_code == 202
    video = queued.parsed
    assert isinstance(video, models.Video) and video.status is models.VideoStatus.QUEUED
    # The first photo's file is lost before the worker gets to it: the video is made without
    # it, and says so.
    storage.delete_keys([Photo.objects.get(public_id=photos[0].id).storage_key])

    worker = render_in_background(video.id)
    seen = set()
    deadline = time.monotonic() + 120
    while video.status in (models.VideoStatus.QUEUED, models.VideoStatus.PROCESSING):
        assert time.monotonic() < deadline, "the render did not finish in time"
        time.sleep(0.2)
        video = operation("projects", "videos_retrieve").sync(
            project_id=project.id, video_id=video.id, client=client
        )
        assert isinstance(video, models.Video)
        assert isinstance(video.stage, models.VideoStage | models.BlankEnum)
        seen.add(video.status)
    worker.join(timeout=30)
    assert seen <= {models.VideoStatus.PROCESSING, models.VideoStatus.COMPLETED}

    assert video.status is models.VideoStatus.COMPLETED, video.error_message
    assert video.photo_count == 1
    assert [(s.name, s.reason) for s in video.skipped] == [
        ("IMG_0.JPG", "missing from storage; add it again")
    ]
    assert all(isinstance(s, models.SkippedPhoto) for s in video.skipped)
    assert (video.width, video.height) == (720, 720)
    assert isinstance(video.download_url, str)
    mp4 = httpx.get(video.download_url, follow_redirects=True)
    assert mp4.status_code == 200
    assert mp4.content[4:8] == b"ftyp" and len(mp4.content) > 10_000
    assert len(mp4.content) == video.size_bytes
    # A player seeks with ranges (AVPlayer needs them), and the photos' links open too.
    assert isinstance(video.video_url, str) and isinstance(video.poster_url, str)
    head = httpx.get(video.video_url, headers={"Range": "bytes=0-99"}, follow_redirects=True)
    assert head.status_code == 206 and head.content == mp4.content[:100]
    thumb = httpx.get(str(photos[1].thumbnail_url), follow_redirects=True)
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"

    listed = operation("projects", "videos_list").sync(project_id=project.id, client=client)
    assert isinstance(listed, models.VideoPage) and [v.id for v in listed.results] == [video.id]


def test_a_generated_client_reads_failures_as_the_typed_error_body(
    generated: ModuleType, live_server: Any, s3_storage: Storage, bob: User, password: str
) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    client = token_client(generated, live_server.url, bob, password)

    missing = operation("projects", "projects_retrieve").sync_detailed(
        project_id=uuid.uuid4(), client=client
    )
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Error)
    assert missing.parsed.error.code == "not_found" and missing.parsed.error.message

    anonymous = generated.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    refused = operation("projects", "projects_list").sync_detailed(client=anonymous)
    assert refused.status_code == 401
    assert isinstance(refused.parsed, models.Error)

    invalid = operation("projects", "projects_create").sync_detailed(
        client=client, body=models.ProjectCreate(title="")
    )
    assert invalid.status_code == 400
    assert isinstance(invalid.parsed, models.Error)
    assert list(invalid.parsed.error.fields.additional_properties) == ["title"]

    project = operation("projects", "projects_create").sync(
        client=client, body=models.ProjectCreate(title="Empty")
    )
    assert isinstance(project, models.Project)
    empty = operation("projects", "projects_render").sync_detailed(
        project_id=project.id, client=client
    )
    assert empty.status_code == 400
    assert isinstance(empty.parsed, models.Error)
    assert empty.parsed.error.message == "Add at least one photo before making the video."
