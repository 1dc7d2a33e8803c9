"""Every way Google can fail: its own error, its own message, and the user's words kept."""

from __future__ import annotations

import time
from typing import Any

import pytest

from projects.translation import (
    TranslationError,
    TranslationMalformed,
    TranslationRateLimited,
    TranslationRejected,
    TranslationServerError,
    TranslationTimeout,
    TranslationUnauthorized,
    TranslationUnreachable,
    get_translator,
    translate_texts,
)
from projects.translation.config import translation_settings
from projects.translation.google_adapter import GoogleTranslator

from .conftest import FAKE_API_KEY, FAKE_PROJECT
from .fake_google import FakeGoogle

FAILURES = [
    ("unauthorized", TranslationUnauthorized),
    ("forbidden", TranslationUnauthorized),
    ("rate_limited", TranslationRateLimited),
    ("server_error", TranslationServerError),
    ("malformed", TranslationMalformed),
    ("short", TranslationMalformed),
    ("bad_request", TranslationRejected),
]


@pytest.mark.parametrize(("mode", "error_class"), FAILURES)
def test_each_failure_keeps_the_words_and_says_why(
    fake_google: FakeGoogle, mode: str, error_class: type[TranslationError]
) -> None:
    fake_google.mode = mode
    texts, error = translate_texts(["Hello", "", "World"], target="ja", source="en")
    assert texts == ["Hello", "", "World"]
    assert type(error) is error_class
    assert error.message and error.detail  # one for the user, one for the logs
    assert fake_google.received  # it was tried


def test_every_failure_has_its_own_message() -> None:
    classes = [
        TranslationTimeout,
        TranslationUnreachable,
        TranslationUnauthorized,
        TranslationRateLimited,
        TranslationServerError,
        TranslationMalformed,
        TranslationRejected,
    ]
    assert len({c.message for c in classes}) == len({c.code for c in classes}) == len(classes)


def test_rate_limited_reports_the_retry_after(fake_google: FakeGoogle) -> None:
    fake_google.mode = "rate_limited"
    fake_google.retry_after = "7"
    _texts, error = translate_texts(["Hello"], target="ja")
    assert isinstance(error, TranslationRateLimited)
    assert error.retry_after == 7.0
    assert "7 seconds" in error.message


def test_rate_limited_without_retry_after(fake_google: FakeGoogle) -> None:
    fake_google.mode = "rate_limited"
    fake_google.retry_after = None
    _texts, error = translate_texts(["Hello"], target="ja")
    assert isinstance(error, TranslationRateLimited)
    assert error.retry_after is None
    assert error.message == TranslationRateLimited.message


def test_a_slow_service_times_out_after_the_setting(fake_google: FakeGoogle, settings: Any) -> None:
    settings.GOOGLE_TRANSLATE_TIMEOUT_SECONDS = 0.3
    settings.GOOGLE_TRANSLATE_MAX_RETRIES = 2  # a timeout is not retried
    fake_google.mode = "slow"
    fake_google.slow_seconds = 2.0
    started = time.monotonic()
    texts, error = translate_texts(["Hello"], target="ja")
    elapsed = time.monotonic() - started
    assert (texts, type(error)) == (["Hello"], TranslationTimeout)
    assert 0.3 <= elapsed < 1.5
    assert len(fake_google.received) == 1


def test_a_slow_answer_within_the_timeout_is_fine(fake_google: FakeGoogle, settings: Any) -> None:
    settings.GOOGLE_TRANSLATE_TIMEOUT_SECONDS = 2.0
    fake_google.mode = "slow"
    fake_google.slow_seconds = 0.3
    assert translate_texts(["Hello"], target="ja") == (["[ja] Hello"], None)


def test_an_unreachable_service(settings: Any) -> None:
    # Test settings point the endpoint at a closed loopback port: nothing reaches Google.
    settings.GOOGLE_TRANSLATE_API_KEY = FAKE_API_KEY
    settings.GOOGLE_TRANSLATE_PROJECT_ID = FAKE_PROJECT
    settings.GOOGLE_TRANSLATE_MAX_RETRIES = 0
    assert settings.GOOGLE_TRANSLATE_API_ENDPOINT == "http://127.0.0.1:9"
    texts, error = translate_texts(["Hello"], target="ja")
    assert (texts, type(error)) == (["Hello"], TranslationUnreachable)


def _retrying(settings: Any, waits: list[float]) -> GoogleTranslator:
    settings.GOOGLE_TRANSLATE_MAX_RETRIES = 2
    return GoogleTranslator(translation_settings(), sleep=waits.append)


def test_a_server_error_is_retried_with_backoff(fake_google: FakeGoogle, settings: Any) -> None:
    waits: list[float] = []
    fake_google.mode, fake_google.failures_left = "server_error", 2
    texts, error = translate_texts(["Hi"], target="de", translator=_retrying(settings, waits))
    assert (texts, error) == (["[de] Hi"], None)
    assert len(fake_google.received) == 3
    assert waits == [0.5, 1.0]


def test_retries_are_limited(fake_google: FakeGoogle, settings: Any) -> None:
    waits: list[float] = []
    fake_google.mode = "server_error"
    _texts, error = translate_texts(["Hi"], target="de", translator=_retrying(settings, waits))
    assert isinstance(error, TranslationServerError)
    assert len(fake_google.received) == 3  # the first try and two retries


def test_a_429_waits_its_retry_after(fake_google: FakeGoogle, settings: Any) -> None:
    waits: list[float] = []
    fake_google.mode, fake_google.failures_left, fake_google.retry_after = "rate_limited", 1, "2"
    texts, error = translate_texts(["Hi"], target="de", translator=_retrying(settings, waits))
    assert (texts, error, waits) == (["[de] Hi"], None, [2.0])


def test_a_long_retry_after_is_reported_not_slept(fake_google: FakeGoogle, settings: Any) -> None:
    waits: list[float] = []
    fake_google.mode, fake_google.retry_after = "rate_limited", "60"
    _texts, error = translate_texts(["Hi"], target="de", translator=_retrying(settings, waits))
    assert isinstance(error, TranslationRateLimited) and error.retry_after == 60.0
    assert waits == [] and len(fake_google.received) == 1


def test_a_refused_key_is_not_retried_by_us(fake_google: FakeGoogle, settings: Any) -> None:
    waits: list[float] = []
    fake_google.mode = "forbidden"
    _texts, error = translate_texts(["Hi"], target="de", translator=_retrying(settings, waits))
    assert isinstance(error, TranslationUnauthorized) and waits == []


def test_the_port_raises_what_the_service_reports(fake_google: FakeGoogle) -> None:
    fake_google.mode = "server_error"
    with pytest.raises(TranslationServerError):
        get_translator().translate(["Hi"], target="de", source=None)
