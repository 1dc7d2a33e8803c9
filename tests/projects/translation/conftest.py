from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .fake_google import FakeGoogle, running_fake

FAKE_API_KEY = "AIza-fake-test-key"
FAKE_PROJECT = "pm-test-project"


@pytest.fixture
def fake_google(settings: Any) -> Iterator[FakeGoogle]:
    """The loopback fake, with settings pointing the client at it (API key, no retries, 1 s).

    The cache is emptied around every test by tests/conftest.py, so no translation leaks."""
    with running_fake() as fake:
        settings.GOOGLE_TRANSLATE_API_KEY = FAKE_API_KEY
        settings.GOOGLE_TRANSLATE_CREDENTIALS_FILE = ""
        settings.GOOGLE_TRANSLATE_PROJECT_ID = FAKE_PROJECT
        settings.GOOGLE_TRANSLATE_API_ENDPOINT = fake.url
        settings.GOOGLE_TRANSLATE_TIMEOUT_SECONDS = 1.0
        settings.GOOGLE_TRANSLATE_MAX_RETRIES = 0
        yield fake
