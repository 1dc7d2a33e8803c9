"""Re-queue render jobs whose worker vanished and resend queued jobs nobody picked up."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from rendering.services import videos_sweep


class Command(BaseCommand):
    help = (
        "Re-queue render jobs whose lease expired (their worker died), fail those out of "
        "attempts, and resend queued jobs whose broker message may be lost. Beat runs the same "
        "sweep every RENDER_SWEEP_SECONDS; this is for operators after an incident."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = videos_sweep()
        if options["json"]:
            self.stdout.write(json.dumps(counts))
            return
        self.stdout.write(
            f"re-queued {counts['requeued']}, failed {counts['failed']} (out of attempts), "
            f"resent {counts['resent']} queued job(s)"
        )
