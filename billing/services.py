"""Writes: the catalogue in Stripe, checkout, the portal, staff actions and cache invalidation.

Every Stripe call goes through the official client with our pinned API version; what Stripe says
is then mirrored into dj-stripe's tables, which the selectors read.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import stripe
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from djstripe.models import Customer, Invoice, Price, Product, Subscription, WebhookEndpoint

from billing.catalogue import PLANS, PLANS_BY_KEY, PlanSpec, plan_metadata
from billing.errors import BillingDisabled, BillingError
from billing.selectors import (
    GOOD_STANDING,
    plan_cache_key,
    plan_key_cached,
    plan_state,
    price_offered,
    subscriptions_open,
)

logger = logging.getLogger(__name__)

WEBHOOK_EVENTS = [
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_failed",
]


def _api() -> dict[str, Any]:
    """Keyword arguments every Stripe call takes: our key and the pinned API version."""
    if not settings.BILLING_ENABLED:
        raise BillingDisabled(_("Payments are not configured on this server."))
    return {"api_key": settings.STRIPE_SECRET_KEY, "stripe_version": settings.STRIPE_API_VERSION}


STILL_BILLED = ("active", "trialing", "past_due", "unpaid")


@contextmanager
def stripe_unavailable() -> Iterator[None]:
    """Stripe down, slow or refusing us: tell the customer to try again, not a 500."""
    try:
        yield
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as exc:
        logger.warning("Stripe unavailable: %s", exc)
        raise BillingError(
            _("Payments are unavailable for a moment. Please try again in a few minutes."),
            code="payments_unavailable",
            status=503,
        ) from exc


# --- cache ------------------------------------------------------------------------------------
def entitlements_invalidate(*, user_id: int) -> None:
    """Forget the cached plan: the next ``get_entitlements`` reads the database again."""
    cache.delete(plan_cache_key(user_id))


def entitlements_refresh(*, user_id: int) -> str | None:
    """Work the user's plan out again and cache it, so their next request finds it warm.
    Returns the plan key (None for a user who no longer exists)."""
    from django.contrib.auth import get_user_model

    entitlements_invalidate(user_id=user_id)
    user = get_user_model().objects.filter(pk=user_id).first()
    return None if user is None else plan_key_cached(user=user)


def entitlements_invalidate_on_commit(*, user_id: int) -> None:
    # After commit, or a reader between our delete and the commit would cache the old plan.
    transaction.on_commit(lambda: entitlements_invalidate(user_id=user_id))


# --- catalogue --------------------------------------------------------------------------------
def catalogue_sync() -> list[str]:
    """Make Stripe's Products and Prices match the catalogue, then mirror them into dj-stripe.

    Idempotent: an unchanged catalogue makes no writes at Stripe. A changed amount creates a new
    Price that takes over the lookup key (Stripe prices are immutable) and archives the old one,
    so existing subscribers keep what they agreed to. Returns one line per change."""
    api = _api()
    changes: list[str] = []
    for plan in PLANS:
        if plan.is_paid:
            _product_sync(plan, api, changes)
    return changes


def _english(text: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _product_sync(plan: PlanSpec, api: dict[str, Any], changes: list[str]) -> None:
    wanted: dict[str, Any] = {
        "name": plan.name,
        # Stripe's product (and the checkout page it shows) keeps the English text.
        "description": _english(plan.tagline),
        "metadata": plan_metadata(plan),
    }
    try:
        product = stripe.Product.retrieve(plan.product_id, **api)
    except stripe.InvalidRequestError:
        product = stripe.Product.create(id=plan.product_id, **wanted, **api)
        changes.append(f"created product {plan.product_id}")
    else:
        current: dict[str, Any] = {
            "name": product.name,
            "description": getattr(product, "description", None),
            "metadata": product.metadata.to_dict() if product.metadata else {},
        }
        if current != wanted or not product.active:
            product = stripe.Product.modify(plan.product_id, active=True, **wanted, **api)
            changes.append(f"updated product {plan.product_id}")
    Product.sync_from_stripe_data(product, api_key=api["api_key"])
    for spec in plan.prices:
        lookup = spec.lookup_key(plan.key)
        found = stripe.Price.list(lookup_keys=[lookup], active=True, limit=1, **api).data
        price = found[0] if found else None
        same = price is not None and (
            price["unit_amount"] == spec.unit_amount
            and price["currency"] == "eur"
            and price["recurring"]["interval"] == spec.interval
            and price["product"] == plan.product_id
        )
        if not same:
            new = stripe.Price.create(
                product=plan.product_id,
                currency="eur",
                unit_amount=spec.unit_amount,
                recurring={"interval": spec.interval},
                lookup_key=lookup,
                transfer_lookup_key=True,
                nickname=f"{plan.name} {spec.interval}ly",
                **api,
            )
            changes.append(f"created price {lookup} ({spec.unit_amount} cents)")
            if price is not None:
                old = stripe.Price.modify(price["id"], active=False, **api)
                Price.sync_from_stripe_data(old, api_key=api["api_key"])
                changes.append(f"archived price {price['id']}")
            price = new
        assert price is not None  # noqa: S101  # created above when missing
        Price.sync_from_stripe_data(price, api_key=api["api_key"])


# --- checkout and portal ----------------------------------------------------------------------
def customer_for_user(*, user: Any) -> Customer:
    """The user's dj-stripe Customer, created at Stripe on first use (idempotently)."""
    api = _api()
    customer, _created = Customer.get_or_create(
        subscriber=user, livemode=settings.STRIPE_LIVE_MODE, api_key=api["api_key"]
    )
    return customer


