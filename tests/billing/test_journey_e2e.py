"""Upgrading and cancelling in a real browser (Chromium) against a live server and the fake
Stripe: the pricing page, Stripe's hosted Checkout (played by the fake), the webhooks it signs
and sends to our endpoint, the billing page, the portal's cancellation, and the period's end.
The second journey starts at the Free plan's render limit and ends with a real worker's 1080p
render without a watermark. Screenshots go to var/screenshots/ (or $SCREENSHOTS_DIR)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from djstripe.models import WebhookEventTrigger
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from billing.entitlements import get_entitlements
from billing.services import webhook_endpoint_register
from photomemory.celery import app as celery_app
from tests.billing.fake_stripe import FakeStripe
from tests.browser import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page: Page, name: str) -> None:
    screenshot(page, f"billing-{name}")


def signed_in_page(browser: Browser, base: str, user: User) -> Page:
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base}])
    page = context.new_page()
    errors: list[str] = []
    # Our pages only: the fake's hosted pages have no favicon, Stripe's would.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and m.location.get("url", "").startswith(base)
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def eventually(check: Callable[[], bool], seconds: float = 15) -> None:
    """Stripe's webhooks arrive on their own time (here: the fake's delivery threads)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the webhook did not arrive"
        time.sleep(0.1)


def delivered(fake: FakeStripe) -> int:
    return WebhookEventTrigger.objects.filter(valid=True, processed=True).count()


def test_a_free_customer_upgrades_then_cancels_and_is_back_on_free(
    live_server: Any, browser: Browser, bob: User, catalogue: FakeStripe
) -> None:
    base = live_server.url
    webhook_endpoint_register(base_url=base)
    catalogue.auto_flush = True  # the fake delivers signed webhooks to the live server
    page = signed_in_page(browser, base, bob)

    page.goto(f"{base}/pricing/")
    expect(page.locator(".plan-current h2")).to_have_text("Free")
    shot(page, "1-pricing")
    page.get_by_role("link", name="Yearly").click()
    expect(page.locator('[data-plan="plus"] .plan-price')).to_contain_text("69.00")
    page.get_by_role("link", name="Monthly").click()

    page.get_by_role("button", name="Upgrade to Plus").click()
    expect(page.get_by_role("heading")).to_contain_text("Subscribe to Plus: 6.99 EUR / month")
    shot(page, "2-checkout")
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_role("heading", name="Welcome to Plus!")).to_be_visible()
    eventually(lambda: delivered(catalogue) == len(catalogue.events) == 3)

    page.get_by_role("link", name="See your plan").click()
    expect(page.get_by_role("heading", name="Plus plan")).to_be_visible()
    expect(page.get_by_text("Renews on")).to_be_visible()
    expect(page.locator('[data-limit="renders_per_month"]')).to_contain_text("/ 20")
    expect(page.locator(".invoices")).to_contain_text("6.99 EUR")
    shot(page, "3-billing-plus")
    assert get_entitlements(user=bob).watermark is False

    page.get_by_role("button", name="Manage subscription").click()
    expect(page.get_by_role("heading", name="Manage your subscription")).to_be_visible()
    page.get_by_role("button", name="Cancel plan").click()
    # The portal sends the customer back to the billing page; reloading before that navigation
    # has finished would detach the page.
    page.wait_for_url(f"{base}/billing/**")
    page.wait_for_load_state()

    def cancelling() -> bool:
        page.reload()
        return "Ends on" in page.content()

    eventually(cancelling)
    expect(page.get_by_role("heading", name="Plus plan")).to_be_visible()
    expect(page.get_by_text("Your subscription is cancelled")).to_be_visible()
    shot(page, "4-billing-cancelling")

    mail.outbox.clear()
    sub_id = next(iter(catalogue.table("subscriptions")))
    catalogue.advance_to_period_end(sub_id)
    eventually(lambda: get_entitlements(user=bob).plan == "free")

    page.reload()
    expect(page.get_by_role("heading", name="Free plan")).to_be_visible()
    shot(page, "5-billing-free-again")
    assert get_entitlements(user=bob).watermark is True
    eventually(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].subject == "[PhotoMemory AI] Your subscription has ended"
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_free_customer_at_the_render_limit_upgrades_and_renders_without_a_watermark(
    live_server: Any,
    browser: Browser,
    bob: User,
    catalogue: FakeStripe,
    add_photo: Callable[..., Any],
    broker: Any,
    tmp_path: Path,
) -> None:
    from projects.services import project_create
    from rendering.models import GeneratedVideo, VideoStatus
    from tests.projects.conftest import jpeg_bytes
    from tests.rendering.jobs.support import Worker

    base = live_server.url
    webhook_endpoint_register(base_url=base)
    catalogue.auto_flush = True
    celery_app.conf.task_always_eager = (
        False  # a worker runs every task here (the fixture restores)
    )
    # Three videos already made this month: the Free plan's whole quota.
    earlier = project_create(owner=bob, title="Earlier this month")
    for _ in range(3):
        GeneratedVideo.objects.create(
            project=earlier, owner=bob, status=VideoStatus.COMPLETED, watermark=True
        )
    project = project_create(owner=bob, title="Weekend at the lake", resolution="1080p")
    for index, colour in enumerate([(200, 120, 60), (60, 140, 200), (90, 180, 90)]):
        add_photo(project, jpeg_bytes((640, 480), colour=colour), name=f"IMG_{index}.JPG")
    # A real render worker (Celery, FFmpeg) on the test database, the files on this machine.
    worker = Worker("billing", tmp_path, broker, {}).start()
    page = signed_in_page(browser, base, bob)
    editor = f"{base}/projects/{project.public_id}/"

    try:
        page.goto(editor)
        page.get_by_role("button", name="Make the video").click()
        limit = page.locator(".message", has_text="videos your plan")
        expect(limit).to_be_visible()
        expect(limit.get_by_role("link", name="Upgrade")).to_be_visible()
        shot(page, "6-render-limit")
        assert not GeneratedVideo.objects.filter(project=project).exists()

        limit.get_by_role("link", name="Upgrade").click()
        page.get_by_role("button", name="Upgrade to Plus").click()
        page.get_by_role("button", name="Pay").click()
        expect(page.get_by_role("heading", name="Welcome to Plus!")).to_be_visible()

        page.goto(editor)
        page.get_by_role("button", name="Make the video").click()
        expect(page.locator("#player")).to_be_visible(timeout=240_000)
        shot(page, "7-rendered-on-plus")
    finally:
        worker.stop()

    video = GeneratedVideo.objects.get(project=project)
    assert video.status == VideoStatus.COMPLETED, worker.tail()
    assert (video.watermark, video.height) == (False, 1080)
    page.goto(f"{base}/billing/")
    expect(page.locator('[data-limit="renders_per_month"]')).to_contain_text("4 / 20")
    assert page.errors == []  # type: ignore[attr-defined]
