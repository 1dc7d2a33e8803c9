from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .fake_openai import FakeOpenAI, running_fake

FAKE_KEY = "sk-fake-test-key"


@pytest.fixture
def fake_openai(settings: Any) -> Iterator[FakeOpenAI]:
    """The loopback fake, with settings pointing the client at it (no retries, 1 s timeout)."""
    with running_fake() as fake:
        settings.OPENAI_API_KEY = FAKE_KEY
        settings.OPENAI_BASE_URL = fake.url
        settings.OPENAI_TIMEOUT_SECONDS = 1.0
        settings.OPENAI_MAX_RETRIES = 0
        settings.OPENAI_MAX_OUTPUT_TOKENS = 1500
        settings.OPENAI_MODEL = "gpt-4o-mini"
        yield fake
