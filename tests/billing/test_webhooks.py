"""Stripe's webhooks, signed as Stripe signs them, posted to dj-stripe's endpoint."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from djstripe.models import Customer, Event, Subscription, WebhookEventTrigger

from accounts.models import User
from billing.entitlements import get_entitlements
from billing.selectors import plan_cache_key
from tests.billing.conftest import Webhook
from tests.billing.fake_stripe import FakeStripe, sign_payload

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_paid_checkout_puts_the_customer_on_the_plan(
    bob: User,
    subscribe: Callable[..., dict[str, Any]],
    webhook: Webhook,
    django_assert_num_queries: Any,
) -> None:
    assert get_entitlements(user=bob).plan == "free"  # warms the cache: the webhook must clear it

    subscribe(bob, "photomemory_pro_monthly")

    assert [r.status_code for r in webhook.responses] == [200, 200, 200]
    # The recompute was enqueued with the event (run in-process here): the cache is warm again.
    assert cache.get(plan_cache_key(bob.pk)) == "pro"
    with django_assert_num_queries(0):
        limits = get_entitlements(user=bob)
    assert (limits.plan, limits.max_resolution, limits.watermark) == ("pro", "2160p", False)
    assert Subscription.objects.get(customer__subscriber=bob).stripe_data["status"] == "active"


def test_a_bad_or_missing_signature_is_refused_and_changes_nothing(
    bob: User, subscribe: Callable[..., dict[str, Any]], webhook: Webhook, catalogue: FakeStripe
) -> None:
    catalogue.deliver = lambda url, payload, signature: None  # Stripe's own deliveries get lost
    sub = subscribe(bob)
    event = catalogue.events[0]
    body = json.dumps(event)

    forged = webhook.post(body, signature=sign_payload(body, "whsec_someone_else"))
    missing = webhook.post(body)
    tampered = webhook.post(
        body.replace('"active"', '"trialing"'), signature=sign_payload(body, webhook.secret)
    )

    assert (forged.status_code, missing.status_code, tampered.status_code) == (400, 400, 400)
    assert not Subscription.objects.filter(id=sub["id"]).exists()
    assert not Event.objects.exists()
    assert get_entitlements(user=bob).plan == "free"


def test_an_old_timestamp_is_refused(
    bob: User, subscribe: Callable[..., dict[str, Any]], webhook: Webhook, catalogue: FakeStripe
) -> None:
    catalogue.deliver = lambda url, payload, signature: None
    subscribe(bob)
    an_hour_ago = int(time.time()) - 3600

    response = webhook.send(catalogue.events[0], timestamp=an_hour_ago)

    assert response.status_code == 400
    assert get_entitlements(user=bob).plan == "free"


def test_the_same_event_twice_gives_one_state_and_no_error(
    bob: User, subscribe: Callable[..., dict[str, Any]], webhook: Webhook, catalogue: FakeStripe
) -> None:
    subscribe(bob)
    first = catalogue.events[0]

    again = webhook.send(first)

    assert again.status_code == 200
    assert Event.objects.filter(id=first["id"]).count() == 1
    assert Subscription.objects.filter(customer__subscriber=bob).count() == 1
    assert get_entitlements(user=bob).plan == "plus"


def test_events_in_the_wrong_order_end_in_stripes_current_state(
    bob: User, subscribe: Callable[..., dict[str, Any]], webhook: Webhook, catalogue: FakeStripe
) -> None:
    sub = subscribe(bob)
    catalogue.portal_cancel(sub["id"])
    catalogue.advance_to_period_end(sub["id"])
    created = next(e for e in catalogue.events if e["type"] == "customer.subscription.created")
    stale = dict(created, id="evt_replayed_late")  # an old "created/active" arriving last

    assert webhook.send(stale).status_code == 200

    # dj-stripe re-reads the subscription from Stripe: the late event cannot revive it.
    assert Subscription.objects.get(id=sub["id"]).stripe_data["status"] == "canceled"
    assert get_entitlements(user=bob).plan == "free"


def test_two_events_at_once_give_one_correct_state(
    bob: User, subscribe: Callable[..., dict[str, Any]], webhook: Webhook, catalogue: FakeStripe
) -> None:
    assert connection.vendor == "postgresql"
    held: list[tuple[str, str, str]] = []
    catalogue.deliver = lambda *args: held.append(args)
    sub = subscribe(bob)
    catalogue.portal_cancel(sub["id"])
    created, *_, updated = [json.loads(payload) for _url, payload, _sig in held]
    assert (created["type"], updated["type"]) == (
        "customer.subscription.created",
        "customer.subscription.updated",
    )
    # The same two events, each delivered twice, all four at once.
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def deliver(event: dict[str, Any]) -> None:
        try:
            barrier.wait()
            codes.append(webhook.send(event).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(e,)) for e in (created, updated) * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert codes == [200, 200, 200, 200]
    assert Subscription.objects.filter(id=sub["id"]).count() == 1
    assert Event.objects.filter(id__in=[created["id"], updated["id"]]).count() == 2
    assert Subscription.objects.get(id=sub["id"]).stripe_data["cancel_at_period_end"] is True
    assert get_entitlements(user=bob).plan == "plus"  # paid until the period ends


def test_subscription_deleted_drops_the_customer_to_free_and_tells_them(
    bob: User, subscribe: Callable[..., dict[str, Any]], webhook: Webhook, catalogue: FakeStripe
) -> None:
    sub = subscribe(bob)
    assert get_entitlements(user=bob).plan == "plus"
    catalogue.portal_cancel(sub["id"])
    assert get_entitlements(user=bob).plan == "plus"
    mail.outbox.clear()

    catalogue.advance_to_period_end(sub["id"])

    assert webhook.responses[-1].status_code == 200
    assert get_entitlements(user=bob).plan == "free"
    assert [m.subject for m in mail.outbox] == ["[PhotoMemory AI] Your subscription has ended"]
    assert mail.outbox[0].to == ["bob@example.com"]


def test_a_failed_renewal_keeps_the_plan_for_the_grace_period_and_sends_an_email(
    bob: User,
    subscribe: Callable[..., dict[str, Any]],
    webhook: Webhook,
    catalogue: FakeStripe,
    settings: Any,
) -> None:
    sub = subscribe(bob)
    mail.outbox.clear()

    catalogue.renewal_fails(sub["id"])

    assert Subscription.objects.get(id=sub["id"]).stripe_data["status"] == "past_due"
    assert get_entitlements(user=bob).plan == "plus"
    assert [m.subject for m in mail.outbox] == ["[PhotoMemory AI] Your payment did not go through"]
    assert "billing/" in mail.outbox[0].body

    settings.BILLING_PAST_DUE_GRACE_DAYS = 0
    from billing.services import entitlements_invalidate

    entitlements_invalidate(user_id=bob.pk)
    assert get_entitlements(user=bob).plan == "free"


def test_an_event_for_a_customer_who_is_none_of_our_users_is_recorded(
    bob: User, webhook: Webhook, catalogue: FakeStripe
) -> None:
    # A customer someone made in Stripe's dashboard, subscribed there.
    stranger = catalogue.customers_post(None, {"email": "walk-in@example.com"})
    price = next(iter(catalogue.table("prices").values()))
    sub = catalogue.subscription_create(customer=stranger["id"], price=price)
    event = catalogue.emit("customer.subscription.created", sub)
    catalogue.outbox.clear()

    response = webhook.send(event)

    assert response.status_code == 200
    assert Event.objects.filter(id=event["id"]).exists()
    assert WebhookEventTrigger.objects.filter(valid=True, processed=True).count() == 1
    assert Customer.objects.get(id=stranger["id"]).subscriber is None
    assert get_entitlements(user=bob).plan == "free"


def test_a_plan_switch_in_the_portal_gives_the_new_plan_only(
    bob: User, subscribe: Callable[..., dict[str, Any]], webhook: Webhook, catalogue: FakeStripe
) -> None:
    sub = subscribe(bob, "photomemory_pro_monthly")
    assert get_entitlements(user=bob).plan == "pro"
    plus = next(
        p["id"]
        for p in catalogue.table("prices").values()
        if p["lookup_key"] == "photomemory_plus_monthly"
    )

    catalogue.portal_switch(sub["id"], plus)

    assert webhook.responses[-1].status_code == 200
    # The replaced Pro item is still in dj-stripe's table; it gives nothing any more.
    assert get_entitlements(user=bob).plan == "plus"
