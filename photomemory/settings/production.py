"""Production: everything from the environment, no embedded fallbacks for secrets or services.

A missing variable raises ImproperlyConfigured ("Set the SECRET_KEY environment variable") at
import time, so a misconfigured deploy fails before it serves a request.
"""

from __future__ import annotations

import warnings
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
POSTGRESQL_ENGINES = ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis")


def production_database(url: str) -> dict[str, Any]:
    """The database a running deployment uses: PostgreSQL, refused in one sentence otherwise
    (the embedded SQLite is for one machine, and no other engine is tested)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # django-environ warns, then returns {} for garbage
        config: dict[str, Any] = env.db_url_config(url) if url else {}
    if config.get("ENGINE") not in POSTGRESQL_ENGINES or not config.get("NAME"):
        scheme = url.split("://", 1)[0] if "://" in url else "no scheme"
        raise ImproperlyConfigured(
            "DATABASE_URL must point at PostgreSQL, as postgres://USER:PASSWORD@HOST:5432/NAME "
            f"(got {scheme!r})"
        )
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    # A dead database must fail /readyz in seconds, not hang a worker for the TCP default.
    config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    return config


if env.bool("DJANGO_COLLECTSTATIC_ONLY", default=False):
    # The image build (Dockerfile) runs collectstatic, which needs no database: Django's dummy
    # backend stands in, and anything that does touch the database fails loudly.
    DATABASES = {"default": {}}
    STATIC_ROOT = env.path("STATIC_ROOT", default=str(STATIC_ROOT))  # noqa: F405
else:
    DATABASES = {"default": production_database(env("DATABASE_URL"))}
if env("REDIS_URL", default="") == "":
    raise ImproperlyConfigured("Set the REDIS_URL environment variable (cache and Celery broker)")
if env.bool("DEBUG", default=False):
    raise ImproperlyConfigured("DEBUG must not be on in production")
if env("STRIPE_SECRET_KEY", default="") and not env("STRIPE_WEBHOOK_SECRET", default=""):
    # Without it no webhook verifies: payments would be taken and plans never change.
    raise ImproperlyConfigured(
        "Set the STRIPE_WEBHOOK_SECRET environment variable (payments are on: STRIPE_SECRET_KEY)"
    )

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

# TLS terminates at the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Probes from the orchestrator come over plain HTTP inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
