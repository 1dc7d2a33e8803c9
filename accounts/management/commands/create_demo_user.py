"""Create (or reset) the demo account and print its credentials."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.services import demo_user_ensure

DEMO_EMAIL = "demo@photomemory.local"
DEMO_PASSWORD = "memories-demo-2026"  # noqa: S105 - a published local demo credential


class Command(BaseCommand):
    help = "Create or reset a demo account with a verified e-mail (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args: Any, **options: Any) -> None:
        user, created = demo_user_ensure(email=options["email"], password=options["password"])
        verb = "Created" if created else "Reset"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo account"))
        self.stdout.write(f"  e-mail:   {user.email}")
        self.stdout.write(f"  password: {options['password']}")
