from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import clear_our_cache_keys

from .fake_google import FakeGoogle, running_fake

FAKE_API_KEY = "AIza-fake-test-key"
FAKE_PROJECT = "pm-test-project"


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    # Cached translations from one test must not answer for the next.
    clear_our_cache_keys()
    yield
    clear_our_cache_keys()


@pytest.fixture
def fake_google(settings: Any) -> Iterator[FakeGoogle]:
    """The loopback fake, with settings pointing the client at it (API key, no retries, 1 s)."""
    with running_fake() as fake:
        settings.GOOGLE_TRANSLATE_API_KEY = FAKE_API_KEY
        settings.GOOGLE_TRANSLATE_CREDENTIALS_FILE = ""
        settings.GOOGLE_TRANSLATE_PROJECT_ID = FAKE_PROJECT
        settings.GOOGLE_TRANSLATE_API_ENDPOINT = fake.url
        settings.GOOGLE_TRANSLATE_TIMEOUT_SECONDS = 1.0
        settings.GOOGLE_TRANSLATE_MAX_RETRIES = 0
        yield fake
