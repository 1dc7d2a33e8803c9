"""Reads: which plan a user is on and why, their usage, invoices, and the public price list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from djstripe.models import Invoice, Price, Subscription, SubscriptionItem

from billing import entitlements as _entitlements
from billing.catalogue import PLAN_METADATA_KEY, PLANS, PLANS_BY_KEY, PlanSpec
from billing.entitlements import Entitlements
from billing.models import ComplimentaryPlan

GOOD_STANDING = ("active", "trialing")
CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class PlanState:
    """Why a user has the plan they have."""

    plan: str
    source: str  # "subscription" | "complimentary" | "default"
    status: str = ""  # the subscription's Stripe status, when there is one
    subscription: Subscription | None = None
    period_end: datetime | None = None
    cancel_at_period_end: bool = False
    # When the answer changes by itself (grace or complimentary plan runs out, a cancelled
    # subscription reaches its period end): the cache must not outlive it.
    changes_at: datetime | None = None


def entitlements_for_plan(plan: str) -> Entitlements:
    if plan == "free" or plan not in PLANS_BY_KEY:
        return _entitlements.FREE  # read at call time, so an operator (or a test) can adjust it
    return PLANS_BY_KEY[plan].entitlements


def plan_cache_key(user_id: int) -> str:
    return f"billing:plan:v{CACHE_VERSION}:{user_id}"


def plan_key_cached(*, user: Any) -> str:
    """The user's plan key, from the cache when it is warm (no database query)."""
    if user is None or getattr(user, "pk", None) is None or not user.is_authenticated:
        return "free"
    key = plan_cache_key(user.pk)
    plan = cache.get(key)
    if isinstance(plan, str):
        return plan
    state = plan_state(user=user)
    cache.set(key, state.plan, timeout=_cache_seconds(state))
    return state.plan


def _cache_seconds(state: PlanState) -> int:
    ceiling = int(settings.BILLING_ENTITLEMENTS_CACHE_SECONDS)
    if state.changes_at is None:
        return ceiling
    return max(1, min(ceiling, int((state.changes_at - timezone.now()).total_seconds()) + 1))


def plan_state(*, user: Any) -> PlanState:
    """The best plan the user holds now, from the database (dj-stripe's mirror of Stripe and
    complimentary grants). Without Stripe keys, the operator's default plan stands in for
    subscriptions."""
    return plan_states(users=[user])[user.pk]


def plan_states(*, users: Sequence[Any]) -> dict[int, PlanState]:
    """``plan_state`` for many users at once (a staff list page), in two queries."""
    now = timezone.now()
    ids = [user.pk for user in users]
    candidates: dict[int, list[PlanState]] = {pk: [] for pk in ids}
    if settings.BILLING_ENABLED:
        for user_id, state in _subscription_states(user_ids=ids, now=now):
            candidates[user_id].append(state)
    else:
        for pk in ids:
            candidates[pk].append(PlanState(plan=settings.BILLING_DEFAULT_PLAN, source="default"))
    for comp in ComplimentaryPlan.objects.filter(user_id__in=ids, until__gt=now):
        if comp.plan in PLANS_BY_KEY:
            candidates[comp.user_id].append(
                PlanState(
                    plan=comp.plan,
                    source="complimentary",
                    period_end=comp.until,
                    changes_at=comp.until,
                )
            )
    return {
        pk: max(states, key=lambda s: _rank(s.plan))
        if states
        else PlanState(plan="free", source="default")
        for pk, states in candidates.items()
    }


def _rank(plan: str) -> int:
    keys = [p.key for p in PLANS]
    return keys.index(plan) if plan in keys else 0


def _subscription_states(*, user_ids: list[int], now: datetime) -> list[tuple[int, PlanState]]:
    items = SubscriptionItem.objects.filter(
        subscription__customer__subscriber_id__in=user_ids,
        subscription__customer__livemode=settings.STRIPE_LIVE_MODE,
    ).select_related("subscription__customer", "price__product")
    states = [(item.subscription.customer.subscriber_id, _state_of(item, now)) for item in items]
    return [(user_id, s) for user_id, s in states if s is not None]


