"""Find and remove stored project files that no photo points at; report photos whose file is
missing. Dry run unless --delete."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from projects.cleanup import media_cleanup


class Command(BaseCommand):
    help = "Remove orphaned project media (with --delete) and report photos missing their file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="delete the orphans found")
        parser.add_argument("--prefix", default="", help="only under this key prefix (a user)")

    def handle(self, *args: Any, delete: bool = False, prefix: str = "", **options: Any) -> None:
        report = media_cleanup(delete=delete, prefix=prefix)
        for key in report.orphans:
            self.stdout.write(f"orphan  {key}")
        for photo_id, key in report.missing:
            self.stdout.write(f"missing photo {photo_id}: {key}")
        verb = "deleted" if delete else "found (dry run; --delete removes them)"
        self.stdout.write(
            f"{len(report.orphans)} orphaned object(s) {verb}; "
            f"{len(report.missing)} missing file(s) reported."
        )
