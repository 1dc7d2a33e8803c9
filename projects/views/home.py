"""The home page: a landing page for visitors, the project dashboard for signed-in users."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_stubs_ext import StrOrPromise

from billing.catalogue import plan_for_key
from billing.entitlements import get_entitlements
from projects.selectors import project_list


@dataclass(frozen=True)
class StyleCard:
    key: str
    name: StrOrPromise
    blurb: StrOrPromise
    sample: StrOrPromise  # the title drawn on the style's preview


STYLE_CARDS = (
    StyleCard(
        "classic",
        _("Classic"),
        _("Gentle pans, soft cross-fades and a serif title card."),
        _("Our Summer"),
    ),
    StyleCard(
        "modern",
        _("Modern"),
        _("Crisp cuts, clean type and a confident, upbeat pace."),
        _("Weekend"),
    ),
    StyleCard(
        "cinematic",
        _("Cinematic"),
        _("Widescreen framing, slow push-ins and rich colour."),
        _("A film of us"),
    ),
    StyleCard(
        "vintage",
        _("Vintage"),
        _("Warm film grain, faded tones and a typewriter touch."),
        "1987",
    ),
)


# HEAD too: uptime checks and link previews ask for the home page without a body.
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        projects = list(project_list(user=request.user))
        limits = get_entitlements(user=request.user)
        plan = plan_for_key(limits.plan)
        context = {
            "projects": projects,
            "max_photos": limits.max_photos_per_project,
            "plan_name": plan.name if plan else limits.plan.capitalize(),
        }
        return render(request, "projects/dashboard.html", context)
    return render(request, "projects/landing.html", {"styles": STYLE_CARDS})
