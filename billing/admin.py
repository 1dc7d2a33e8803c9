"""Staff view of customers' plans, with actions that call billing services.

dj-stripe's own admin pages (customers, subscriptions, invoices, webhook events) stay available
to superusers next to this one.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from billing.catalogue import PLANS
from billing.errors import BillingError
from billing.models import ComplimentaryPlan, Subscriber
from billing.selectors import plan_state, renders_this_month_count
from billing.services import (
    complimentary_plan_grant,
    entitlements_invalidate_on_commit,
    subscription_cancel_at_period_end,
    subscription_resync,
)


class GrantFields(forms.Form):
    plan = forms.ChoiceField(
        choices=[("", "—")] + [(p.key, p.name) for p in PLANS if p.is_paid], required=False
    )
    until = forms.DateField(required=False, help_text="complimentary plan until (YYYY-MM-DD)")


class GrantForm(ActionForm, GrantFields):
    """The action bar with the plan and date the grant action needs."""


class ComplimentaryPlanInline(admin.StackedInline):  # type: ignore[type-arg]
    model = ComplimentaryPlan
    fk_name = "user"
    extra = 0
    readonly_fields = ("granted_by", "created_at")


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    action_form = GrantForm
    list_display = ("email", "plan", "subscription_status", "renders_this_month")
    search_fields = ("email", "full_name", "public_id")
    fields = ("email", "full_name", "plan", "subscription_status", "renders_this_month")
    readonly_fields = fields
    inlines = [ComplimentaryPlanInline]
    actions = ["cancel_at_period_end", "grant_complimentary_plan", "resync_from_stripe"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people sign up; staff manage plans here

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # A complimentary plan edited inline bypasses the service: forget the cached plan too.
        entitlements_invalidate_on_commit(user_id=form.instance.pk)

    @admin.display(description="plan")
    def plan(self, obj: Subscriber) -> str:
        state = plan_state(user=obj)
        return state.plan if state.source != "complimentary" else f"{state.plan} (complimentary)"

    @admin.display(description="subscription status")
    def subscription_status(self, obj: Subscriber) -> str:
        return plan_state(user=obj).status or "—"

    @admin.display(description="renders this month")
    def renders_this_month(self, obj: Subscriber) -> str:
        return str(renders_this_month_count(user=obj))

    @admin.action(description="Cancel subscription at period end")
    def cancel_at_period_end(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        self._each(
            request, queryset, lambda u: subscription_cancel_at_period_end(user=u), "cancelled"
        )

    @admin.action(description="Resync subscriptions from Stripe")
    def resync_from_stripe(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        self._each(request, queryset, lambda u: subscription_resync(user=u), "resynced")

    @admin.action(description="Grant complimentary plan (choose plan and date)")
    def grant_complimentary_plan(
        self, request: HttpRequest, queryset: QuerySet[Subscriber]
    ) -> None:
        form = GrantFields(request.POST)
        if not form.is_valid() or not form.cleaned_data["plan"] or not form.cleaned_data["until"]:
            self.message_user(request, "Choose a plan and a date.", messages.ERROR)
            return
        until = timezone.make_aware(datetime.combine(form.cleaned_data["until"], time.max))
        plan = form.cleaned_data["plan"]
        self._each(
            request,
            queryset,
            lambda u: complimentary_plan_grant(
                user=u, plan=plan, until=until, granted_by=request.user
            ),
            f"granted {plan}",
        )

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Subscriber], act: Any, done: str
    ) -> None:
        count = 0
        for user in queryset:
            try:
                act(user)
            except BillingError as exc:
                self.message_user(request, f"{user.email}: {exc.message}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{done}: {count} user(s)", messages.SUCCESS)
