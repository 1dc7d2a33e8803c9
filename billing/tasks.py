"""Celery tasks for billing: thin, they take ids and call one service."""

from __future__ import annotations

from celery import shared_task

from billing.emails import billing_email_send_now


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)  # type: ignore[untyped-decorator]
def billing_email_send(*, kind: str, user_id: int) -> None:
    billing_email_send_now(kind=kind, user_id=user_id)
