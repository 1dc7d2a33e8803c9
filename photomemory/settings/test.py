"""Test settings: the real services on loopback (PostgreSQL, Redis), fast password hashing."""

from __future__ import annotations

import hashlib
import os

# Defaults for a developer machine and CI; an explicit environment wins.
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/photomemory")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("EMAIL_URL", "consolemail://")

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, CACHES, DATABASES  # noqa: E402

# Two checkouts on one machine (a developer's and a CI clone) must not share a test database or
# cache keys, or one run drops the other's tables and clears its rate-limit counters.
_CHECKOUT = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_photomemory_{_CHECKOUT}"
CACHES["default"]["KEY_PREFIX"] = f"pmtest-{_CHECKOUT}"

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# Tests switch to S3 (moto) per test with the s3_storage fixture; a worker subprocess started by
# a test gets the same S3 endpoint through AWS_* variables and keeps base.py's S3 storage.
if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT, "base_url": "/media/"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

# No request leaves the machine: a developer's .env key never reaches OpenAI from a test, and a
# test that forgets the fake_openai fixture gets "unreachable" from a closed loopback port.
# A worker subprocess started by a test is pointed at the test's fake through TEST_OPENAI_*, never
# through the OPENAI_* variables a developer may have set for real use.
OPENAI_API_KEY = os.environ.get("TEST_OPENAI_API_KEY", "")
OPENAI_BASE_URL = os.environ.get("TEST_OPENAI_BASE_URL", "http://127.0.0.1:9/v1")

# The same for Google Translate: a developer's key or credentials file never reaches Google from
# a test; a test that forgets the fake_google fixture gets "unreachable" from a closed port.
GOOGLE_TRANSLATE_API_KEY = os.environ.get("TEST_GOOGLE_TRANSLATE_API_KEY", "")
GOOGLE_TRANSLATE_CREDENTIALS_FILE = ""
GOOGLE_TRANSLATE_API_ENDPOINT = os.environ.get(
    "TEST_GOOGLE_TRANSLATE_API_ENDPOINT", "http://127.0.0.1:9"
)
