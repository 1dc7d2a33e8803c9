"""Words by AI in the editor, in a real browser (Chromium, live server) against the loopback fake
OpenAI: turn suggestions on, ask, watch the state arrive, then accept, edit and reject captions,
use the suggested order and undo it, accept the rest — and the database agrees at each step.

The worker's part runs in a thread of this process after commit (another test covers the real
Celery worker), so the page polls a request that really goes queued → running → completed.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from projects.models import CaptionSource, Photo, SuggestionState, VideoProject
from projects.services import project_create, project_update
from projects.services.ai import ai_request_create, ai_request_run
from tests.browser import screenshot
from tests.conftest import clear_our_cache_keys
from tests.projects.ai.fake_openai import FakeOpenAI
from tests.projects.conftest import jpeg_bytes
from tests.projects.test_editor_e2e import PHONE, images_loaded, signed_in_page

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
COLOURS = [(214, 120, 72), (64, 140, 200), (96, 176, 104), (222, 196, 90)]
PLACES = [(38.7223, -9.1393), (38.6979, -9.2064), (38.7916, -9.3897), (38.6916, -9.2158)]
TRAP = "<img src=x onerror=window.pwned=1>"


def answer(n: int, *, title: str = "Summer by the Sea") -> str:
    """The model's answer for photos p1…pn: a title, captions to decide and an order that
    reverses them."""
    return json.dumps(
        {
            "title": title,
            "story": "We walked the coast every morning. The light was soft. It was enough.",
            "captions": [
                {"photo": f"p{i}", "caption": c}
                for i, c in zip(
                    range(1, n + 1),
                    ["Breakfast on the terrace", "The tram up the hill", "Sintra fog", "Low tide"],
                    strict=True,
                )
            ],
            "order": [
                {"photo": f"p{i}", "reason": r}
                for i, r in zip(
                    range(n, 0, -1),
                    ["Low tide sets the scene", "Fog for the middle", "The climb", "Ends at home"],
                    strict=True,
                )
            ],
        }
    )


@pytest.fixture
def plus(settings: Any) -> None:
    settings.BILLING_DEFAULT_PLAN = "plus"
    clear_our_cache_keys()


@pytest.fixture
def trip(bob: User, plus: None, media: Any, add_photo: Callable[..., Photo]) -> VideoProject:
    """Four photos taken around Lisbon in July 2023."""
    project = project_create(owner=bob, title="Lisbon")
    for n, (colour, gps) in enumerate(zip(COLOURS, PLACES, strict=True)):
        data = jpeg_bytes((640, 480), taken=datetime(2023, 7, 10 + n), gps=gps, colour=colour)
        add_photo(project, data, name=f"IMG_{n + 1}.JPG")
    return project


@pytest.fixture
def worker_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[threading.Thread]]:
    """Each queued request runs in a thread after commit, as the Celery task would run it."""
    threads: list[threading.Thread] = []

    def run(request_id: int) -> None:
        try:
            ai_request_run(request_id=request_id)
        finally:
            connections.close_all()

    def dispatch(*, request_id: int) -> None:
        thread = threading.Thread(target=run, args=(request_id,), daemon=True)
        thread.start()
        threads.append(thread)

    monkeypatch.setattr("projects.services.ai.ai_request_dispatch", dispatch)
    yield threads
    for thread in threads:
        thread.join(timeout=15)


def photos(project: VideoProject) -> list[Photo]:
    return list(project.photos.order_by("position"))


def card(page: Page, name: str) -> Any:
    return page.locator(".photo-card", has=page.locator(f'img[alt="{name}"]'))


def test_suggestions_are_asked_for_followed_and_decided_one_by_one(
    live_server: Any,
    browser: Browser,
    bob: User,
    password: str,
    trip: VideoProject,
    fake_openai: FakeOpenAI,
    worker_thread: list[threading.Thread],
    settings: Any,
) -> None:
    fake_openai.output_text = answer(4)
    fake_openai.mode, fake_openai.slow_seconds = "slow", 2.5  # long enough to see it write
    settings.OPENAI_TIMEOUT_SECONDS = 15.0
    page = signed_in_page(browser, live_server.url, bob, password, viewport=DESKTOP)
    page.goto(f"{live_server.url}/projects/{trip.public_id}/")
    panel = page.locator("#ai-panel")
    expect(panel.get_by_text("at most 768 pixels", exact=False)).to_be_visible()
    expect(page.locator("#ai-suggest")).to_be_hidden()

    # Turn suggestions on and allow place names: both saved at once.
    panel.get_by_text("Suggest a title, captions and a story").click()
    expect(page.locator("#ai-save-state")).to_have_text("Saved")
    page.get_by_label("Include place names").check()
    expect(page.locator("#ai-save-state")).to_have_text("Saved")
    trip.refresh_from_db()
    assert trip.ai_enabled and trip.ai_places
    expect(page.locator("#ai-allowance")).to_have_text("0 of 30 this month")

    # Ask, and watch the state arrive.
    page.locator("#ai-suggest").click()
    state = page.locator("#ai-state")
    expect(state).to_have_text("Waiting…")
    expect(state).to_have_text("Writing captions…", timeout=5000)
    expect(page.locator("#ai-suggest")).to_be_disabled()
    expect(state).to_contain_text("Done", timeout=10000)
    expect(page.locator("#ai-meta")).to_contain_text("1,234 tokens in (1,000 cached), 210 out.")
    expect(page.locator("#ai-meta")).to_contain_text("4 photos sent")
    expect(page.locator("#ai-allowance")).to_have_text("1 of 30 this month")
    request = trip.ai_requests.get()
    assert request.status == "completed" and request.places_allowed
    assert all("place" in entry["fields"] for entry in request.sent)

    # The title beside the user's own.
    title = page.locator("#ai-title-slot")
    expect(title.locator("[data-current]")).to_have_text("Lisbon")
    expect(title.locator("[data-text]")).to_have_text("Summer by the Sea")
    expect(card(page, "IMG_1.JPG").locator("[data-text]")).to_have_text("Breakfast on the terrace")

    # One caption accepted as it is: it lands in the caption field.
    first = card(page, "IMG_1.JPG")
    first.get_by_role("button", name="Accept").click()
    expect(first.locator("[data-caption]")).to_have_value("Breakfast on the terrace")
    expect(first.locator(".ai-suggestion")).to_have_class("ai-suggestion is-accepted")
    # One edited, then accepted: the user's words from then on.
    second = card(page, "IMG_2.JPG")
    second.get_by_role("button", name="Edit").click()
    second.locator("[data-edit]").fill("Tram 28, packed")
    second.get_by_role("button", name="Accept").click()
    expect(second.locator("[data-caption]")).to_have_value("Tram 28, packed")
    # One rejected.
    third = card(page, "IMG_3.JPG")
    third.get_by_role("button", name="Reject").click()
    expect(third.locator(".ai-tag")).to_have_text("Rejected")
    expect(third.locator("[data-caption]")).to_have_value("")
    first_photo, second_photo, third_photo, fourth_photo = photos(trip)
    assert (first_photo.caption, first_photo.caption_source) == (
        "Breakfast on the terrace",
        CaptionSource.AI,
    )
    assert (second_photo.caption, second_photo.caption_source) == (
        "Tram 28, packed",
        CaptionSource.USER,
    )
    assert third_photo.caption == ""
    assert third_photo.suggestions.get().state == SuggestionState.REJECTED

    # The suggested order, with its reasons: used, then undone.
    order = page.locator("#ai-order-slot")
    expect(order.locator(".ai-move-reason")).to_have_text(
        ["Low tide sets the scene", "Fog for the middle", "The climb", "Ends at home"]
    )
    expect(order.locator(".ai-move-pos").first).to_have_text("4 → 1")
    order.get_by_role("button", name="Use this order").click()
    expect(page.locator(".photo-card").first.locator("img")).to_have_attribute("alt", "IMG_4.JPG")
    reversed_names = ["IMG_4.JPG", "IMG_3.JPG", "IMG_2.JPG", "IMG_1.JPG"]
    assert [p.original_name for p in photos(trip)] == reversed_names
    expect(order.get_by_role("button", name="Undo")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 1200})
    page.evaluate("scrollTo(0, document.getElementById('photos-panel').offsetTop - 84)")
    images_loaded(page, ".photo-card img, .ai-moves img")
    screenshot(page, "editor-ai", full_page=False)
    order.get_by_role("button", name="Undo").click()
    expect(page.locator(".photo-card").first.locator("img")).to_have_attribute("alt", "IMG_1.JPG")
    assert [p.original_name for p in photos(trip)] == [*reversed(reversed_names)]
    expect(order.get_by_role("button", name="Use this order")).to_be_visible()

    # The user writes their own caption on the last photo; "Accept all" leaves it alone.
    own = card(page, "IMG_4.JPG").locator("[data-caption]")
    own.fill("Our beach")
    own.press("Enter")
    expect(page.locator("#status-line")).to_have_text("Caption saved.")
    page.locator("#ai-accept-all").click()
    expect(page.locator("#ai-result")).to_have_text(
        "Accepted 3 suggestions. Kept your own caption on 1 photo."
    )
    expect(page.locator("h1")).to_have_text("Summer by the Sea")
    expect(page.locator("#title")).to_have_value("Summer by the Sea")
    expect(page.locator("#story")).to_have_value(
        "We walked the coast every morning. The light was soft. It was enough."
    )
    expect(own).to_have_value("Our beach")
    expect(page.locator(".photo-card").first.locator("img")).to_have_attribute("alt", "IMG_4.JPG")
    expect(page.locator("#ai-all")).to_be_hidden()
    trip.refresh_from_db()
    assert trip.title == "Summer by the Sea" and trip.story.startswith("We walked")
    assert [p.original_name for p in photos(trip)] == reversed_names
    last = next(p for p in photos(trip) if p.original_name == "IMG_4.JPG")
    assert (last.caption, last.caption_source) == ("Our beach", CaptionSource.USER)

    # After a reload the server draws the same decisions.
    page.reload()
    expect(page.locator("#ai-title-slot .ai-suggestion .ai-tag")).to_have_text("Accepted")
    expect(card(page, "IMG_3.JPG").locator(".ai-tag")).to_have_text("Rejected")
    expect(page.locator("#ai-order-slot").get_by_role("button", name="Undo")).to_be_visible()


def test_on_a_phone_the_panel_fits_and_a_failure_offers_to_try_again(
    live_server: Any,
    browser: Browser,
    bob: User,
    password: str,
    trip: VideoProject,
    fake_openai: FakeOpenAI,
    worker_thread: list[threading.Thread],
) -> None:
    fake_openai.output_text = answer(4)
    project_update(project=trip, ai_enabled=True)
    request, _ = ai_request_create(user=bob, project=trip)  # run by the worker thread
    worker_thread[0].join(timeout=15)
    request.refresh_from_db()
    assert request.status == "completed"
    page = signed_in_page(
        browser, live_server.url, bob, password, viewport=PHONE, has_touch=True, is_mobile=True
    )
    page.goto(f"{live_server.url}/projects/{trip.public_id}/")
    expect(page.locator("#ai-state")).to_contain_text("Done")
    card(page, "IMG_2.JPG").get_by_role("button", name="Accept").click()
    expect(card(page, "IMG_2.JPG").locator("[data-caption]")).to_have_value("The tram up the hill")
    card(page, "IMG_3.JPG").get_by_role("button", name="Reject").click()
    expect(card(page, "IMG_3.JPG").locator(".ai-tag")).to_have_text("Rejected")
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for element in ("#ai-panel", "#photos-panel", ".photo-card .ai-buttons"):
        box = page.locator(element).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], element
    page.get_by_role("link", name="AI words").click()
    expect(page.locator("#ai-heading")).to_be_in_viewport()
    images_loaded(page, ".ai-moves img")
    screenshot(page, "editor-ai-phone", full_page=False)
    page.locator("#ai-panel").screenshot(path=str(_shot("editor-ai-phone-panel")))
    card(page, "IMG_1.JPG").scroll_into_view_if_needed()
    images_loaded(page, ".photo-card img")
    screenshot(page, "editor-ai-phone-photos", full_page=False)

    # The service fails this time: the reason, and a way to try again.
    clear_our_cache_keys()  # or the same photos are answered from the cache
    fake_openai.output_text, fake_openai.mode = None, "server_error"
    page.locator("#ai-suggest").click()
    expect(page.locator("#ai-state")).to_contain_text("Not done:", timeout=10000)
    expect(page.locator("#ai-retry")).to_be_visible()
    # This time the model's title tries to inject markup: it is shown as text, never run.
    fake_openai.mode = "ok"
    fake_openai.output_text = answer(4, title=f"Summer {TRAP}")
    page.locator("#ai-retry").click()
    expect(page.locator("#ai-state")).to_contain_text("Done", timeout=10000)
    expect(page.locator("#ai-retry")).to_be_hidden()
    expect(page.locator("#ai-title-slot [data-text]")).to_have_text(f"Summer {TRAP}")
    # No element was made of it (the CSP would block the handler anyway; this is the escaping).
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("window.pwned") is None
    # The earlier decisions were of the earlier request: the new suggestions are all open.
    expect(card(page, "IMG_3.JPG").locator(".ai-tag")).to_have_text("Suggested")


def _shot(name: str) -> Any:
    from tests.browser import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