def checkout_session_create(*, user: Any, price_id: str, site_url: str) -> str:
    """A Stripe Checkout Session (subscription mode) for one of our prices; returns its URL.

    Only prices of our catalogue are sold: anything else is a 400, whatever the form said.
    A double click within a few minutes gets the same session (idempotency key)."""
    api = _api()
    offered = price_offered(price_id=price_id)
    if offered is None:
        raise BillingError(_("That price is not one we offer."), code="unknown_price")
    plan, price = offered
    # A subscription Stripe still bills or retries (past_due, unpaid too) is changed or fixed
    # in the portal; a second one would charge twice.
    if any(s.stripe_data.get("status") in STILL_BILLED for s in subscriptions_open(user=user)):
        raise BillingError(
            _("You already have a subscription. Change it under “Manage subscription”."),
            code="already_subscribed",
            status=409,
        )
    with stripe_unavailable():
        return _checkout_session(user=user, plan=plan, price=price, site_url=site_url, api=api)


def _checkout_session(
    *, user: Any, plan: PlanSpec, price: Price, site_url: str, api: dict[str, Any]
) -> str:
    customer = customer_for_user(user=user)
    window = int(time.time()) // 600
    digest = hashlib.sha256(f"{user.pk}:{price.id}:{window}".encode()).hexdigest()[:32]
    success = urljoin(site_url, reverse("billing-success")) + "?session_id={CHECKOUT_SESSION_ID}"
    session = stripe.checkout.Session.create(
        mode="subscription",
        customer=customer.id,
        line_items=[{"price": price.id, "quantity": 1}],
        success_url=success,
        cancel_url=urljoin(site_url, reverse("billing-cancel")),
        client_reference_id=str(user.public_id),
        metadata={"user": str(user.public_id), "plan": plan.key},
        subscription_data={"metadata": {"user": str(user.public_id), "plan": plan.key}},
        idempotency_key=f"checkout-{digest}",
        **api,
    )
    return str(session["url"])


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    complete: bool
    plan: str


def checkout_session_confirm(*, user: Any, session_id: str) -> CheckoutResult:
    """The success page's own check: when the session is paid, mirror its subscription now
    rather than wait for the webhook. A session of someone else's is not ours to show."""
    api = _api()
    try:
        with stripe_unavailable():
            session = stripe.checkout.Session.retrieve(session_id, **api)
    except stripe.InvalidRequestError:
        raise BillingError(
            _("We could not find that checkout."), code="not_found", status=404
        ) from None
    owner = Customer.objects.filter(id=session["customer"], subscriber=user).exists()
    if not owner:
        raise BillingError(_("We could not find that checkout."), code="not_found", status=404)
    complete = session["status"] == "complete" and bool(session.subscription)
    if complete:
        sub = stripe.Subscription.retrieve(session["subscription"], **api)
        Subscription.sync_from_stripe_data(sub, api_key=api["api_key"])
        entitlements_invalidate_on_commit(user_id=user.pk)
    return CheckoutResult(complete=complete, plan=plan_state(user=user).plan)


def portal_session_create(*, user: Any, return_url: str) -> str:
    """A Stripe customer portal session (change plan, card, cancel); returns its URL."""
    api = _api()
    customer = Customer.objects.filter(subscriber=user, livemode=settings.STRIPE_LIVE_MODE).first()
    if customer is None:
        raise BillingError(
            _("You have no subscription to manage yet."), code="no_customer", status=409
        )
    with stripe_unavailable():
        session = stripe.billing_portal.Session.create(
            customer=customer.id, return_url=return_url, **api
        )
    return str(session["url"])


