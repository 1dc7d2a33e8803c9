"""Entitlements: one function tells every part of the app what a user may do."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from billing.entitlements import Entitlements, get_entitlements
from billing.services import complimentary_plan_grant, subscription_resync
from tests.billing.fake_stripe import FakeStripe

pytestmark = pytest.mark.django_db


def test_it_gives_a_new_customer_the_free_plan(bob: User) -> None:
    limits = get_entitlements(user=bob)
    assert isinstance(limits, Entitlements)
    assert limits.max_photos_per_project == 50
    assert limits.max_upload_bytes == 25 * 1024 * 1024
    assert limits.watermark is True
    assert set(limits.styles) == {"classic", "modern", "cinematic", "vintage"}


def test_it_allows_full_hd_but_not_4k_on_the_free_plan(bob: User) -> None:
    limits = get_entitlements(user=bob)
    assert limits.allows_resolution("720p")
    assert limits.allows_resolution("1080p")
    assert not limits.allows_resolution("2160p")
    assert not limits.allows_resolution("8k")


def test_it_cannot_be_changed_by_a_caller(bob: User) -> None:
    limits = get_entitlements(user=bob)
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.max_photos_per_project = 1000  # type: ignore[misc]


# --- following the subscription ---------------------------------------------------------------
transactional = pytest.mark.django_db(transaction=True)


def test_without_stripe_keys_everyone_has_the_operators_plan(bob: User, settings: Any) -> None:
    assert settings.BILLING_ENABLED is False
    assert get_entitlements(user=bob).plan == "free"
    settings.BILLING_DEFAULT_PLAN = "plus"
    from billing.services import entitlements_invalidate

    entitlements_invalidate(user_id=bob.pk)
    assert get_entitlements(user=bob).plan == "plus"


@transactional
def test_a_warm_cache_answers_without_a_query(
    bob: User, subscribe: Callable[..., dict[str, Any]], django_assert_num_queries: Any
) -> None:
    subscribe(bob, "photomemory_pro_yearly")
    assert get_entitlements(user=bob).plan == "pro"
    with django_assert_num_queries(0):
        limits = get_entitlements(user=bob)
    assert limits.renders_per_month == 100


@transactional
@pytest.mark.parametrize("status", ["canceled", "unpaid", "incomplete", "incomplete_expired"])
def test_a_subscription_not_in_good_standing_gives_free(
    status: str, bob: User, subscribe: Callable[..., dict[str, Any]], catalogue: FakeStripe
) -> None:
    sub = subscribe(bob)
    assert get_entitlements(user=bob).plan == "plus"
    catalogue.get("subscriptions", sub["id"])["status"] = status

    subscription_resync(user=bob)  # staff's "resync from Stripe"

    assert get_entitlements(user=bob).plan == "free"


@transactional
def test_trialing_gives_the_plan(
    bob: User, subscribe: Callable[..., dict[str, Any]], catalogue: FakeStripe
) -> None:
    sub = subscribe(bob, "photomemory_pro_monthly")
    catalogue.get("subscriptions", sub["id"])["status"] = "trialing"
    subscription_resync(user=bob)
    assert get_entitlements(user=bob).plan == "pro"


@transactional
def test_a_cancelled_subscription_ends_at_period_end_even_if_the_webhook_is_lost(
    bob: User, subscribe: Callable[..., dict[str, Any]], catalogue: FakeStripe
) -> None:
    sub = subscribe(bob)
    item = catalogue.get("subscriptions", sub["id"])["items"]["data"][0]
    catalogue.get("subscriptions", sub["id"])["cancel_at_period_end"] = True
    item["current_period_end"] = int((timezone.now() - timedelta(minutes=1)).timestamp())
    subscription_resync(user=bob)
    assert get_entitlements(user=bob).plan == "free"


@transactional
def test_a_complimentary_plan_lasts_until_its_date(bob: User, alice: User) -> None:
    complimentary_plan_grant(
        user=bob, plan="pro", until=timezone.now() + timedelta(days=30), granted_by=alice
    )
    assert get_entitlements(user=bob).plan == "pro"
    complimentary_plan_grant(user=bob, plan="pro", until=timezone.now() - timedelta(seconds=1))
    assert get_entitlements(user=bob).plan == "free"


@transactional
def test_the_better_of_subscription_and_complimentary_plan_wins(
    bob: User, subscribe: Callable[..., dict[str, Any]]
) -> None:
    subscribe(bob, "photomemory_plus_monthly")
    complimentary_plan_grant(user=bob, plan="pro", until=timezone.now() + timedelta(days=3))
    assert get_entitlements(user=bob).plan == "pro"


def test_paid_plans_lift_the_limits_that_free_keeps(bob: User) -> None:
    from billing.selectors import entitlements_for_plan

    free, plus, pro = (entitlements_for_plan(p) for p in ("free", "plus", "pro"))
    assert free.watermark and not plus.watermark and not pro.watermark
    assert free.renders_per_month < plus.renders_per_month < pro.renders_per_month
    assert pro.allows_resolution("2160p") and not plus.allows_resolution("2160p")
    assert not free.ai_features and plus.ai_features
