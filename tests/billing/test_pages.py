"""The pricing page, the account's billing page and /api/v1/billing/, with and without Stripe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from tests.billing.conftest import Webhook
from tests.billing.fake_stripe import FakeStripe

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_without_stripe_the_pricing_page_says_payments_are_not_configured(bob: User) -> None:
    anonymous = Client().get("/pricing/")
    page = signed_in(bob).get("/pricing/")

    assert anonymous.status_code == page.status_code == 200
    html = page.content.decode()
    assert "Payments are not configured" in html
    assert "Upgrade to" not in html  # nothing to buy
    assert 'data-plan="free"' in html and "Your current plan" in html


def test_without_stripe_the_billing_page_and_api_show_the_free_plan(bob: User) -> None:
    page = signed_in(bob).get("/billing/")
    api = signed_in(bob).get("/api/v1/billing/")
    checkout = signed_in(bob).post(
        "/api/v1/billing/checkout/", {"price_id": "price_x"}, content_type="application/json"
    )

    assert page.status_code == 200 and "Free plan" in page.content.decode()
    assert api.json()["plan"] == "free" and api.json()["billing_enabled"] is False
    assert api.json()["limits"]["watermark"] is True
    assert checkout.status_code == 503
    assert "not configured" in checkout.json()["error"]["message"]


def test_the_pricing_page_lists_the_synced_prices_with_a_monthly_yearly_switch(
    bob: User, catalogue: FakeStripe
) -> None:
    monthly = signed_in(bob).get("/pricing/").content.decode()
    yearly = signed_in(bob).get("/pricing/?interval=year").content.decode()

    assert "6.99 €" in monthly and "14.99 €" in monthly and "per month" in monthly
    assert "69.00 €" in yearly and "149.00 €" in yearly and "per year" in yearly
    assert monthly.count("Upgrade to") == 2
    assert "Payments are not configured" not in monthly


def test_the_pricing_page_marks_the_current_plan(
    bob: User, subscribe: Callable[..., dict[str, Any]], webhook: Webhook
) -> None:
    subscribe(bob, "photomemory_plus_monthly")
    html = signed_in(bob).get("/pricing/").content.decode()
    current = html.split('data-plan="plus"')[1].split("</li>")[0]
    assert "Your current plan" in current
    # A subscriber changes plan in Stripe's portal, not with a second subscription.
    assert "Upgrade to" not in html and "Switch to Pro" in html


def test_the_billing_page_shows_plan_renewal_usage_and_invoices(
    bob: User, subscribe: Callable[..., dict[str, Any]], webhook: Webhook
) -> None:
    subscribe(bob)

    html = signed_in(bob).get("/billing/").content.decode()

    assert "Plus plan" in html
    assert "Renews on" in html
    assert "Manage subscription" in html
    assert 'data-limit="renders_per_month"' in html and "/ 20" in html
    assert "FAKE-0001" in html and "6.99 EUR" in html
    assert "/invoice/in_" in html  # Stripe's hosted invoice


def test_the_api_gives_plan_usage_and_the_catalogue(
    bob: User, subscribe: Callable[..., dict[str, Any]], webhook: Webhook
) -> None:
    subscribe(bob, "photomemory_pro_yearly")
    client = signed_in(bob)

    overview = client.get("/api/v1/billing/").json()
    plans = Client().get("/api/v1/billing/plans/").json()
    portal = client.post("/api/v1/billing/portal/")

    assert (overview["plan"], overview["status"], overview["source"]) == (
        "pro",
        "active",
        "subscription",
    )
    assert overview["limits"]["max_resolution"] == "2160p"
    assert overview["usage"]["renders_per_month"]["allowed"] == 100
    assert [p["plan"] for p in plans["plans"]] == ["free", "plus", "pro"]
    assert {p["interval"] for p in plans["plans"][2]["prices"]} == {"month", "year"}
    assert portal.status_code == 201 and "/portal/bps_" in portal.json()["url"]


def test_the_api_checkout_gives_a_checkout_url(bob: User, catalogue: FakeStripe) -> None:
    from tests.billing.conftest import price_id

    response = signed_in(bob).post(
        "/api/v1/billing/checkout/",
        {"price_id": price_id(catalogue, "photomemory_plus_yearly")},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["url"].startswith(f"{catalogue.url}/pay/")


def test_the_billing_api_needs_a_signed_in_user() -> None:
    assert Client().get("/api/v1/billing/").status_code == 401
    assert Client().get("/billing/").status_code == 302


def test_the_openapi_schema_describes_the_billing_api(bob: User) -> None:
    schema = signed_in(bob).get("/api/v1/schema/").content.decode()
    for operation in ("billing_overview", "billing_plans", "billing_checkout", "billing_portal"):
        assert f"operationId: {operation}" in schema
    assert "BillingOverview:" in schema and "BillingLimits:" in schema
