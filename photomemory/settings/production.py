"""Production: everything from the environment, no embedded fallbacks for secrets or services.

A missing variable raises ImproperlyConfigured ("Set the SECRET_KEY environment variable") at
import time, so a misconfigured deploy fails before it serves a request.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A dead database must fail /readyz in seconds, not hang a worker for the TCP default.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
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
