"""Upgrading: Checkout sessions for our prices only, success and cancel pages, the portal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from djstripe.models import Customer

from accounts.models import User
from billing.entitlements import get_entitlements
from tests.billing.conftest import Webhook, price_id
from tests.billing.fake_stripe import FakeStripe

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_checkout_sends_the_customer_to_stripe_for_a_subscription(
    bob: User, catalogue: FakeStripe
) -> None:
    plus = price_id(catalogue, "photomemory_plus_monthly")

    response = signed_in(bob).post("/billing/checkout/", {"price_id": plus})

    assert response.status_code == 302
    assert response["Location"].startswith(f"{catalogue.url}/pay/cs_test_")
    session = next(iter(catalogue.table("checkout_sessions").values()))
    assert session["mode"] == "subscription"
    assert session["line_items_price"] == plus
    customer = Customer.objects.get(subscriber=bob)
    assert session["customer"] == customer.id
    assert catalogue.get("customers", customer.id)["email"] == "bob@example.com"
    assert session["success_url"].endswith("/billing/success/?session_id={CHECKOUT_SESSION_ID}")


def test_a_double_click_gets_the_same_checkout_session(bob: User, catalogue: FakeStripe) -> None:
    plus = price_id(catalogue, "photomemory_plus_monthly")
    client = signed_in(bob)

    first = client.post("/billing/checkout/", {"price_id": plus})
    second = client.post("/billing/checkout/", {"price_id": plus})

    assert first["Location"] == second["Location"]
    assert len(catalogue.table("checkout_sessions")) == 1
    assert Customer.objects.filter(subscriber=bob).count() == 1


@pytest.mark.parametrize(
    "tampered", ["price_someone_elses", "", "photomemory_plus_monthly", "archived"]
)
def test_a_price_that_is_not_ours_is_refused(
    tampered: str, bob: User, catalogue: FakeStripe
) -> None:
    if tampered == "archived":
        old = price_id(catalogue, "photomemory_pro_yearly")
        catalogue.get("prices", old)["active"] = False
        from djstripe.models import Price

        Price.objects.filter(id=old).update(active=False)
        tampered = old

    web = signed_in(bob).post("/billing/checkout/", {"price_id": tampered})
    api = signed_in(bob).post(
        "/api/v1/billing/checkout/", {"price_id": tampered or "x"}, content_type="application/json"
    )

    assert web.status_code == 400
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "unknown_price"
    assert catalogue.table("checkout_sessions") == {}


def test_the_success_page_confirms_the_plan_before_the_webhook_arrives(
    bob: User, catalogue: FakeStripe
) -> None:
    catalogue.deliver = lambda *args: None  # the webhook is late
    client = signed_in(bob)
    url = client.post(
        "/billing/checkout/", {"price_id": price_id(catalogue, "photomemory_pro_monthly")}
    )["Location"]
    session_id = url.rsplit("/", 1)[1]
    catalogue.checkout_complete(session_id)

    page = client.get(f"/billing/success/?session_id={session_id}")

    assert page.status_code == 200
    assert "Welcome to Pro!" in page.content.decode()
    assert get_entitlements(user=bob).plan == "pro"


def test_the_success_page_does_not_show_someone_elses_checkout(
    bob: User, charlie: User, catalogue: FakeStripe
) -> None:
    url = signed_in(bob).post(
        "/billing/checkout/", {"price_id": price_id(catalogue, "photomemory_pro_monthly")}
    )["Location"]
    session_id = url.rsplit("/", 1)[1]
    catalogue.checkout_complete(session_id)

    page = signed_in(charlie).get(f"/billing/success/?session_id={session_id}", follow=True)

    assert "could not find that checkout" in page.content.decode()
    assert get_entitlements(user=charlie).plan == "free"


def test_the_cancel_page_says_nothing_was_charged(bob: User) -> None:
    page = signed_in(bob).get("/billing/cancel/")
    assert page.status_code == 200
    assert "nothing was charged" in page.content.decode()


def test_a_subscriber_is_sent_to_the_portal_not_to_a_second_checkout(
    bob: User, subscribe: Callable[..., dict[str, Any]], catalogue: FakeStripe, webhook: Webhook
) -> None:
    subscribe(bob)
    client = signed_in(bob)

    again = client.post(
        "/billing/checkout/", {"price_id": price_id(catalogue, "photomemory_pro_monthly")}
    )
    portal = client.post("/billing/portal/")

    assert again.status_code == 302 and again["Location"] == "/billing/"
    assert portal.status_code == 302
    assert portal["Location"].startswith(f"{catalogue.url}/portal/bps_")
    session = next(iter(catalogue.table("portal_sessions").values()))
    assert session["customer"] == Customer.objects.get(subscriber=bob).id
    assert session["return_url"] == "http://testserver/billing/"


def test_the_portal_needs_a_customer_first(bob: User, catalogue: FakeStripe) -> None:
    response = signed_in(bob).post("/billing/portal/", follow=True)
    assert "no subscription to manage" in response.content.decode()


def test_a_customer_whose_payment_failed_fixes_it_in_the_portal_not_with_a_new_checkout(
    bob: User, subscribe: Callable[..., dict[str, Any]], catalogue: FakeStripe, webhook: Webhook
) -> None:
    sub = subscribe(bob)
    catalogue.renewal_fails(sub["id"])

    response = signed_in(bob).post(
        "/api/v1/billing/checkout/",
        {"price_id": price_id(catalogue, "photomemory_pro_monthly")},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_subscribed"


def test_when_stripe_is_unreachable_the_customer_is_asked_to_try_again(
    bob: User, catalogue: FakeStripe, monkeypatch: pytest.MonkeyPatch
) -> None:
    plus = price_id(catalogue, "photomemory_plus_monthly")
    import stripe

    monkeypatch.setattr(stripe, "api_base", "http://127.0.0.1:9")  # nothing listens there

    web = signed_in(bob).post("/billing/checkout/", {"price_id": plus}, follow=True)
    api = signed_in(bob).post(
        "/api/v1/billing/checkout/", {"price_id": plus}, content_type="application/json"
    )

    assert "Payments are unavailable for a moment" in web.content.decode()
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "payments_unavailable"


def test_a_new_primary_email_reaches_stripe_for_receipts_and_invoices(
    bob: User, catalogue: FakeStripe
) -> None:
    client = signed_in(bob)
    client.post("/billing/checkout/", {"price_id": price_id(catalogue, "photomemory_plus_monthly")})
    customer = Customer.objects.get(subscriber=bob)
    EmailAddress.objects.create(user=bob, email="robert@example.com", verified=True)

    response = client.post(
        "/accounts/email/", {"action_primary": "", "email": "robert@example.com"}
    )

    assert response.status_code == 302
    assert catalogue.get("customers", customer.id)["email"] == "robert@example.com"
    customer.refresh_from_db()
    assert customer.email == "robert@example.com"
