"""The plan catalogue reaches Stripe through billing_sync_catalogue, idempotently."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from djstripe.models import Price, Product

from tests.billing.fake_stripe import FakeStripe

pytestmark = pytest.mark.django_db


def sync() -> str:
    out = StringIO()
    call_command("billing_sync_catalogue", stdout=out)
    return out.getvalue()


def test_it_creates_each_paid_plan_with_a_monthly_and_a_yearly_price(
    fake_stripe: FakeStripe,
) -> None:
    output = sync()
    assert "created product photomemory_plus" in output
    assert set(fake_stripe.table("products")) == {"photomemory_plus", "photomemory_pro"}
    lookups = {p["lookup_key"]: p["unit_amount"] for p in fake_stripe.table("prices").values()}
    assert lookups == {
        "photomemory_plus_monthly": 699,
        "photomemory_plus_yearly": 6900,
        "photomemory_pro_monthly": 1499,
        "photomemory_pro_yearly": 14900,
    }
    # Mirrored into dj-stripe, with the plan named in the product's metadata.
    assert Product.objects.get(id="photomemory_pro").metadata["photomemory_plan"] == "pro"
    assert Product.objects.get(id="photomemory_pro").metadata["max_resolution"] == "2160p"
    assert Price.objects.filter(active=True).count() == 4


def test_it_changes_nothing_when_run_again(fake_stripe: FakeStripe) -> None:
    sync()
    writes_before = [r for r in fake_stripe.requests if r[0] == "POST"]
    output = sync()
    writes_after = [r for r in fake_stripe.requests if r[0] == "POST"]
    assert "(0 change(s))" in output
    assert writes_after == writes_before
    assert Price.objects.count() == 4


def test_a_new_amount_takes_over_the_lookup_key_and_archives_the_old_price(
    fake_stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from billing import catalogue

    sync()
    old = Price.objects.get(lookup_key="photomemory_plus_monthly")
    plus = catalogue.PLANS_BY_KEY["plus"]
    dearer = dataclasses.replace(plus, prices=(catalogue.PriceSpec("month", 799), plus.prices[1]))
    monkeypatch.setattr(catalogue, "PLANS", (catalogue.PLANS[0], dearer, catalogue.PLANS[2]))
    monkeypatch.setattr("billing.services.PLANS", (catalogue.PLANS[0], dearer, catalogue.PLANS[2]))

    output = sync()

    assert "archived price" in output
    new = Price.objects.get(lookup_key="photomemory_plus_monthly", active=True)
    assert new.id != old.id and new.stripe_data["unit_amount"] == 799
    old.refresh_from_db()
    assert old.active is False


def test_it_says_so_when_payments_are_not_configured(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not configured"):
        sync()