def _state_of(item: SubscriptionItem, now: datetime) -> PlanState | None:
    """The plan one subscription gives now, or None when it gives nothing."""
    sub = item.subscription
    data = sub.stripe_data
    if not is_current_item(item):
        return None
    status = str(data.get("status") or "")
    product = item.price.product if item.price else None
    plan = str((product.metadata or {}).get(PLAN_METADATA_KEY, "")) if product else ""
    if plan not in PLANS_BY_KEY:
        return None
    start, end = _period(item, sub)
    cancel_at_end = bool(data.get("cancel_at_period_end"))
    common = {"subscription": sub, "period_end": end, "cancel_at_period_end": cancel_at_end}
    if status in GOOD_STANDING:
        if cancel_at_end and end is not None:
            # Stripe ends it at period end and says so by webhook; should that webhook be late
            # or lost, the paid period still ends on time here.
            if end <= now:
                return None
            return PlanState(
                plan=plan, source="subscription", status=status, changes_at=end, **common
            )
        return PlanState(plan=plan, source="subscription", status=status, **common)
    if status == "past_due" and start is not None:
        # A renewal failed; Stripe retries the card for a while. Keep the plan for a grace
        # period from the start of the unpaid period, then Free until it is paid.
        grace_end = start + timedelta(days=settings.BILLING_PAST_DUE_GRACE_DAYS)
        if now < grace_end:
            return PlanState(
                plan=plan, source="subscription", status=status, changes_at=grace_end, **common
            )
    return None


def is_current_item(item: SubscriptionItem) -> bool:
    """Whether the item is still part of its subscription. dj-stripe keeps the rows of items a
    plan change replaced (old invoices point at them); the subscription lists the live ones."""
    listed = (item.subscription.stripe_data.get("items") or {}).get("data") or []
    return any(isinstance(entry, dict) and entry.get("id") == item.id for entry in listed)


def _period(item: SubscriptionItem, sub: Subscription) -> tuple[datetime | None, datetime | None]:
    # Since API 2025-03-31 the period lives on the subscription item; older data has it on
    # the subscription.
    item_data, sub_data = item.stripe_data, sub.stripe_data
    start = item_data.get("current_period_start") or sub_data.get("current_period_start")
    end = item_data.get("current_period_end") or sub_data.get("current_period_end")
    return _ts(start), _ts(end)


