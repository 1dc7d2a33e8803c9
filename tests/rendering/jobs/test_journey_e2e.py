"""A customer makes their video in a real browser (Chromium) against the ASGI server and a real
worker: press "Make the video", watch the bar move live, play the result in the page and
download it. Screenshots go to var/screenshots/ (or $SCREENSHOTS_DIR)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from projects.models import VideoProject
from rendering.models import GeneratedVideo
from tests.browser import screenshot, sign_in
from tests.rendering.jobs.support import AsgiServer, Worker

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page: Page, name: str, full_page: bool = False) -> None:
    screenshot(page, f"rendering-{name}", full_page=full_page)


def test_a_customer_renders_watches_plays_and_downloads_their_video(
    browser: Browser,
    asgi_server: AsgiServer,
    start_worker: Callable[..., Worker],
    bob: User,
    password: str,
    bob_project: VideoProject,
    tmp_path: Path,
) -> None:
    start_worker("w1", RENDER_SECONDS_PER_PHOTO="3")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, asgi_server.url, bob.email, password)
    page.goto(f"{asgi_server.url}/projects/{bob_project.public_id}/")
    shot(page, "1-ready-to-render")

    page.get_by_role("button", name="Make the video").click()
    bar = page.locator("#render-bar")
    expect(bar).to_be_visible()
    expect(page.locator("#render-progress")).to_have_attribute("data-live", "sse")
    # The bar moves while the page stays put: values come from the event stream.
    page.wait_for_function(
        "() => { const b = document.getElementById('render-bar'); return b && b.value >= 20; }",
        timeout=60_000,
    )
    seen: Any = bar.evaluate("b => b.value")
    assert 20 <= seen < 100
    expect(page.locator("#render-stage")).to_contain_text("Rendering")
    shot(page, "2-rendering-live")

    player = page.locator("video#player")
    expect(player).to_be_visible(timeout=90_000)
    video = GeneratedVideo.objects.get(project=bob_project)
    assert video.status == "completed"
    # It plays in the page: Chromium decodes it and the clock moves.
    page.wait_for_function("() => document.getElementById('player').readyState >= 2")
    duration = player.evaluate("v => v.duration")
    assert abs(duration - video.duration) < 0.2
    player.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.getElementById('player').currentTime > 0.5")
    player.evaluate("v => v.pause()")
    shot(page, "3-finished-player")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download MP4").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename == "weekend-at-the-lake.mp4"
    assert target.stat().st_size == video.size_bytes
    assert target.read_bytes()[4:8] == b"ftyp"
    assert errors == []
