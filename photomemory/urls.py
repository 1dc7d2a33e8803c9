"""URL wiring: the web app, allauth (web + headless), the API, admin and health probes."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from accounts.views import set_language_view
from photomemory import health

# Staff sign in through allauth (rate limits, verified e-mail) instead of the admin's own form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "PhotoMemory administration"
admin.site.site_title = "PhotoMemory admin"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # The language switcher (Django's set_language, saving a signed-in user's choice too).
    path("i18n/setlang/", set_language_view, name="set_language"),
    # gettext()/ngettext()/interpolate() for static/*.js: a script from 'self', fits the CSP.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include("accounts.api.urls")),
    path("api/v1/", include("projects.api.urls")),
    path("api/v1/", include("rendering.api.urls")),
    path("api/v1/", include("billing.api.urls")),
    # Stripe's webhooks, at dj-stripe's endpoint (signed; the URL carries the endpoint's UUID).
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    path("", include("billing.urls")),
    path("", include("rendering.urls")),
    path("", include("projects.urls")),
]
