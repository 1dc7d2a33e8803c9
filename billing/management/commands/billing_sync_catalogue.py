"""Push the plan catalogue (billing/catalogue.py) to Stripe and mirror it into dj-stripe."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from billing.errors import BillingError
from billing.services import catalogue_sync


class Command(BaseCommand):
    help = "Create or update the Stripe Products and Prices of the plan catalogue (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changes = catalogue_sync()
        except BillingError as exc:
            raise CommandError(exc.message) from None
        for line in changes:
            self.stdout.write(line)
        self.stdout.write(f"catalogue in sync ({len(changes)} change(s))")
