"""Staff view of customers' plans, with actions that call billing services.

The plan and usage columns (shared with the users page, accounts/admin.py) are worked out for a
whole page of users at once: two queries for the plans, subqueries for the counts.
dj-stripe's own admin pages (customers, subscriptions, invoices, webhook events) stay available
to superusers under "Stripe (dj-stripe)".
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from billing.catalogue import PLANS
from billing.errors import BillingError
from billing.models import ComplimentaryPlan, Subscriber
from billing.selectors import PlanState, entitlements_for_plan, plan_state, plan_states
from billing.services import (
    complimentary_plan_grant,
    entitlements_invalidate_on_commit,
    subscription_cancel_at_period_end,
    subscription_resync,
)
from projects.models import VideoProject
from rendering.models import GeneratedVideo
from rendering.selectors import COUNTED, month_start


def count_of(queryset: QuerySet[Any], owner: str) -> Coalesce:
    """A per-user count as a subquery: no join fan-out, one query for the whole page."""
    counts = (
        queryset.filter(**{owner: OuterRef("pk")}).order_by().values(owner).annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), 0)


def with_usage(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Users with their project, video and this month's render counts (as the quota counts)."""
    renders = GeneratedVideo.objects.filter(created_at__gte=month_start(), status__in=COUNTED)
    annotated: QuerySet[Any] = queryset.annotate(
        n_projects=count_of(VideoProject.objects.all(), "owner"),
        n_videos=count_of(GeneratedVideo.objects.all(), "owner"),
        n_renders_month=count_of(renders, "owner"),
    )
    return annotated


class PlanColumns:
    """List columns for plan, subscription status and this month's renders against the quota."""

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        changelist: ChangeList = super().get_changelist_instance(request)  # type: ignore[misc]
        users = list(changelist.result_list)  # the page, fetched once; the template reuses it
        states = plan_states(users=users)
        for user in users:
            user.plan_state = states[user.pk]
        return changelist

    @staticmethod
    def state_of(obj: Any) -> PlanState:
        return getattr(obj, "plan_state", None) or plan_state(user=obj)

    @admin.display(description="plan")
    def plan(self, obj: Any) -> str:
        state = self.state_of(obj)
        return state.plan if state.source != "complimentary" else f"{state.plan} (complimentary)"

    @admin.display(description="subscription status")
    def subscription_status(self, obj: Any) -> str:
        return self.state_of(obj).status or "—"

    @admin.display(description="renders this month", ordering="n_renders_month")
    def renders_this_month(self, obj: Any) -> str:
        limit = entitlements_for_plan(self.state_of(obj).plan).renders_per_month
        return f"{obj.n_renders_month} / {limit}"


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
class SubscriberAdmin(PlanColumns, admin.ModelAdmin):  # type: ignore[type-arg]
    action_form = GrantForm
    list_display = ("email", "plan", "subscription_status", "renders_this_month")
    search_fields = ("email", "full_name", "public_id")
    fields = (
        "email",
        "user_page",
        "full_name",
        "plan",
        "subscription_status",
        "renders_this_month",
    )
    readonly_fields = fields
    inlines = [ComplimentaryPlanInline]
    actions = ["cancel_at_period_end", "grant_complimentary_plan", "resync_from_stripe"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Subscriber]:
        return with_usage(super().get_queryset(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people sign up; staff manage plans here

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # A complimentary plan edited inline bypasses the service: forget the cached plan too.
        entitlements_invalidate_on_commit(user_id=form.instance.pk)

    @admin.display(description="user page")
    def user_page(self, obj: Subscriber) -> str:
        url = reverse("admin:accounts_user_change", args=[obj.pk])
        return format_html('<a href="{}">Projects, videos and usage</a>', url)

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
