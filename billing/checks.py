"""System checks: a server that takes payments must be able to verify Stripe's webhooks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def webhook_secret_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.BILLING_ENABLED and not settings.STRIPE_WEBHOOK_SECRET:
        return [
            checks.Error(
                "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: Stripe's webhooks "
                "could not be verified, so paid plans would never start or end.",
                hint="Set STRIPE_WEBHOOK_SECRET to the endpoint's signing secret (whsec_…); "
                "`manage.py billing_webhook_endpoint --base-url https://…` registers the endpoint.",
                id="billing.E001",
            )
        ]
    return []


def register() -> None:
    checks.register(webhook_secret_check, checks.Tags.security, deploy=True)
