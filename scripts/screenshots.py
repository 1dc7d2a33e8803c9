"""Screenshot the main pages of a running server (e.g. `make demo`) with Debian's chromium.

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
Writes docs/screenshots/*.png. Signs in as the demo account for the dashboard.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def shoot(page: Page, base: str, path: str, name: str, full_page: bool = True) -> None:
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
    print(f"wrote {OUT / name}.png")


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        shoot(page, base, "/", "home")
        shoot(page, base, "/accounts/login/", "login", full_page=False)
        shoot(page, base, "/accounts/signup/", "signup", full_page=False)
        page.goto(base + "/accounts/login/")
        page.fill("input[name=login]", "demo@photomemory.local")
        page.fill("input[name=password]", "memories-demo-2026")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        shoot(page, base, "/", "dashboard", full_page=False)
        mobile = browser.new_page(viewport={"width": 390, "height": 844})
        shoot(mobile, base, "/", "home-mobile", full_page=False)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
