"""Queue depth, running and failed jobs, and render times, for operators."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rendering.selectors import video_stats


class Command(BaseCommand):
    help = "Render queue depth, running and stuck jobs, failures and p50/p95 render time."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours", type=float, default=24.0, help="window (default 24)")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] <= 0:
            raise CommandError("--hours must be more than 0")
        stats = video_stats(since=timedelta(hours=options["hours"]))
        if options["json"]:
            self.stdout.write(json.dumps(stats))
            return
        window = f"last {options['hours']:g} h"
        self.stdout.write(f"queued       {stats['queued']}")
        self.stdout.write(f"processing   {stats['processing']} ({stats['stuck']} past their lease)")
        self.stdout.write(f"completed    {stats['completed']} ({window})")
        self.stdout.write(f"failed       {stats['failed']} ({window})")
        self.stdout.write(f"cancelled    {stats['cancelled']} ({window})")
        self.stdout.write(f"render p50   {_seconds(stats['p50_seconds'])}  (request to done)")
        self.stdout.write(f"render p95   {_seconds(stats['p95_seconds'])}")


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} s"
