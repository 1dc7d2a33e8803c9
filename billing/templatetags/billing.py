"""Template helpers for the pricing page."""

from __future__ import annotations

from django import template

from billing.selectors import PlanOffer

register = template.Library()


@register.filter
def amount_for(offer: PlanOffer, interval: str) -> str:
    return offer.amount_for(interval)
