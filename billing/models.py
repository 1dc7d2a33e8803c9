"""Billing's own tables. Stripe's objects (customers, subscriptions…) live in dj-stripe's."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import User


class ComplimentaryPlan(models.Model):
    """A plan staff granted by hand until a date: no Stripe involved (press, partners, support)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="complimentary_plan"
    )
    plan = models.CharField(max_length=32)
    until = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "billing_complimentary_plans"

    def __str__(self) -> str:
        return f"{self.plan} until {self.until:%Y-%m-%d}"


class Subscriber(User):
    """Users as the billing admin sees them: plan, status, usage and the billing actions."""

    class Meta:
        proxy = True
        verbose_name = "subscriber"
        verbose_name_plural = "subscribers"
