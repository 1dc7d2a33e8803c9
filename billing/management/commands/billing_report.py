"""Print active subscribers per plan, monthly recurring revenue and the past_due count."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from billing.selectors import billing_report


class Command(BaseCommand):
    help = "Active subscribers per plan, MRR and past_due subscriptions."

    def handle(self, *args: Any, **options: Any) -> None:
        report = billing_report()
        self.stdout.write("Active subscribers per plan:")
        for plan, count in sorted(report.active_by_plan.items()):
            self.stdout.write(f"  {plan:<8} {count}")
        for currency, cents in sorted(report.mrr_cents.items()) or [("eur", 0)]:
            self.stdout.write(f"MRR: {cents / 100:.2f} {currency.upper()}")
        self.stdout.write(f"Past due: {report.past_due}")
