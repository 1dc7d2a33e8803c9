"""The web pages: dashboard with covers, the editor, settings form, delete, the owner-only
file view on the filesystem storage (the embedded default)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from accounts.models import User
from projects.models import Photo, VideoProject

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_starts_a_project_from_the_dashboard(bob_client: Any, bob: User) -> None:
    response = bob_client.post("/projects/new", {"title": "Baby's first year"})
    project = VideoProject.objects.get(owner=bob)
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.public_id}/"
    page = bob_client.get(response["Location"]).content.decode()
    assert "Baby&#x27;s first year" in page
    assert "Drop photos here" in page and "No photos yet" in page


def test_it_shows_projects_with_a_cover_on_the_dashboard(
    bob_client: Any, project: VideoProject, add_photo: Callable[..., Photo]
) -> None:
    photo = add_photo(project)
    html = bob_client.get("/").content.decode()
    assert "Summer in Lisbon" in html and "1 photo" in html
    cover = f"/projects/{project.public_id}/photos/{photo.public_id}/thumb"
    assert cover in html
    # Filesystem storage (the embedded default): streamed after the ownership check.
    response = bob_client.get(cover)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith('inline; filename="IMG_0001-thumbnail.jpg"')
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_it_redirects_to_a_short_lived_signed_link_on_s3(
    media: Any, bob_client: Any, project: VideoProject, add_photo: Callable[..., Photo]
) -> None:
    photo = add_photo(project)
    response = bob_client.get(f"/projects/{project.public_id}/photos/{photo.public_id}/image")
    assert response.status_code == 302
    assert (
        "X-Amz-Signature=" in response["Location"] and "X-Amz-Expires=600" in response["Location"]
    )
    assert "response-content-type=image%2Fjpeg" in response["Location"]


def test_it_saves_the_look_of_the_video(bob_client: Any, project: VideoProject) -> None:
    response = bob_client.post(
        f"/projects/{project.public_id}/settings",
        {
            "title": "Lisbon",
            "style": "cinematic",
            "aspect": "9:16",
            "resolution": "720p",
            "music": "none",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.style, project.aspect, project.resolution, project.music) == (
        "cinematic",
        "9:16",
        "720p",
        "none",
    )
    assert "Saved." in bob_client.get(response["Location"]).content.decode()


def test_it_explains_a_refused_setting_on_the_page(bob_client: Any, project: VideoProject) -> None:
    response = bob_client.post(
        f"/projects/{project.public_id}/settings",
        {"title": "Lisbon", "style": "classic", "aspect": "16:9", "resolution": "2160p"},
    )
    assert response.status_code == 400
    assert "Your plan makes videos up to 1080p." in response.content.decode()
    project.refresh_from_db()
    assert project.resolution == "1080p"


def test_it_shows_a_preview_of_each_style(bob_client: Any, project: VideoProject) -> None:
    html = bob_client.get(f"/projects/{project.public_id}/").content.decode()
    for style in ("classic", "modern", "cinematic", "vintage"):
        assert f"/static/projects/styles/{style}.jpg" in html
        assert finders.find(f"projects/styles/{style}.jpg")
    assert '<script src="/static/projects/editor.js" defer>' in html
    assert "<script>" not in html and "style=" not in html  # CSP: no inline code
    assert "2160p 4K" in html and "not in your plan" in html


def test_it_deletes_a_project_from_the_editor(
    bob_client: Any,
    bob: User,
    project: VideoProject,
    add_photo: Callable[..., Photo],
    keys_of: Callable[[User], list[str]],
) -> None:
    add_photo(project)
    response = bob_client.post(f"/projects/{project.public_id}/delete")
    assert response.status_code == 302
    assert not VideoProject.objects.exists()
    assert keys_of(bob) == []


def test_it_sends_visitors_to_sign_in(client: Any, project: VideoProject) -> None:
    response = client.get(f"/projects/{project.public_id}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_render_button_renders_the_settings_posted_with_it(
    bob_client: Any, project: VideoProject, media: Any, add_photo: Any
) -> None:
    add_photo(project)
    response = bob_client.post(
        f"/projects/{project.public_id}/render",
        {"title": "Lisbon", "style": "vintage", "aspect": "9:16", "resolution": "1080p",
         "music": "none"},
    )  # fmt: skip
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.style, project.aspect, project.music) == (
        "Lisbon", "vintage", "9:16", "none"
    )  # fmt: skip
    video = project.videos.get()
    assert (video.spec["style"], video.spec["aspect"], video.spec["music"]) == (
        "vintage", "9:16", "none"
    )  # fmt: skip


def test_a_refused_setting_with_the_render_renders_nothing_and_keeps_the_choice_on_screen(
    bob_client: Any, project: VideoProject, media: Any, add_photo: Any
) -> None:
    add_photo(project)
    response = bob_client.post(
        f"/projects/{project.public_id}/render",
        {"title": "Lisbon", "style": "cinematic", "aspect": "1:1", "resolution": "2160p"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your plan makes videos up to 1080p." in html
    assert 'value="cinematic" checked' in html and 'value="1:1" checked' in html
    assert not project.videos.exists()
    project.refresh_from_db()
    assert (project.style, project.resolution) == ("classic", "1080p")  # nothing half-stored


def test_a_failed_re_render_keeps_the_last_finished_video_on_the_page(
    bob_client: Any, project: VideoProject
) -> None:
    from rendering.models import GeneratedVideo, VideoStatus

    done = GeneratedVideo.objects.create(
        project=project, owner=project.owner, status=VideoStatus.COMPLETED,
        spec={"style": "modern"}, output_key="v.mp4", poster_key="v.jpg",
        duration=12.0, width=1280, height=720, finished_at=timezone.now(),
    )  # fmt: skip
    GeneratedVideo.objects.create(
        project=project, owner=project.owner, status=VideoStatus.FAILED,
        error_message="The photos of this project are missing from storage.",
    )  # fmt: skip
    html = bob_client.get(f"/projects/{project.public_id}/").content.decode()
    assert "The photos of this project are missing from storage." in html
    assert "Your last finished video is still here." in html
    assert f"/videos/{done.public_id}/mp4" in html and "Make it again" in html
    assert "Modern · 12 s" in html  # in the list of finished videos
