"""The editor on a phone and from the keyboard, in a real browser (Chromium, live server): the
look of the video and "Make the video" come before the photos; a photo is reordered by a finger
(SortableJS, press and hold) and by the ↑/↓ buttons, and the order is saved."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, CDPSession, Page, expect

from accounts.models import User
from projects.models import Photo, VideoProject
from projects.services import project_create
from tests.browser import screenshot
from tests.projects.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
COLOURS = [(200, 120, 60), (60, 140, 200), (90, 180, 90), (220, 200, 80), (150, 80, 170)]


def images_loaded(page: Page, selector: str) -> None:
    page.wait_for_function(
        "s => [...document.querySelectorAll(s)].every(i => i.complete && i.naturalWidth > 0)",
        arg=selector,
    )


@pytest.fixture
def album(bob: User, media: Any, add_photo: Callable[..., Photo]) -> VideoProject:
    """Twelve photos: more than a phone's screen holds."""
    project = project_create(owner=bob, title="Weekend at the lake")
    for index in range(12):
        colour = COLOURS[index % len(COLOURS)]
        add_photo(project, jpeg_bytes((480, 360), colour=colour), name=f"IMG_{index:02}.JPG")
    return project


def order(project: VideoProject) -> list[str]:
    return list(project.photos.order_by("position").values_list("original_name", flat=True))


def signed_in_page(browser: Browser, base: str, user: User, password: str, **kw: Any) -> Page:
    context = browser.new_context(**kw)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()
    return page


def touch_drag(cdp: CDPSession, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A finger pressed and held on ``start`` (longer than the drag delay), moved, lifted."""

    def send(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    send("touchStart", *start)
    time.sleep(0.5)
    steps = 12
    for step in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * step / steps
        y = start[1] + (end[1] - start[1]) * step / steps
        send("touchMove", x, y)
        time.sleep(0.03)
    time.sleep(0.2)
    send("touchEnd", *end)


def centre(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 3


def test_on_a_phone_the_settings_and_render_button_come_before_the_photos(
    live_server: Any, browser: Browser, bob: User, password: str, album: VideoProject
) -> None:
    page = signed_in_page(
        browser, live_server.url, bob, password, viewport=PHONE, has_touch=True, is_mobile=True
    )
    page.goto(f"{live_server.url}/projects/{album.public_id}/")
    render = page.get_by_role("button", name="Make the video").bounding_box()
    settings = page.locator("#settings-form").bounding_box()
    style = page.get_by_role("radio", name="Vintage").locator("..").bounding_box()
    photos = page.locator("#photo-grid").bounding_box()
    assert render and settings and style and photos
    assert render["y"] + render["height"] <= PHONE["height"]  # on the first screen
    assert settings["y"] < photos["y"] and style["y"] < photos["y"]
    assert page.locator(".editor-nav").is_visible()
    images_loaded(page, ".style-option img")
    screenshot(page, "projects-editor-phone", full_page=False)
    for card in page.locator(".photo-card img").all():
        card.scroll_into_view_if_needed()
    images_loaded(page, ".photo-card img")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "projects-editor-phone-full")

    # The in-page nav jumps to the photos and back to the settings.
    page.get_by_role("link", name="Photos", exact=True).click()
    expect(page.locator("#photos-heading")).to_be_in_viewport()
    page.get_by_role("link", name="How it looks").click()
    expect(page.locator("#settings-heading")).to_be_in_viewport()


def test_a_finger_drags_a_photo_to_a_new_place_and_the_order_is_saved(
    live_server: Any, browser: Browser, bob: User, password: str, album: VideoProject
) -> None:
    page = signed_in_page(
        browser, live_server.url, bob, password, viewport=PHONE, has_touch=True, is_mobile=True
    )
    page.goto(f"{live_server.url}/projects/{album.public_id}/")
    # Clear of the sticky header and nav, as a thumb would be.
    page.locator(".photo-card").nth(2).evaluate("card => card.scrollIntoView({block: 'center'})")
    before = order(album)
    cdp = page.context.new_cdp_session(page)
    touch_drag(
        cdp,
        centre(page, ".photo-card:nth-child(1) img"),
        centre(page, ".photo-card:nth-child(4) img"),
    )
    expect(page.locator("#status-line")).to_have_text(f"Moved {before[0]} to position 4.")
    assert order(album) == [*before[1:4], before[0], *before[4:]]
    expect(page.locator(".photo-card").nth(3).locator("img")).to_have_attribute("alt", before[0])


def test_the_keyboard_moves_a_photo_keeps_focus_on_it_and_the_order_persists(
    live_server: Any, browser: Browser, bob: User, password: str, album: VideoProject
) -> None:
    page = signed_in_page(
        browser, live_server.url, bob, password, viewport={"width": 1280, "height": 900}
    )
    page.goto(f"{live_server.url}/projects/{album.public_id}/")
    before = order(album)
    later = page.get_by_role("button", name=f"Move {before[0]} later")
    later.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#status-line")).to_have_text(f"Moved {before[0]} to position 2.")
    expect(later).to_be_focused()
    page.keyboard.press("Enter")  # again, without reaching for the mouse
    expect(page.locator("#status-line")).to_have_text(f"Moved {before[0]} to position 3.")
    expect(later).to_be_focused()
    assert order(album) == [before[1], before[2], before[0], *before[3:]]
    page.reload()
    expect(page.locator(".photo-card").nth(2).locator("img")).to_have_attribute("alt", before[0])
    images_loaded(page, ".photo-card img, .style-option img")
    screenshot(page, "projects-editor-desktop")


def test_a_mouse_drag_reorders_through_sortable(
    live_server: Any, browser: Browser, bob: User, password: str, album: VideoProject
) -> None:
    page = signed_in_page(
        browser, live_server.url, bob, password, viewport={"width": 1280, "height": 900}
    )
    page.goto(f"{live_server.url}/projects/{album.public_id}/")
    before = order(album)
    start, end = (
        centre(page, ".photo-card:nth-child(3) img"),
        centre(page, ".photo-card:nth-child(1) img"),
    )
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] - 10, start[1], steps=3)
    page.mouse.move(end[0] - 20, end[1], steps=15)
    for nudge in range(4):  # the cards slide aside (animated) while the photo is held there
        page.wait_for_timeout(120)
        page.mouse.move(end[0] - 24 - nudge, end[1], steps=2)
    page.mouse.up()
    expect(page.locator("#status-line")).to_have_text(f"Moved {before[2]} to position 1.")
    assert order(album) == [before[2], before[0], before[1], *before[3:]]
