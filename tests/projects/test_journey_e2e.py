"""A customer's first project, in a real browser (Chromium) against a live server: sign up,
confirm the e-mail, create a project, upload photos and one bad file, reorder, caption, pick a
style. Screenshots go to var/screenshots/ (or $SCREENSHOTS_DIR, e.g. docs/screenshots to update
the README's pictures), so a test run never rewrites tracked files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pillow_heif
import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from projects.models import VideoProject
from tests.browser import screenshot
from tests.projects.conftest import SAMPLES

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL, PASSWORD = "dana@example.com", "holiday-pictures-2026"


def shot(page: Page, name: str, full_page: bool = True) -> None:
    screenshot(page, f"projects-{name}", full_page=full_page)


def sign_up(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form button[type=submit]")
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    page.goto(base + link.group(0))
    page.click("form button[type=submit]")  # confirming in the signing-up browser signs in
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()


def test_it_takes_a_new_customer_from_sign_up_to_a_styled_project(
    live_server: Any, browser: Browser, tmp_path: Path
) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())

    sign_up(page, base)
    expect(page.get_by_text("No projects yet")).to_be_visible()
    expect(page.get_by_text("Welcome to PhotoMemory, dana.")).to_be_visible()
    expect(page.get_by_text("add up to 50 photos (the most your Free plan takes)")).to_be_visible()
    assert "Welcome back" not in page.content()
    shot(page, "1-empty-dashboard", full_page=False)

    page.fill("#new-title", "Summer in Lisbon")
    page.get_by_role("button", name="+ New project").click()
    expect(page.get_by_role("heading", name="Summer in Lisbon")).to_be_visible()
    expect(page.get_by_text("No photos yet")).to_be_visible()
    expect(page.get_by_role("button", name="Make the video")).to_be_disabled()
    shot(page, "2-empty-editor")

    bad = tmp_path / "not-a-photo.jpg"
    bad.write_text("<!DOCTYPE html><html><body>this is a web page</body></html>")
    # An iPhone photo as the phone sends it: HEIC, which browsers cannot even show.
    iphone = tmp_path / "IMG_4242.HEIC"
    pillow_heif.register_heif_opener()
    Image.open(SAMPLES / "coffee.jpg").save(iphone, format="HEIF", quality=80)
    samples = [*sorted(SAMPLES.glob("*.jpg")), iphone]
    page.set_input_files("#file-input", [*samples, bad])
    expect(page.locator(".photo-card")).to_have_count(len(samples), timeout=30_000)
    error = page.locator(".upload-error")
    expect(error).to_have_text("“not-a-photo.jpg” can’t be used: a web page (HTML), not an image.")
    expect(page.locator("#photo-count")).to_have_text(str(len(samples)))
    expect(page.get_by_role("button", name="Make the video")).to_be_enabled()
    expect(page.locator("#render-hint")).to_be_hidden()
    heic_thumb = page.locator(".photo-card img[alt='IMG_4242.HEIC']")
    expect(heic_thumb).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=heic_thumb.element_handle()
    )  # the server's JPEG thumbnail of it, shown as soon as it was ready
    shot(page, "3-uploaded-with-error")

    project = VideoProject.objects.get(title="Summer in Lisbon")
    names = lambda: list(project.photos.values_list("original_name", flat=True))  # noqa: E731
    first = names()[0]
    page.get_by_role("button", name=f"Move {first} later").click()
    expect(page.locator("#status-line")).to_have_text(f"Moved {first} to position 2.")
    assert names()[1] == first

    caption = page.get_by_label(f"Caption for {names()[0]}")
    caption.fill("Coffee before the tram ride")
    caption.press("Enter")
    expect(page.locator("#status-line")).to_have_text("Caption saved.")
    first_photo = project.photos.first()
    assert first_photo is not None and first_photo.caption == "Coffee before the tram ride"

    page.locator(".style-option", has_text="Vintage").click()
    expect(page.locator("#save-state")).to_have_text("Saved")
    page.get_by_label("Portrait 9:16").check()
    expect(page.locator("#save-state")).to_have_text("Saved")
    page.wait_for_function("() => !document.querySelector('#save-state.is-busy')")
    project.refresh_from_db()
    assert (project.style, project.aspect) == ("vintage", "9:16")
    shot(page, "4-styled")

    page.goto(f"{base}/")
    expect(page.get_by_text("Welcome back")).to_be_visible()
    expect(page.locator(".project-card img")).to_be_visible()
    shot(page, "5-dashboard", full_page=False)

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.context.add_cookies(page.context.cookies())  # type: ignore[arg-type]  # same shape
    phone.goto(f"{base}/projects/{project.public_id}/")
    shot(phone, "6-editor-mobile", full_page=False)
    assert not [e for e in errors if "Content Security Policy" in e], errors
