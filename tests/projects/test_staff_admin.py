"""Staff answer a support ticket from the admin: bob's plan and usage, his project's photos and
his video, playable, with the spec it was made with. Media on the real (moto) S3 endpoint."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import pytest
import requests
from django.core.files.storage import Storage
from django.test import Client
from django.utils import timezone

from accounts.models import User
from billing.models import ComplimentaryPlan
from projects import storage
from projects.models import Photo, VideoProject
from rendering.models import GeneratedVideo, VideoStatus
from tests.projects.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db
FAR_FUTURE = datetime(2099, 12, 31, tzinfo=UTC)

SPEC = {"style": "cinematic", "aspect": "16:9", "music": {"track": "default", "volume": 0.8}}


def tiny_mp4(folder: Path) -> bytes:
    """Half a second of FFmpeg's test pattern, H.264 in MP4: a file a browser can play."""
    out = folder / "tiny.mp4"
    subprocess.run(  # noqa: S603 - fixed argv
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-nostdin",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x90:rate=10:duration=0.5",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
            str(out),
        ],
        check=True,
        timeout=60,
    )
    return out.read_bytes()


@pytest.fixture
def bobs_video(
    media: Storage, project: VideoProject, add_photo: Callable[..., Photo], tmp_path: Path
) -> GeneratedVideo:
    add_photo(project, jpeg_bytes(colour=(200, 60, 60)), name="beach.jpg")
    add_photo(project, jpeg_bytes(colour=(60, 60, 200)), name="tram.jpg")
    prefix = storage.project_prefix(project.owner.public_id, project.public_id)
    return GeneratedVideo.objects.create(
        project=project,
        owner=project.owner,
        status=VideoStatus.COMPLETED,
        progress=100,
        spec=SPEC,
        output_key=storage.put(f"{prefix}videos/memory.mp4", tiny_mp4(tmp_path)),
        poster_key=storage.put(f"{prefix}videos/memory.jpg", jpeg_bytes((160, 90))),
        duration=0.5,
        width=160,
        height=90,
        size_bytes=1000,
        photo_count=2,
        finished_at=timezone.now(),
    )


