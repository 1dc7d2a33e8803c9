"""Register dj-stripe's webhook endpoint at Stripe for this site, and print its URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing.errors import BillingError
from billing.services import webhook_endpoint_register


class Command(BaseCommand):
    help = "Register the Stripe webhook endpoint (once per base URL) and store its signing secret."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url", default=settings.SITE_URL, help="e.g. https://example.com"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            endpoint = webhook_endpoint_register(base_url=options["base_url"])
        except BillingError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"webhook endpoint {endpoint.id}: {endpoint.url}")
