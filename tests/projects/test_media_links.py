"""Every media link the API hands a mobile app opens in that app: no cookies, on the embedded
filesystem storage (the default here), for a short time, and for that one file only."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from asgiref.sync import async_to_sync
from django.core import signing
from django.test import AsyncClient, Client
from django.urls import reverse

from accounts.models import User
from projects.models import Photo, VideoProject
from projects.services import project_create
from projects.signed_media import sign
from projects.storage import put
from rendering.models import GeneratedVideo, VideoStatus
from tests.projects.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)  # the progress stream LISTENs on its own

MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4  # a stand-in: nothing decodes it here


@pytest.fixture
def bobs_media(
    bob: User, add_photo: Callable[..., Photo]
) -> tuple[VideoProject, Photo, GeneratedVideo]:
    project = project_create(owner=bob, title="Bob in Porto")
    photo = add_photo(project)
    return project, photo, finished_video(project)


def finished_video(project: VideoProject) -> GeneratedVideo:
    video = GeneratedVideo.objects.create(
        project=project,
        owner=project.owner,
        status=VideoStatus.COMPLETED,
        progress=100,
        duration=3.0,
    )
    base = f"{project.owner.public_id}/projects/{project.public_id}/videos/{video.public_id}"
    video.output_key = put(f"{base}.mp4", MP4)
    video.poster_key = put(f"{base}.jpg", jpeg_bytes((320, 180)))
    video.save(update_fields=["output_key", "poster_key"])
    return video


def api_get(token: str, name: str, **kwargs: Any) -> dict[str, Any]:
    response = Client().get(reverse(name, kwargs=kwargs), headers={"X-Session-Token": token})
    assert response.status_code == 200, response.content[:300]
    return dict(response.json())


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def media_links(
    token: str, project: VideoProject, video: GeneratedVideo
) -> dict[str, tuple[str, str]]:
    """field → (absolute URL, the content type it must open as), as the app receives them."""
    ids = {"project_id": project.public_id}
    photo = api_get(token, "api-photo-list", **ids)["results"][0]
    cover = api_get(token, "api-project-detail", **ids)["cover_url"]
    film = api_get(token, "api-video-detail", **ids, video_id=video.public_id)
    return {
        "thumbnail_url": (photo["thumbnail_url"], "image/jpeg"),
        "image_url": (photo["image_url"], "image/jpeg"),
        "cover_url": (cover, "image/jpeg"),
        "video_url": (film["video_url"], "video/mp4"),
        "download_url": (film["download_url"], "video/mp4"),
        "poster_url": (film["poster_url"], "image/jpeg"),
    }


def test_every_media_link_the_api_returns_opens_without_cookies(
    bobs_media: tuple[VideoProject, Photo, GeneratedVideo], bob_token: str
) -> None:
    project, _photo, video = bobs_media

    links = media_links(bob_token, project, video)

    for field, (url, content_type) in links.items():
        assert url.startswith("http://testserver/"), (field, url)
        response = Client().get(url)  # a fresh client: no session cookie, no token
        assert response.status_code == 200, (field, response.status_code)
        assert response["Content-Type"] == content_type, field
        assert response["Cache-Control"].startswith("private"), field
        assert len(body(response)) > 0, field
    download = Client().get(links["download_url"][0])
    assert download["Content-Disposition"].startswith('attachment; filename="bob-in-porto.mp4"')
    assert body(download) == MP4


def test_a_link_opens_its_one_file_and_nothing_else(
    bobs_media: tuple[VideoProject, Photo, GeneratedVideo], bob_token: str
) -> None:
    project, photo, video = bobs_media
    links = media_links(bob_token, project, video)
    thumb = Client().get(links["thumbnail_url"][0])
    image = Client().get(links["image_url"][0])
    # Two kinds of one photo: each link gives its own file.
    assert body(thumb) != body(image)
    token = urlsplit(links["thumbnail_url"][0]).path.rsplit("/", 1)[-1]

    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    # The same payload re-signed without our salt, naming the video instead of the thumbnail.
    forged = signing.dumps([video.output_key, "video/mp4", "x.mp4", True], compress=True)
    for bad in (tampered, forged, "nonsense"):
        response = Client().get(reverse("media-signed", kwargs={"token": bad}))
        assert response.status_code == 404, bad


def test_links_stop_working_once_they_expire(
    bobs_media: tuple[VideoProject, Photo, GeneratedVideo], bob_token: str, settings: Any
) -> None:
    settings.PROJECTS_SIGNED_URL_SECONDS = 3
    settings.RENDER_EVENTS_URL_SECONDS = 3
    project, _photo, video = bobs_media
    links = media_links(bob_token, project, video)
    events_url = api_get(
        bob_token, "api-video-detail", project_id=project.public_id, video_id=video.public_id
    )["events_url"]
    assert Client().get(links["video_url"][0]).status_code == 200

    time.sleep(4)

    for field, (url, _type) in links.items():
        response = Client().get(url)
        assert response.status_code == 410, field
        assert b"expired" in response.content
    assert async_to_sync(AsyncClient().get)(events_url).status_code == 403


# --- the progress stream --------------------------------------------------------------------


async def first_event(url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    response: Any = await AsyncClient().get(url, headers=headers or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/event-stream"
    async for chunk in response.streaming_content:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        if text.startswith("data: "):
            return dict(json.loads(text.removeprefix("data: ")))
    raise AssertionError("the stream closed without an event")


def test_the_events_url_streams_progress_without_cookies_or_headers(
    bobs_media: tuple[VideoProject, Photo, GeneratedVideo], bob_token: str
) -> None:
    project, _photo, video = bobs_media
    body = api_get(
        bob_token, "api-video-detail", project_id=project.public_id, video_id=video.public_id
    )
    url = body["events_url"]
    assert url.startswith("http://testserver/")

    event = async_to_sync(first_event)(url)

    assert event["video"] == str(video.public_id) and event["status"] == "completed"


def test_the_stream_takes_a_session_token_header(
    bobs_media: tuple[VideoProject, Photo, GeneratedVideo], bob_token: str
) -> None:
    project, _photo, video = bobs_media
    url = reverse(
        "video-events", kwargs={"project_id": project.public_id, "video_id": video.public_id}
    )

    event = async_to_sync(first_event)(url, {"X-Session-Token": bob_token})

    assert event["status"] == "completed"


def test_the_stream_refuses_bad_tokens_and_signatures_instead_of_redirecting(
    bobs_media: tuple[VideoProject, Photo, GeneratedVideo], bob_token: str
) -> None:
    project, _photo, video = bobs_media
    other = finished_video(project)
    ids = {"project_id": project.public_id, "video_id": video.public_id}
    path = reverse("video-events", kwargs=ids)
    signed = api_get(bob_token, "api-video-detail", **ids)["events_url"]
    signature = parse_qs(urlsplit(signed).query)["signature"][0]
    other_path = reverse(
        "video-events", kwargs={"project_id": project.public_id, "video_id": other.public_id}
    )
    media_token = sign(key=video.output_key, content_type="video/mp4", filename="a", inline=True)
    get = async_to_sync(AsyncClient().get)

    invalid_token = get(path, headers={"X-Session-Token": "not-a-session"})
    assert invalid_token.status_code == 401
    assert invalid_token["WWW-Authenticate"] == "X-Session-Token"
    for bad in (signature[:-2] + "xx", media_token, "nonsense"):
        assert get(f"{path}?{urlencode({'signature': bad})}").status_code == 403, bad
    # A signature made for one video opens no other.
    assert get(f"{other_path}?{urlencode({'signature': signature})}").status_code == 403
    # A browser with no session at all still goes to the sign-in page.
    anonymous = get(path)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_charlies_token_does_not_open_bobs_stream(
    bobs_media: tuple[VideoProject, Photo, GeneratedVideo], charlie: User, password: str
) -> None:
    project, _photo, video = bobs_media
    login = Client().post(
        "/_allauth/app/v1/auth/login",
        {"email": charlie.email, "password": password},
        content_type="application/json",
    )
    token = login.json()["meta"]["session_token"]
    url = reverse(
        "video-events", kwargs={"project_id": project.public_id, "video_id": video.public_id}
    )
    response = async_to_sync(AsyncClient().get)(url, headers={"X-Session-Token": token})
    assert response.status_code == 404