def customer_email_sync(*, user_id: int) -> int:
    """Give Stripe the user's current e-mail, which its receipts, invoices and portal use;
    returns how many customers changed. Nothing to do without billing or a customer yet."""
    if not settings.BILLING_ENABLED:
        return 0
    api = _api()
    changed = 0
    customers = Customer.objects.filter(
        subscriber_id=user_id, livemode=settings.STRIPE_LIVE_MODE
    ).select_related("subscriber")
    for customer in customers:
        email = customer.subscriber.email
        if customer.email == email:
            continue
        data = stripe.Customer.modify(customer.id, email=email, **api)
        Customer.sync_from_stripe_data(data, api_key=api["api_key"])
        changed += 1
    return changed


# --- staff ------------------------------------------------------------------------------------
def subscription_resync(*, user: Any) -> int:
    """Mirror the user's subscriptions and invoices from Stripe again; returns how many
    subscriptions were synced. For staff, when a webhook went missing."""
    api = _api()
    count = 0
    for customer in Customer.objects.filter(subscriber=user, livemode=settings.STRIPE_LIVE_MODE):
        for sub in stripe.Subscription.list(
            customer=customer.id, status="all", **api
        ).auto_paging_iter():
            Subscription.sync_from_stripe_data(sub, api_key=api["api_key"])
            count += 1
        for inv in stripe.Invoice.list(customer=customer.id, limit=24, **api).data:
            Invoice.sync_from_stripe_data(inv, api_key=api["api_key"])
    entitlements_invalidate_on_commit(user_id=user.pk)
    return count


def subscription_cancel_at_period_end(*, user: Any) -> int:
    """Ask Stripe to end the user's open subscriptions at period end; returns how many."""
    api = _api()
    count = 0
    for sub in subscriptions_open(user=user):
        if sub.stripe_data.get("status") in GOOD_STANDING and not sub.stripe_data.get(
            "cancel_at_period_end"
        ):
            updated = stripe.Subscription.modify(sub.id, cancel_at_period_end=True, **api)
            Subscription.sync_from_stripe_data(updated, api_key=api["api_key"])
            count += 1
    entitlements_invalidate_on_commit(user_id=user.pk)
    return count


def complimentary_plan_grant(
    *, user: Any, plan: str, until: datetime, granted_by: Any = None, note: str = ""
) -> None:
    """Give ``user`` the ``plan`` until ``until`` without Stripe (replaces an earlier grant)."""
    from billing.models import ComplimentaryPlan

    if plan not in PLANS_BY_KEY or plan == "free":
        raise BillingError(_("Choose a paid plan to grant."), code="unknown_plan")
    ComplimentaryPlan.objects.update_or_create(
        user=user, defaults={"plan": plan, "until": until, "granted_by": granted_by, "note": note}
    )
    entitlements_invalidate_on_commit(user_id=user.pk)


# --- webhook endpoint -------------------------------------------------------------------------
def webhook_endpoint_register(*, base_url: str) -> WebhookEndpoint:
    """Register dj-stripe's webhook URL at Stripe (once per base URL) and keep its signing
    secret, as dj-stripe's admin form does. ``STRIPE_WEBHOOK_SECRET``, when set, wins: it is how
    an operator rolls the secret from Stripe's dashboard."""
    api = _api()
    for endpoint in WebhookEndpoint.objects.filter(livemode=settings.STRIPE_LIVE_MODE):
        if endpoint.url.startswith(base_url.rstrip("/") + "/"):
            return _adopt_secret(endpoint)
    endpoint = WebhookEndpoint(livemode=settings.STRIPE_LIVE_MODE)
    path = reverse("djstripe:djstripe_webhook_by_uuid", kwargs={"uuid": endpoint.djstripe_uuid})
    create: Any = stripe.WebhookEndpoint.create  # its event and version types are closed lists
    data = create(
        url=urljoin(base_url, path),
        enabled_events=WEBHOOK_EVENTS,
        api_version=settings.STRIPE_API_VERSION,
        metadata={"djstripe_uuid": str(endpoint.djstripe_uuid)},
        **api,
    )
    return _adopt_secret(WebhookEndpoint.sync_from_stripe_data(data, api_key=api["api_key"]))


def _adopt_secret(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    if settings.STRIPE_WEBHOOK_SECRET and endpoint.secret != settings.STRIPE_WEBHOOK_SECRET:
        endpoint.secret = settings.STRIPE_WEBHOOK_SECRET
        endpoint.save(update_fields=["secret"])
    return endpoint
