"""A finished video plays in iOS AVPlayer and Safari: byte ranges (206), HEAD and 416, on the
filesystem storage (the embedded default) by the API's signed link and by the owner's web page;
on S3 the presigned link does ranges itself."""

from __future__ import annotations

import random
import urllib.request
from typing import Any

import pytest
from django.core.files.storage import Storage
from django.test import Client
from django.urls import reverse

from accounts.models import User
from projects.models import VideoProject
from projects.services import project_create
from projects.storage import put
from rendering.media import video_url
from rendering.models import GeneratedVideo, VideoStatus

pytestmark = pytest.mark.django_db

SIZE = 5000
DATA = random.Random(7).randbytes(SIZE)  # every offset distinct enough to catch a wrong slice


def finished_video(owner: User) -> GeneratedVideo:
    project: VideoProject = project_create(owner=owner, title="Ranges")
    video = GeneratedVideo.objects.create(
        project=project, owner=owner, status=VideoStatus.COMPLETED, progress=100, duration=3.0
    )
    key = f"{owner.public_id}/projects/{project.public_id}/videos/{video.public_id}.mp4"
    video.output_key = put(key, DATA)
    video.save(update_fields=["output_key"])
    return video


@pytest.fixture
def signed_link(bob: User) -> str:
    """The API's link to the video (no cookies needed)."""
    return str(video_url(None, finished_video(bob), "mp4"))


def get(url: str, **headers: str) -> Any:
    return Client().get(url, headers=headers)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_first_range_gets_206_with_exactly_those_bytes(signed_link: str) -> None:
    response = get(signed_link, Range="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{SIZE}"
    assert response["Content-Length"] == "100"
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response.streaming  # streamed from the file, not loaded into memory first
    assert body(response) == DATA[:100]


def test_a_suffix_range_gets_the_last_bytes(signed_link: str) -> None:
    response = get(signed_link, Range="bytes=-100")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {SIZE - 100}-{SIZE - 1}/{SIZE}"
    assert body(response) == DATA[-100:]


def test_an_open_range_and_one_past_the_end_are_cut_to_the_file(signed_link: str) -> None:
    tail = get(signed_link, Range="bytes=4000-")
    assert (tail.status_code, body(tail)) == (206, DATA[4000:])
    beyond = get(signed_link, Range=f"bytes=4990-{SIZE * 2}")
    assert beyond["Content-Range"] == f"bytes 4990-{SIZE - 1}/{SIZE}"
    assert body(beyond) == DATA[4990:]
    middle = get(signed_link, Range="bytes=1234-1300")
    assert body(middle) == DATA[1234:1301]


def test_a_range_past_the_end_is_416_with_the_size(signed_link: str) -> None:
    response = get(signed_link, Range=f"bytes={SIZE}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize(
    "header", ["bytes=0-9,20-29", "bytes=9-2", "bytes=abc", "lines=0-9", "bytes=-", "bytes=0-99"]
)
def test_a_range_it_cannot_serve_gets_the_whole_file(signed_link: str, header: str) -> None:
    # Several ranges, malformed ones or another unit: RFC 9110 lets a server send everything.
    # An If-Range (we send no validators, so it cannot match) asks for the whole file too.
    extra = {"If-Range": '"some-etag"'} if header == "bytes=0-99" else {}
    response = get(signed_link, Range=header, **extra)
    assert response.status_code == 200
    assert response["Content-Length"] == str(SIZE)
    assert body(response) == DATA


def test_a_plain_get_says_ranges_are_accepted(signed_link: str) -> None:
    response = get(signed_link)
    assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
    assert body(response) == DATA


def test_head_gives_the_headers_and_no_body(signed_link: str) -> None:
    response = Client().head(signed_link)
    assert response.status_code == 200
    assert response["Content-Length"] == str(SIZE)
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response.content == b""


def test_the_owners_web_page_link_plays_ranges_too(bob: User) -> None:
    video = finished_video(bob)
    client = Client()
    client.force_login(bob)
    url = reverse(
        "video-file",
        kwargs={"project_id": video.project.public_id, "video_id": video.public_id, "kind": "mp4"},
    )
    ranged = client.get(url, headers={"Range": "bytes=10-19"})
    assert ranged.status_code == 206 and body(ranged) == DATA[10:20]
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Length"] == str(SIZE)


def test_on_s3_the_presigned_video_link_answers_ranges(s3_storage: Storage, bob: User) -> None:
    url = str(video_url(None, finished_video(bob), "mp4"))
    assert "X-Amz-Signature=" in url
    request = urllib.request.Request(url, headers={"Range": "bytes=0-99"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback moto
        assert response.status == 206
        assert response.headers["Content-Range"] == f"bytes 0-99/{SIZE}"
        assert response.read() == DATA[:100]
