"""Celery tasks for billing: thin, they take ids and call one service."""

from __future__ import annotations

import stripe
from celery import shared_task

from billing.emails import billing_email_send_now
from billing.services import customer_email_sync, entitlements_refresh

# Stripe unreachable, failing or rate-limiting us: worth trying again later.
STRIPE_TRANSIENT = (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)  # type: ignore[untyped-decorator]
def billing_email_send(*, kind: str, user_id: int) -> None:
    billing_email_send_now(kind=kind, user_id=user_id)


@shared_task(autoretry_for=STRIPE_TRANSIENT, retry_backoff=True, max_retries=8)  # type: ignore[untyped-decorator]
def billing_customer_email_sync(*, user_id: int) -> None:
    customer_email_sync(user_id=user_id)


@shared_task(ignore_result=True)  # type: ignore[untyped-decorator]
def billing_entitlements_refresh(*, user_id: int) -> None:
    entitlements_refresh(user_id=user_id)
