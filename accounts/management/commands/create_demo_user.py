"""Create (or reset) the demo account and print its credentials; with ``--sample-project``, also
give it a ready-made project with a finished video."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.demo import SAMPLE_TITLE, demo_project_ensure
from accounts.services import demo_user_ensure
from rendering.errors import RenderingError

DEMO_EMAIL = "demo@photomemory.local"
DEMO_PASSWORD = "memories-demo-2026"  # noqa: S105 - a published local demo credential


class Command(BaseCommand):
    help = (
        "Create or reset a demo account with a verified e-mail (idempotent); "
        "--sample-project adds a sample project with a finished video."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument(
            "--sample-project",
            action="store_true",
            help=f"Also make “{SAMPLE_TITLE}” from the bundled photos, rendered once.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user, created = demo_user_ensure(email=options["email"], password=options["password"])
        verb = "Created" if created else "Reset"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo account"))
        self.stdout.write(f"  e-mail:   {user.email}")
        self.stdout.write(f"  password: {options['password']}")
        if options["sample_project"]:
            self.stdout.write(f"Making sure “{SAMPLE_TITLE}” has its video (made once)…")
            try:
                project, video = demo_project_ensure(user=user)
            except RenderingError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"  sample project: /projects/{project.public_id}/ "
                    f"({video.photo_count} photos, {video.duration or 0:.0f} s video)"
                )
            )
