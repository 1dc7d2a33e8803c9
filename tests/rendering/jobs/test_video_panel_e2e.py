"""The editor's video panel in a real browser (Chromium, live server): what is selected is what
gets rendered, saved or not, with or without JavaScript; a cancelled re-render leaves the last
finished video playable; earlier videos are listed newest first. No worker runs: a finished
video is a GeneratedVideo row with a tiny MP4 and poster in (moto) S3."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accounts.models import User
from projects import storage
from projects.models import ProjectStatus, VideoProject
from rendering.models import GeneratedVideo, VideoStatus
from rendering.pipeline.execute import ffmpeg_binary
from tests.browser import screenshot, sign_in
from tests.projects.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def tiny_mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """One second of H.264 at 320×180, as small as a real video gets."""
    out = tmp_path_factory.mktemp("video") / "tiny.mp4"
    subprocess.run(
        [ffmpeg_binary(), "-v", "error", "-f", "lavfi", "-i", "color=c=0xe2566b:s=320x180:d=1:r=10",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(out)],
        check=True,
    )  # fmt: skip
    return out.read_bytes()


def finished_video(
    project: VideoProject, data: bytes, *, style: str, days_ago: int, duration: float
) -> GeneratedVideo:
    """A completed job as the worker leaves it: stored MP4 and poster, the spec it was made from."""
    video = GeneratedVideo.objects.create(
        project=project,
        owner=project.owner,
        status=VideoStatus.COMPLETED,
        progress=100,
        spec={"title": project.title, "style": style, "aspect": "16:9", "photos": []},
        duration=duration,
        width=320,
        height=180,
        size_bytes=len(data),
        photo_count=3,
    )
    base = f"{storage.project_prefix(project.owner.public_id, project.public_id)}videos/"
    video.output_key = storage.put(f"{base}{video.public_id}.mp4", data)
    video.poster_key = storage.put(f"{base}{video.public_id}.jpg", jpeg_bytes((320, 180)))
    when = timezone.now() - timedelta(days=days_ago)
    video.created_at = video.finished_at = when
    video.save()
    return video


def test_make_the_video_renders_the_style_just_picked_and_keeps_it_on_screen(
    live_server: Any, browser: Browser, bob: User, password: str, bob_project: VideoProject
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, bob.email, password)
    page.goto(f"{live_server.url}/projects/{bob_project.public_id}/")
    assert bob_project.style == "classic"

    page.locator(".style-option", has_text="Vintage").click()
    expect(page.locator("#save-state")).to_have_text("Saved")  # saved at once, no button
    bob_project.refresh_from_db()
    assert bob_project.style == "vintage"
    screenshot(page, "editor-autosaved", full_page=False)

    # A choice made the instant before pressing the button is rendered too, saved or not.
    page.get_by_label("Portrait 9:16").check()
    page.get_by_role("button", name="Make the video").click()
    expect(page.locator("#render-progress")).to_be_visible()
    video = GeneratedVideo.objects.get(project=bob_project)
    assert (video.spec["style"], video.spec["aspect"]) == ("vintage", "9:16")
    expect(page.get_by_role("radio", name="Vintage")).to_be_checked()
    expect(page.get_by_label("Portrait 9:16")).to_be_checked()


def test_without_javascript_the_render_button_posts_the_settings_on_screen(
    live_server: Any, browser: Browser, bob: User, password: str, bob_project: VideoProject
) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server.url, bob.email, password)
    page.goto(f"{live_server.url}/projects/{bob_project.public_id}/")
    page.get_by_role("radio", name="Cinematic").check()
    page.get_by_label("Square 1:1").check()
    page.get_by_role("button", name="Make the video").click()
    expect(page.get_by_text("Your video is being made.")).to_be_visible()
    video = GeneratedVideo.objects.get(project=bob_project)
    assert (video.spec["style"], video.spec["aspect"]) == ("cinematic", "1:1")
    expect(page.get_by_role("radio", name="Cinematic")).to_be_checked()


def test_a_cancelled_re_render_leaves_the_last_video_playable_and_lists_every_video(
    live_server: Any,
    browser: Browser,
    bob: User,
    password: str,
    bob_project: VideoProject,
    tiny_mp4: bytes,
) -> None:
    older = finished_video(bob_project, tiny_mp4, style="classic", days_ago=9, duration=21.0)
    last = finished_video(bob_project, tiny_mp4, style="vintage", days_ago=2, duration=34.0)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, bob.email, password)
    page.goto(f"{live_server.url}/projects/{bob_project.public_id}/")

    page.get_by_role("button", name="Make it again").click()
    expect(page.locator("#render-bar")).to_be_visible()
    expect(page.locator("#render-stage")).to_have_text("Waiting for a free renderer…")
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#render-cancelled")).to_have_text(
        "The new render was cancelled. Your last finished video is still here."
    )
    assert GeneratedVideo.objects.filter(status=VideoStatus.CANCELLED).count() == 1
    player = page.locator("video#player")
    assert str(last.public_id) in (player.get_attribute("src") or "")
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    expect(page.get_by_role("link", name="Download MP4")).to_be_visible()

    rows = page.locator("#video-history li")
    expect(rows).to_have_count(2)
    fmt = "%-d %b %Y"
    expect(rows.nth(0)).to_contain_text(last.finished_at.strftime(fmt))  # type: ignore[union-attr]
    expect(rows.nth(0)).to_contain_text("Vintage · 34 s")
    expect(rows.nth(0)).to_contain_text("Playing")
    expect(rows.nth(1)).to_contain_text(older.finished_at.strftime(fmt))  # type: ignore[union-attr]
    expect(rows.nth(1)).to_contain_text("Classic · 21 s")
    screenshot(page, "video-panel-history")

    rows.nth(1).get_by_role("link", name="Watch").click()
    assert str(older.public_id) in (page.locator("video#player").get_attribute("src") or "")
    expect(page.locator("#video-history li").nth(1)).to_contain_text("Playing")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_setting_that_cannot_be_saved_says_so_and_stays_on_screen(
    live_server: Any, browser: Browser, bob: User, password: str, bob_project: VideoProject
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, bob.email, password)
    page.goto(f"{live_server.url}/projects/{bob_project.public_id}/")
    # Meanwhile the project started rendering (e.g. from the phone app): it cannot change now.
    VideoProject.objects.filter(pk=bob_project.pk).update(status=ProjectStatus.PROCESSING)

    page.locator(".style-option", has_text="Modern").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Not saved: This project is being made into a video right now. Try again after."
    )
    expect(page.get_by_role("radio", name="Modern")).to_be_checked()
    bob_project.refresh_from_db()
    assert bob_project.style == "classic"

    page.locator("#title").fill("")
    page.locator("#title").press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Not saved: give the project a title.")
