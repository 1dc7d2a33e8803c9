"""The admin site support works in: our apps first, dj-stripe's ~45 models folded into one entry.

dj-stripe registers a page for every Stripe object it mirrors. Listed one by one they bury the
pages support needs (users, projects, videos, subscribers), so the index and the sidebar show a
single "Stripe (dj-stripe)" entry, last; its own index page (/admin/djstripe/) lists them all.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html

STRIPE_APP = "djstripe"
STRIPE_GROUP = "Stripe (dj-stripe)"
RENAMED = {"account": "Sign-in (allauth)"}


def fold_stripe(app: dict[str, Any]) -> dict[str, Any]:
    """One row standing for all of dj-stripe's pages, pointing at its index."""
    row = {
        "name": f"All Stripe records ({len(app['models'])} kinds)",
        "object_name": "stripe_records",
        "perms": {"view": True},
        "admin_url": app["app_url"],
        "add_url": None,
        "view_only": True,
    }
    return {**app, "name": STRIPE_GROUP, "models": [row]}


class PhotoMemoryAdminSite(admin.AdminSite):
    index_title = "Support and operations"

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list  # an app's own index page lists all its models
        for app in app_list:
            if app["app_label"] in RENAMED:  # two groups were both called "Accounts"
                app["name"] = RENAMED[app["app_label"]]
        ours = [app for app in app_list if app["app_label"] != STRIPE_APP]
        stripe = [fold_stripe(app) for app in app_list if app["app_label"] == STRIPE_APP]
        return ours + stripe


class PhotoMemoryAdminConfig(AdminConfig):
    default_site = "photomemory.admin.PhotoMemoryAdminSite"


# --- pieces the staff pages share ------------------------------------------------------------
def admin_link(obj: Any, text: object | None = None) -> str:
    """A link to ``obj``'s admin page (its change page, read-only where editing is off)."""
    if obj is None:
        return "—"
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj if text is None else text)


def pretty_json(value: object) -> str:
    """JSON as staff read it: indented, keys sorted, in a scrolling block."""
    return format_html(
        '<pre class="staff-json">{}</pre>',
        json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str),
    )


def file_size(size: int | None) -> str:
    return filesizeformat(size) if size is not None else "—"