def _ts(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(int(value), tz=UTC)


# --- usage ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class UsageLine:
    label: str
    used: int | None
    allowed: int | str

    @property
    def percent(self) -> int:
        if self.used is None or not isinstance(self.allowed, int) or self.allowed <= 0:
            return 0
        return min(100, round(100 * self.used / self.allowed))


def usage_for_user(*, user: Any, limits: Entitlements) -> list[UsageLine]:
    """This month's use against each counted limit, for the billing page and the API."""
    from projects.models import VideoProject

    largest = (
        VideoProject.objects.filter(owner=user)
        .annotate(n=Count("photos"))
        .aggregate(most=Max("n"))["most"]
    )
    return [
        UsageLine(
            "renders_per_month", renders_this_month_count(user=user), limits.renders_per_month
        ),
        UsageLine("max_photos_per_project", int(largest or 0), limits.max_photos_per_project),
        UsageLine("max_resolution", None, limits.max_resolution),
        UsageLine(
            "ai_drafts_per_month", ai_drafts_this_month(user=user), limits.ai_drafts_per_month
        ),
    ]


def ai_drafts_this_month(*, user: Any) -> int:
    from projects.selectors import ai_requests_this_month

    return ai_requests_this_month(user=user)


def renders_this_month_count(*, user: Any) -> int:
    """Renders counted against this month's quota (rendering counts them; before render jobs
    existed nobody could have made one, so 0)."""
    try:
        from rendering.selectors import renders_this_month
    except ImportError:
        return 0
    return int(renders_this_month(user=user))


# --- invoices and prices ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class InvoiceLine:
    number: str
    created: datetime | None
    amount: int
    currency: str
    status: str
    url: str

    @property
    def display_amount(self) -> str:
        return f"{self.amount / 100:.2f} {self.currency.upper()}"


def invoices_for_user(*, user: Any, limit: int = 12) -> list[InvoiceLine]:
    invoices = Invoice.objects.filter(customer__subscriber=user).order_by("-created")[:limit]
    return [
        InvoiceLine(
            number=str(inv.stripe_data.get("number") or inv.id),
            created=inv.created,
            amount=int(
                inv.stripe_data.get("amount_paid") or inv.stripe_data.get("amount_due") or 0
            ),
            currency=str(inv.stripe_data.get("currency") or "eur"),
            status=str(inv.stripe_data.get("status") or ""),
            url=str(inv.stripe_data.get("hosted_invoice_url") or ""),
        )
        for inv in invoices
    ]


@dataclass(frozen=True, slots=True)
class PlanOffer:
    """One plan on the pricing page, with its Stripe prices when they are synced."""

    spec: PlanSpec
    prices: dict[str, Price] = field(default_factory=dict)  # interval → Price

    def price_for(self, interval: str) -> Price | None:
        return self.prices.get(interval)

    def amount_for(self, interval: str) -> str:
        """``"6.99 €"`` from the synced price (what Stripe will charge), or ``""``."""
        price = self.prices.get(interval)
        if price is None:
            return ""
        cents = int(price.stripe_data.get("unit_amount") or 0)
        symbol = {"eur": "€", "usd": "$", "gbp": "£"}.get(str(price.currency), str(price.currency))
        return f"{cents / 100:.2f} {symbol}"


def plan_offers() -> list[PlanOffer]:
    """The catalogue, each paid plan with its active synced prices (none when billing is off)."""
    by_lookup: dict[str, Price] = {}
    if settings.BILLING_ENABLED:
        lookups = [p.lookup_key(plan.key) for plan in PLANS for p in plan.prices]
        prices = Price.objects.filter(
            lookup_key__in=lookups, active=True, livemode=settings.STRIPE_LIVE_MODE
        ).select_related("product")
        by_lookup = {str(price.lookup_key): price for price in prices}
    return [
        PlanOffer(
            spec=plan,
            prices={
                p.interval: by_lookup[p.lookup_key(plan.key)]
                for p in plan.prices
                if p.lookup_key(plan.key) in by_lookup
            },
        )
        for plan in PLANS
    ]


def price_offered(*, price_id: str) -> tuple[PlanSpec, Price] | None:
    """The catalogue plan and synced Price for ``price_id``, or None when we do not sell it."""
    for offer in plan_offers():
        for price in offer.prices.values():
            if price.id == price_id:
                return offer.spec, price
    return None


def subscription_current(*, user: Any) -> Subscription | None:
    """The subscription that gives the user their plan, if any."""
    state = plan_state(user=user)
    return state.subscription


def subscriptions_open(*, user: Any) -> list[Subscription]:
    """Subscriptions Stripe still bills or retries (anything not ended)."""
    subs = Subscription.objects.filter(
        customer__subscriber=user, customer__livemode=settings.STRIPE_LIVE_MODE
    )
    return [
        s
        for s in subs
        if s.stripe_data.get("status") in (*GOOD_STANDING, "past_due", "unpaid", "incomplete")
    ]


# --- reports ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BillingReport:
    active_by_plan: dict[str, int]
    mrr_cents: dict[str, int]  # per currency; yearly prices count a twelfth
    past_due: int


def billing_report() -> BillingReport:
    """Subscribers in good standing per plan, monthly recurring revenue, and past_due count."""
    active: dict[str, int] = {plan.key: 0 for plan in PLANS if plan.is_paid}
    mrr: dict[str, int] = {}
    past_due = 0
    items = SubscriptionItem.objects.filter(
        subscription__livemode=settings.STRIPE_LIVE_MODE
    ).select_related("subscription", "price__product")
    for item in items:
        if not is_current_item(item):
            continue
        status = item.subscription.stripe_data.get("status")
        if status == "past_due":
            past_due += 1
        if status not in GOOD_STANDING or item.price is None or item.price.product is None:
            continue
        plan = str((item.price.product.metadata or {}).get(PLAN_METADATA_KEY, ""))
        active[plan] = active.get(plan, 0) + 1
        price = item.price.stripe_data
        amount = int(price.get("unit_amount") or 0) * int(item.stripe_data.get("quantity") or 1)
        interval = (price.get("recurring") or {}).get("interval", "month")
        monthly = amount // 12 if interval == "year" else amount
        currency = str(price.get("currency") or "eur")
        mrr[currency] = mrr.get(currency, 0) + monthly
    return BillingReport(active_by_plan=active, mrr_cents=mrr, past_due=past_due)
