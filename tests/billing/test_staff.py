"""Staff: the subscribers admin with its actions, dj-stripe's pages, and billing_report."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from djstripe.models import Subscription

from accounts.models import User
from billing.entitlements import get_entitlements
from tests.billing.conftest import Webhook
from tests.billing.fake_stripe import FakeStripe

pytestmark = pytest.mark.django_db(transaction=True)
CHANGELIST = "/admin/billing/subscriber/"


def staff(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


def act(client: Client, action: str, user: User, **extra: str) -> Any:
    data = {"action": action, "index": "0", "_selected_action": [str(user.pk)], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_staff_see_each_users_plan_and_status(
    alice: User,
    bob: User,
    charlie: User,
    subscribe: Callable[..., dict[str, Any]],
    webhook: Webhook,
) -> None:
    subscribe(bob, "photomemory_pro_monthly")
    rows = staff(alice).get(CHANGELIST).content.decode().split("<tr")
    bob_row = next(r for r in rows if "bob@example.com" in r)
    charlie_row = next(r for r in rows if "charlie@example.com" in r)
    assert '<td class="field-plan">pro</td>' in bob_row
    assert '<td class="field-subscription_status">active</td>' in bob_row
    assert '<td class="field-plan">free</td>' in charlie_row


def test_staff_grant_a_complimentary_plan_until_a_date(alice: User, bob: User) -> None:
    response = act(staff(alice), "grant_complimentary_plan", bob, plan="plus", until="2099-12-31")
    assert "granted plus: 1 user(s)" in response.content.decode().lower()
    assert get_entitlements(user=bob).plan == "plus"
    assert bob.complimentary_plan.granted_by == alice  # type: ignore[attr-defined]


def test_staff_cancel_a_subscription_at_period_end(
    alice: User,
    bob: User,
    subscribe: Callable[..., dict[str, Any]],
    catalogue: FakeStripe,
    webhook: Webhook,
) -> None:
    sub = subscribe(bob)

    response = act(staff(alice), "cancel_at_period_end", bob)

    assert "cancelled: 1 user(s)" in response.content.decode().lower()
    assert catalogue.get("subscriptions", sub["id"])["cancel_at_period_end"] is True
    assert Subscription.objects.get(id=sub["id"]).stripe_data["cancel_at_period_end"] is True
    assert get_entitlements(user=bob).plan == "plus"  # until the period ends


def test_staff_resync_a_user_whose_webhooks_were_lost(
    alice: User, bob: User, subscribe: Callable[..., dict[str, Any]], catalogue: FakeStripe
) -> None:
    catalogue.deliver = lambda *args: None  # no webhook ever arrives
    subscribe(bob)
    from billing.services import customer_for_user

    assert customer_for_user(user=bob)  # the customer exists from the checkout
    assert get_entitlements(user=bob).plan == "free"

    response = act(staff(alice), "resync_from_stripe", bob)

    assert "resynced: 1 user(s)" in response.content.decode().lower()
    assert get_entitlements(user=bob).plan == "plus"


def test_djstripes_own_pages_stay_available_to_superusers(alice: User) -> None:
    client = staff(alice)
    for page in ("customer", "subscription", "invoice", "event", "webhookeventtrigger"):
        assert client.get(f"/admin/djstripe/{page}/").status_code == 200, page


def test_billing_report_prints_subscribers_mrr_and_past_due(
    bob: User,
    charlie: User,
    subscribe: Callable[..., dict[str, Any]],
    catalogue: FakeStripe,
    webhook: Webhook,
) -> None:
    subscribe(bob, "photomemory_plus_monthly")
    sub = subscribe(charlie, "photomemory_pro_yearly")
    out = StringIO()
    call_command("billing_report", stdout=out)
    report = out.getvalue()
    assert "plus     1" in report and "pro      1" in report
    assert "MRR: 19.40 EUR" in report  # 6.99 + 149.00 / 12 (12.41)
    assert "Past due: 0" in report

    catalogue.renewal_fails(sub["id"])
    out = StringIO()
    call_command("billing_report", stdout=out)
    assert "Past due: 1" in out.getvalue()
    assert "MRR: 6.99 EUR" in out.getvalue()


def test_staff_edit_a_complimentary_plan_inline_and_it_applies_at_once(
    alice: User, bob: User
) -> None:
    assert get_entitlements(user=bob).plan == "free"  # cached
    url = f"/admin/billing/subscriber/{bob.pk}/change/"
    prefix = "complimentary_plan"
    response = staff(alice).post(
        url,
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1",
            f"{prefix}-0-plan": "pro",
            f"{prefix}-0-until_0": "2099-01-01",
            f"{prefix}-0-until_1": "12:00:00",
            f"{prefix}-0-note": "press",
            f"{prefix}-0-user": str(bob.pk),
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert get_entitlements(user=bob).plan == "pro"


def test_the_webhook_endpoint_is_registered_once_and_takes_the_operators_secret(
    catalogue: FakeStripe, settings: Any
) -> None:
    out = StringIO()
    call_command(
        "billing_webhook_endpoint", "--base-url", "https://photomemory.example", stdout=out
    )
    call_command(
        "billing_webhook_endpoint", "--base-url", "https://photomemory.example", stdout=out
    )
    assert len(catalogue.table("webhook_endpoints")) == 1
    endpoint = next(iter(catalogue.table("webhook_endpoints").values()))
    assert endpoint["url"].startswith("https://photomemory.example/stripe/webhook/")
    assert endpoint["enabled_events"][0] == "checkout.session.completed"
    assert endpoint["url"] in out.getvalue()

    from djstripe.models import WebhookEndpoint

    assert WebhookEndpoint.objects.get().secret == endpoint["secret"]
    settings.STRIPE_WEBHOOK_SECRET = "whsec_rolled_in_the_dashboard"
    call_command(
        "billing_webhook_endpoint", "--base-url", "https://photomemory.example", stdout=out
    )
    assert WebhookEndpoint.objects.get().secret == "whsec_rolled_in_the_dashboard"
