"""Stripe webhooks: dj-stripe verifies and records them; this module decides what they change.

dj-stripe's handlers re-read every object from Stripe's API, so the database ends at Stripe's
current state whatever order events arrive in. Our part is small: process one customer's events
one at a time, and after commit forget the customer's cached plan and queue the e-mails.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.db import connection, transaction
from djstripe.models import Customer, Event, WebhookEventTrigger

logger = logging.getLogger(__name__)

# Events that change what a customer may do, or that we tell them about.
PLAN_EVENTS = (
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "invoice.paid",
    "invoice.payment_failed",
)
EMAIL_FOR_EVENT = {
    "invoice.payment_failed": "payment_failed",
    "customer.subscription.deleted": "subscription_cancelled",
}


def webhook_customer_lock(*, trigger: WebhookEventTrigger) -> None:
    """Before dj-stripe processes a verified event (inside its transaction): two events for one
    customer at once would both sync the same rows. A transaction-scoped lock on the customer
    makes the second wait and then see the first's work; a duplicate event then finds its Event
    row and stops."""
    customer_id = customer_id_of(trigger.json_body)
    if customer_id and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(customer_id)])


def customer_id_of(body: dict[str, Any]) -> str | None:
    obj = (body.get("data") or {}).get("object") or {}
    value = obj.get("id") if obj.get("object") == "customer" else obj.get("customer")
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _lock_id(customer_id: str) -> int:
    digest = hashlib.sha256(f"billing-customer:{customer_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def stripe_event_received(*, event: Event) -> None:
    """Receiver body for the events above: act once the transaction that synced them commits."""
    customer_id = customer_id_of({"data": event.data})
    if customer_id is None:
        return
    event_type, event_id = str(event.type), str(event.id)
    transaction.on_commit(
        lambda: stripe_event_committed(
            customer_id=customer_id, event_type=event_type, event_id=event_id
        )
    )


def stripe_event_committed(*, customer_id: str, event_type: str, event_id: str) -> None:
    from billing.services import entitlements_invalidate
    from billing.tasks import billing_email_send, billing_entitlements_refresh

    user_id = (
        Customer.objects.filter(id=customer_id).values_list("subscriber_id", flat=True).first()
    )
    if user_id is None:
        # A customer made outside the app (dashboard, another integration): recorded by
        # dj-stripe, nobody's plan to change.
        logger.info(
            "Stripe event %s for customer %s, who is none of our users", event_id, customer_id
        )
        return
    # Forget the old plan at once (no request may read it from now on), and have a worker
    # recompute it, so the customer's next page does not pay for it.
    entitlements_invalidate(user_id=user_id)
    try:
        billing_entitlements_refresh.delay(user_id=user_id)
    except Exception:  # noqa: BLE001 — the broker is down: the next read recomputes instead
        logger.warning("could not enqueue the plan refresh for user %s", user_id, exc_info=True)
    kind = EMAIL_FOR_EVENT.get(event_type)
    if kind:
        billing_email_send.delay(kind=kind, user_id=user_id)
