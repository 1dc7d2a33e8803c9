"""Signal receivers for dj-stripe's webhook events: thin, they hand the event to one function."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_changed
from django.db import transaction
from djstripe.models import Event, WebhookEventTrigger
from djstripe.signals import WEBHOOK_SIGNALS, webhook_pre_process

from billing.webhooks import PLAN_EVENTS, stripe_event_received, webhook_customer_lock


def on_stripe_event(sender: Any, event: Event, **kwargs: Any) -> None:
    stripe_event_received(event=event)


def on_webhook_pre_process(sender: Any, instance: WebhookEventTrigger, **kwargs: Any) -> None:
    webhook_customer_lock(trigger=instance)


def on_email_changed(sender: Any, user: Any, **kwargs: Any) -> None:
    # Stripe sends receipts and invoices to the address it has: keep it the user's own.
    from billing.tasks import billing_customer_email_sync

    user_id = user.pk
    transaction.on_commit(lambda: billing_customer_email_sync.delay(user_id=user_id))


def connect() -> None:
    email_changed.connect(on_email_changed, dispatch_uid="billing:customer-email")
    webhook_pre_process.connect(on_webhook_pre_process, dispatch_uid="billing:customer-lock")
    for name in PLAN_EVENTS:
        WEBHOOK_SIGNALS[name].connect(on_stripe_event, sender=Event, dispatch_uid=f"billing:{name}")
