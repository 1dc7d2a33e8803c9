"""The plan catalogue, kept in code and pushed to Stripe by ``billing_sync_catalogue``.

Stripe holds one Product per paid plan (its id is ours: ``photomemory_<plan>``) and a monthly and a
yearly Price found by lookup key. The Product's metadata names the plan and mirrors its limits, so
Stripe's dashboard shows what a customer gets; the limits the app enforces come from here, keyed
by that plan name, so a typo in the dashboard cannot hand out 4K renders.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from billing.entitlements import FREE, STYLES, Entitlements

PLAN_METADATA_KEY = "photomemory_plan"
CURRENCY = "eur"


@dataclass(frozen=True, slots=True)
class PriceSpec:
    interval: str  # "month" | "year"
    unit_amount: int  # in cents

    def lookup_key(self, plan: str) -> str:
        return f"photomemory_{plan}_{self.interval}ly"


@dataclass(frozen=True, slots=True)
class PlanSpec:
    key: str
    name: str  # a brand name, the same in every language
    tagline: StrOrPromise  # shown in the reader's language
    entitlements: Entitlements
    prices: tuple[PriceSpec, ...] = ()

    @property
    def product_id(self) -> str:
        return f"photomemory_{self.key}"

    @property
    def is_paid(self) -> bool:
        return bool(self.prices)

    def price(self, interval: str) -> PriceSpec | None:
        return next((p for p in self.prices if p.interval == interval), None)


PLANS: tuple[PlanSpec, ...] = (
    PlanSpec(
        key="free",
        name="Free",
        tagline=_("Try it out: a few memory videos a month, in Full HD, with a small watermark."),
        entitlements=FREE,
    ),
    PlanSpec(
        key="plus",
        name="Plus",
        tagline=_(
            "For families: more photos, more videos, no watermark, captions in two languages."
        ),
        entitlements=Entitlements(
            plan="plus",
            max_photos_per_project=150,
            max_upload_bytes=50 * 1024 * 1024,
            max_megapixels=50.0,
            max_resolution="1080p",
            renders_per_month=20,
            watermark=False,
            styles=STYLES,
            ai_features=True,
            ai_drafts_per_month=30,
            languages_per_video=2,
        ),
        prices=(PriceSpec("month", 699), PriceSpec("year", 6900)),
    ),
    PlanSpec(
        key="pro",
        name="Pro",
        tagline=_("For storytellers: 4K, long videos, every language, priority rendering."),
        entitlements=Entitlements(
            plan="pro",
            max_photos_per_project=500,
            max_upload_bytes=100 * 1024 * 1024,
            max_megapixels=100.0,
            max_resolution="2160p",
            renders_per_month=100,
            watermark=False,
            styles=STYLES,
            ai_features=True,
            ai_drafts_per_month=100,
            ai_image_detail="high",
            languages_per_video=7,
        ),
        prices=(PriceSpec("month", 1499), PriceSpec("year", 14900)),
    ),
)

PLANS_BY_KEY = {plan.key: plan for plan in PLANS}


def plan_for_key(key: str) -> PlanSpec | None:
    return PLANS_BY_KEY.get(key)


def plan_metadata(plan: PlanSpec) -> dict[str, str]:
    """What Stripe's Product carries: the plan's name and, for people reading it, its limits."""
    limits = plan.entitlements
    return {
        PLAN_METADATA_KEY: plan.key,
        "max_photos_per_project": str(limits.max_photos_per_project),
        "renders_per_month": str(limits.renders_per_month),
        "max_resolution": limits.max_resolution,
        "watermark": "yes" if limits.watermark else "no",
        "ai_features": "yes" if limits.ai_features else "no",
        "ai_drafts_per_month": str(limits.ai_drafts_per_month),
        "languages_per_video": str(limits.languages_per_video),
    }
