"""The web player's subtitles in a real browser (Chromium, live server, moto S3): a real render
with no words burned in, its WebVTT track loaded by the <video> (same-origin, under the strict
CSP) and shown by the browser itself at a caption's time."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import User
from projects.models import Photo, VideoProject
from rendering.services import video_render, video_request_render
from tests.browser import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def short_videos(settings: Any) -> None:
    settings.RENDER_SECONDS_PER_PHOTO = 2.5
    settings.RENDER_TICK = 0.1


def test_the_player_loads_the_track_and_shows_its_captions(
    live_server: Any, browser: Browser, bob: User, password: str, bob_project: VideoProject
) -> None:
    first = bob_project.photos.order_by("position").first()
    assert first is not None
    Photo.objects.filter(pk=first.pk).update(caption="Fish & chips <3 by the lake")
    video, _ = video_request_render(user=bob, project=bob_project, burn_text=False)
    assert video_render(video_id=video.pk) == "completed"

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, bob.email, password)
    page.goto(f"{live_server.url}/projects/{bob_project.public_id}/")
    expect(page.locator("video#player track")).to_have_count(1)

    # The track is the video's, in the viewer's language, on by default, and its cues load.
    page.wait_for_function(
        "() => { const t = document.getElementById('player').textTracks[0];"
        " return t && t.mode === 'showing' && t.cues && t.cues.length > 0; }",
        timeout=15_000,
    )
    track = page.evaluate(
        "() => { const t = document.getElementById('player').textTracks[0];"
        " return {kind: t.kind, language: t.language, label: t.label, mode: t.mode,"
        " cues: Array.from(t.cues).map(c => [c.id, c.startTime, c.endTime, c.text,"
        " c.getCueAsHTML().textContent])}; }"
    )
    assert (track["kind"], track["language"], track["label"], track["mode"]) == (
        "subtitles",
        "en",
        "English",
        "showing",
    )
    cues = {cue[0]: cue for cue in track["cues"]}
    assert cues["title"][4] == "Weekend at the lake"
    caption = cues["caption-1"]
    # Escaped in the file, the user's text as the player shows it.
    assert caption[3] == "Fish &amp; chips &lt;3 by the lake"
    assert caption[4] == "Fish & chips <3 by the lake"

    # Stop the video inside the caption and look: the browser draws the cue over the picture.
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    middle = (caption[1] + caption[2]) / 2
    page.evaluate(
        "(t) => { const v = document.getElementById('player'); v.pause(); v.currentTime = t; }",
        middle,
    )
    page.wait_for_function(
        "() => { const t = document.getElementById('player').textTracks[0];"
        " return t.activeCues && t.activeCues.length > 0; }"
    )
    active = page.evaluate(
        "() => Array.from(document.getElementById('player').textTracks[0].activeCues)"
        ".map(c => c.getCueAsHTML().textContent)"
    )
    assert active == ["Fish & chips <3 by the lake"]
    expect(page.get_by_role("link", name="Subtitles (English, WebVTT)")).to_be_visible()
    page.locator("video#player").scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the seeked frame and the cue box are painted
    screenshot(page, "video-panel-subtitles", full_page=False)
    assert not [e for e in errors if "Content Security Policy" in e or "track" in e], errors
