"""The Languages panel in a real browser (Chromium, live server) against the loopback fake Google:
add Japanese, see the lines, edit one, change the originals, translate again — the edit stays
(flagged "the original changed") while the other lines follow their new originals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import User
from projects.models import Photo, TextTranslation, VideoProject
from projects.services import photo_caption_update, project_create, project_update
from tests.browser import screenshot
from tests.conftest import clear_our_cache_keys
from tests.projects.conftest import jpeg_bytes
from tests.projects.test_editor_e2e import signed_in_page

from .fake_google import FakeGoogle

pytestmark = pytest.mark.django_db(transaction=True)

TRAP = "<img src=x onerror=window.pwned=1>"


@pytest.fixture
def trip(bob: User, settings: Any, media: Any, add_photo: Callable[..., Photo]) -> VideoProject:
    settings.BILLING_DEFAULT_PLAN = "pro"
    clear_our_cache_keys()
    project = project_create(owner=bob, title="Lisbon", language="en")
    project_update(project=project, story="We walked the coast every morning.")
    for n, (colour, caption) in enumerate(
        [((214, 120, 72), "Breakfast on the terrace"), ((64, 140, 200), TRAP)]
    ):
        photo = add_photo(project, jpeg_bytes((640, 480), colour=colour), name=f"IMG_{n + 1}.JPG")
        photo_caption_update(photo=photo, caption=caption)
    return project


def test_add_japanese_edit_a_line_translate_again_and_the_edit_stays(
    live_server: Any,
    browser: Browser,
    bob: User,
    password: str,
    trip: VideoProject,
    fake_google: FakeGoogle,
) -> None:
    page = signed_in_page(
        browser, live_server.url, bob, password, viewport={"width": 1280, "height": 900}
    )
    page.goto(f"{live_server.url}/projects/{trip.public_id}/")
    panel = page.locator("#translations-panel")
    expect(panel.get_by_role("heading", name="Languages")).to_be_visible()

    page.select_option("#tr-language", "ja")
    panel.get_by_role("button", name="Translate", exact=True).click()
    japanese = panel.locator('.tr-language[data-language="ja"]')
    lines = japanese.locator(".tr-line")
    expect(lines).to_have_count(4)
    expect(lines.nth(0).locator("input")).to_have_value("[ja] Lisbon")
    expect(lines.nth(0).locator(".tr-original")).to_have_text("Lisbon")
    expect(lines.nth(3).locator(".tr-original")).to_have_text(TRAP)  # text, not markup
    expect(lines.nth(3).locator("input")).to_have_value(f"[ja] {TRAP}")
    expect(page.locator("#tr-language option[value=ja]")).to_have_count(0)

    title = lines.nth(0).locator("input")
    title.fill("リスボンの夏")
    title.press("Tab")
    expect(lines.nth(0).get_by_text("edited by you")).to_be_visible()
    expect(lines.nth(0).locator(".tr-save-state")).to_have_text("Saved")

    # The originals change in another tab; then "Translate again".
    project_update(project=trip, title="Lisbon in July", story="We walked the whole coast.")
    japanese.get_by_role("button", name="Translate again").click()
    expect(lines.nth(1).locator("textarea")).to_have_value("[ja] We walked the whole coast.")
    expect(lines.nth(0).locator("input")).to_have_value("リスボンの夏")
    expect(lines.nth(0).get_by_text("the original changed")).to_be_visible()
    expect(lines.nth(0).locator(".tr-original")).to_have_text("Lisbon in July")
    expect(panel.locator("#tr-status")).to_have_text(
        "日本語: 1 line translated now. 1 line you edited is kept."
    )
    assert page.evaluate("window.pwned") is None

    panel.scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    panel.screenshot(path=str(_shot_path("translations-panel")))
    screenshot(page, "translations-editor")

    row = TextTranslation.objects.get(project=trip, language="ja", field="title")
    assert (row.text, row.edited, row.source_text) == ("リスボンの夏", True, "Lisbon")
    story = TextTranslation.objects.get(project=trip, language="ja", field="story")
    assert (story.text, story.edited) == ("[ja] We walked the whole coast.", False)

    # A fresh page draws the same state from the server.
    page.reload()
    japanese.locator("summary").click()
    expect(lines.nth(0).locator("input")).to_have_value("リスボンの夏")
    expect(lines.nth(0).get_by_text("the original changed")).to_be_visible()


def _shot_path(name: str) -> Any:
    from tests.browser import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
