"""The browser for the end-to-end journeys: Debian's Chromium driven by Playwright (no tool ever
downloads its own browser), and where their screenshots go — var/screenshots/, or
$SCREENSHOTS_DIR (e.g. docs/screenshots to update the README's pictures), so a test run never
rewrites tracked files. Loaded as a plugin by tests/conftest.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR") or Path(__file__).resolve().parents[1] / "var" / "screenshots"
)


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    """Sign in through the web form and land on the dashboard."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()


def _close_connections() -> None:
    # Playwright's sync API keeps an event loop running in this thread, and while one runs Django
    # keeps its database connections per context instead of per thread. A connection opened in
    # that context would outlive the test and be found, dead, by a later browser test after the
    # fault tests restart PostgreSQL. Each browser test starts and ends with none.
    for conn in connections.all(initialized_only=True):
        conn.close()


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    # The ORM calls a test makes between browser steps are plain synchronous ones, even though
    # an event loop is running in this thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        _close_connections()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            _close_connections()
