"""Web pages: pricing, the account's billing page, Checkout and portal redirects, success/cancel."""

from __future__ import annotations

from urllib.parse import urlsplit

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from billing.entitlements import get_entitlements
from billing.errors import BillingError
from billing.selectors import invoices_for_user, plan_offers, plan_state, usage_for_user
from billing.services import (
    checkout_session_confirm,
    checkout_session_create,
    portal_session_create,
)

INTERVALS = ("month", "year")
# Checkout and the customer portal are Stripe's pages; our forms redirect there, and browsers
# hold a redirect after a form post to the page's CSP form-action.
STRIPE_PAGES = ["https://checkout.stripe.com", "https://billing.stripe.com"]


def _allow_stripe_pages(response: HttpResponse) -> HttpResponse:
    origins = list(STRIPE_PAGES)
    api = urlsplit(stripe.api_base)
    if api.hostname != "api.stripe.com":  # a Stripe-compatible API elsewhere serves its pages
        origins.append(f"{api.scheme}://{api.netloc}")
    response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    return response


@require_GET
def pricing_view(request: HttpRequest) -> HttpResponse:
    interval = request.GET.get("interval", "month")
    if interval not in INTERVALS:
        interval = "month"
    signed_in = request.user.is_authenticated
    state = plan_state(user=request.user) if signed_in else None
    offers = plan_offers()
    response = render(
        request,
        "billing/pricing.html",
        {
            "interval": interval,
            "offers": [(offer, offer.price_for(interval)) for offer in offers],
            "current_plan": get_entitlements(user=request.user).plan if signed_in else None,
            "subscribed": state is not None and state.source == "subscription",
            "billing_enabled": settings.BILLING_ENABLED,
        },
    )
    return _allow_stripe_pages(response)


@require_GET
@login_required
def billing_account_view(request: HttpRequest) -> HttpResponse:
    limits = get_entitlements(user=request.user)
    response = render(
        request,
        "billing/account.html",
        {
            "state": plan_state(user=request.user),
            "limits": limits,
            "usage": usage_for_user(user=request.user, limits=limits),
            "invoices": invoices_for_user(user=request.user),
            "billing_enabled": settings.BILLING_ENABLED,
        },
    )
    return _allow_stripe_pages(response)


@require_POST
@login_required
def checkout_view(request: HttpRequest) -> HttpResponse:
    try:
        url = checkout_session_create(
            user=request.user,
            price_id=request.POST.get("price_id", ""),
            site_url=request.build_absolute_uri("/"),
        )
    except BillingError as exc:
        if exc.code == "unknown_price":
            return HttpResponseBadRequest(exc.message)
        messages.error(request, exc.message)
        return redirect("billing-account" if exc.status == 409 else "billing-pricing")
    return redirect(url)


@require_GET
@login_required
def checkout_success_view(request: HttpRequest) -> HttpResponse:
    complete, plan = False, get_entitlements(user=request.user).plan
    session_id = request.GET.get("session_id", "")
    if session_id and settings.BILLING_ENABLED:
        try:
            result = checkout_session_confirm(user=request.user, session_id=session_id)
        except BillingError as exc:
            messages.error(request, exc.message)
            return redirect("billing-account")
        complete, plan = result.complete, result.plan
    return render(request, "billing/success.html", {"complete": complete, "plan": plan})


@require_GET
@login_required
def checkout_cancel_view(request: HttpRequest) -> HttpResponse:
    return render(request, "billing/cancel.html")


@require_POST
@login_required
def portal_view(request: HttpRequest) -> HttpResponse:
    try:
        url = portal_session_create(
            user=request.user, return_url=request.build_absolute_uri(reverse("billing-account"))
        )
    except BillingError as exc:
        messages.error(request, exc.message)
        return redirect("billing-account")
    return redirect(url)