def staff(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


def srcs(page: str, tag: str, css: str) -> list[str]:
    pattern = rf'<{tag} class="{css}"[^>]* src="([^"]+)"'
    return [html.unescape(src) for src in re.findall(pattern, page)]


def fetch(url: str) -> requests.Response:
    return requests.get(url, timeout=10)


def test_staff_see_a_customers_plan_usage_projects_and_videos(
    alice: User, bob: User, bobs_video: GeneratedVideo
) -> None:
    ComplimentaryPlan.objects.create(user=bob, plan="plus", until=FAR_FUTURE)

    page = staff(alice).get(f"/admin/accounts/user/{bob.pk}/change/").content.decode()

    assert "plus (complimentary until 2099-" in page
    assert "Renders this month</dt><dd>1 of 20</dd>" in page
    assert "1 project, 2 photos, 1 video" in page
    assert f"/admin/projects/videoproject/{bobs_video.project.pk}/change/" in page
    assert ">Summer in Lisbon</a>" in page
    assert f"/admin/rendering/generatedvideo/{bobs_video.pk}/change/" in page
    [poster] = srcs(page, "img", "staff-thumb small")
    assert fetch(poster).headers["Content-Type"] == "image/jpeg"


def test_staff_see_a_projects_photos_and_play_its_video(
    alice: User, bobs_video: GeneratedVideo
) -> None:
    project = bobs_video.project
    page = staff(alice).get(f"/admin/projects/videoproject/{project.pk}/change/").content.decode()

    assert "beach.jpg" in page and "tram.jpg" in page
    thumbs = srcs(page, "img", "staff-thumb")
    assert len(thumbs) == 2
    for thumb in thumbs:
        response = fetch(thumb)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/jpeg"
    [player] = srcs(page, "video", "staff-player small")
    response = fetch(player)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "video/mp4"
    assert response.content[4:8] == b"ftyp"
    assert 'name="_save"' not in page  # read-only: changes go through the owner's editor


def test_staff_watch_a_video_and_read_its_spec(alice: User, bobs_video: GeneratedVideo) -> None:
    page = staff(alice).get(f"/admin/rendering/generatedvideo/{bobs_video.pk}/change/")
    text = page.content.decode()

    [player] = srcs(text, "video", "staff-player")
    assert fetch(player).headers["Content-Type"] == "video/mp4"
    poster = html.unescape(re.search(r'poster="([^"]+)"', text).group(1))  # type: ignore[union-attr]
    assert fetch(poster).headers["Content-Type"] == "image/jpeg"
    download = html.unescape(re.search(r'<a href="([^"]+)">Download MP4', text).group(1))  # type: ignore[union-attr]
    assert "attachment" in fetch(download).headers["Content-Disposition"]
    # The spec indented and readable, not one long line of JSON.
    assert '<pre class="staff-json">{\n  &quot;aspect&quot;: &quot;16:9&quot;,\n' in text
    assert "    &quot;volume&quot;: 0.8\n" in text


def test_staff_open_a_photos_page_with_its_metadata(
    alice: User, bobs_video: GeneratedVideo
) -> None:
    photo = bobs_video.project.photos.get(original_name="beach.jpg")
    page = staff(alice).get(f"/admin/projects/photo/{photo.pk}/change/").content.decode()

    [image] = srcs(page, "img", "staff-photo")
    assert fetch(image).headers["Content-Type"] == "image/jpeg"
    assert "Apple iPhone 15" in page or "iPhone 15" in page
    assert "800" in page and "600" in page


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/user/{bob}/change/",
        "/admin/projects/videoproject/{project}/change/",
        "/admin/rendering/generatedvideo/{video}/change/",
    ],
)
def test_customers_get_no_admin_even_for_their_own_things(
    client: Client, bob: User, bobs_video: GeneratedVideo, path: str
) -> None:
    client.force_login(bob)
    url = path.format(bob=bob.pk, project=bobs_video.project.pk, video=bobs_video.pk)
    response = client.get(url, follow=True)
    assert response.status_code == 403
    assert b"Summer in Lisbon" not in response.content


def test_stripes_models_are_folded_into_one_entry_at_the_end(alice: User) -> None:
    client = staff(alice)
    index = client.get("/admin/").content.decode()

    assert "/admin/djstripe/customer/" not in index
    assert "/admin/djstripe/subscription/" not in index
    assert "Stripe (dj-stripe)" in index
    assert index.index("Stripe (dj-stripe)") > index.index("/admin/projects/videoproject/")
    stripe_index = client.get("/admin/djstripe/").content.decode()
    assert "/admin/djstripe/customer/" in stripe_index  # still one click away


def test_the_admin_pages_in_a_browser(
    alice: User,
    password: str,
    bobs_video: GeneratedVideo,
    browser: Any,
    live_server: Any,
) -> None:
    from tests.browser import screenshot

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/?next=/admin/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    screenshot(page, "admin-index")

    page.goto(f"{live_server.url}/admin/accounts/user/")
    screenshot(page, "admin-users")
    page.goto(f"{live_server.url}/admin/accounts/user/{bobs_video.owner.pk}/change/")
    screenshot(page, "admin-user")
    page.goto(f"{live_server.url}/admin/projects/videoproject/{bobs_video.project.pk}/change/")
    page.wait_for_function(
        "[...document.querySelectorAll('img.staff-thumb')].every(i => i.naturalWidth > 0)"
    )
    screenshot(page, "admin-project")
    photo = bobs_video.project.photos.first()
    assert photo is not None
    page.goto(f"{live_server.url}/admin/projects/photo/{photo.pk}/change/")
    page.wait_for_function("document.querySelector('img.staff-photo').naturalWidth > 0")
    screenshot(page, "admin-photo")
    page.goto(f"{live_server.url}/admin/rendering/generatedvideo/{bobs_video.pk}/change/")
    page.wait_for_function("document.querySelector('video.staff-player').readyState >= 1")
    assert page.evaluate("document.querySelector('video.staff-player').duration") > 0.3
    screenshot(page, "admin-video")
