"""Every way a draft can fail gives its own AiError, with a message the user can act on."""

from __future__ import annotations

import json
import time
from datetime import date
from typing import Any

import pytest

from projects.ai import DraftOptions, PhotoInput, get_provider, port
from projects.ai.images import prepare_image

from .fake_openai import FakeOpenAI
from .samples import private_jpeg

OPTIONS = DraftOptions(user_public_id="00000000-0000-0000-0000-000000000001")


def two_photos() -> list[PhotoInput]:
    jpeg = prepare_image(private_jpeg((400, 300)))
    return [PhotoInput("a", jpeg, month=date(2021, 7, 1)), PhotoInput("b", jpeg)]


def failure(expected: type[port.AiError]) -> port.AiError:
    with pytest.raises(expected) as caught:
        get_provider().draft_story(two_photos(), OPTIONS)
    assert type(caught.value) is expected
    return caught.value


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("unauthorized", port.AiUnauthorized),
        ("server_error", port.AiServerError),
        ("malformed", port.AiMalformedOutput),
        ("truncated", port.AiTruncated),
        ("refusal", port.AiRefused),
        ("schema_breaking", port.AiSchemaViolation),
        ("empty", port.AiEmpty),
    ],
)
def test_each_failure_of_the_service_gives_its_own_error(
    fake_openai: FakeOpenAI, mode: str, expected: type[port.AiError]
) -> None:
    fake_openai.mode = mode
    failure(expected)


def test_every_failure_has_its_own_code_and_message() -> None:
    kinds = port.AiError.__subclasses__()
    assert len(kinds) == 11
    assert len({kind.code for kind in kinds}) == len({kind.message for kind in kinds}) == 11


def test_a_slow_answer_times_out_after_the_configured_seconds(
    fake_openai: FakeOpenAI, settings: Any
) -> None:
    settings.OPENAI_TIMEOUT_SECONDS = 0.3
    fake_openai.mode, fake_openai.slow_seconds = "slow", 2.0
    started = time.monotonic()
    failure(port.AiTimeout)
    assert time.monotonic() - started < 1.5


def test_a_closed_port_is_reported_as_unreachable(settings: Any) -> None:
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"
    settings.OPENAI_MAX_RETRIES = 0
    failure(port.AiUnreachable)


def test_rate_limiting_carries_the_retry_after_seconds(fake_openai: FakeOpenAI) -> None:
    fake_openai.mode, fake_openai.retry_after = "rate_limited", "7"
    error = failure(port.AiRateLimited)
    assert isinstance(error, port.AiRateLimited) and error.retry_after == 7.0
    assert len(fake_openai.requests) == 1  # no retries configured: no sleeping either


def test_a_retry_after_rate_limiting_waits_as_told_and_then_succeeds(
    fake_openai: FakeOpenAI, settings: Any
) -> None:
    settings.OPENAI_MAX_RETRIES = 1
    fake_openai.mode, fake_openai.retry_after, fake_openai.failures_left = "rate_limited", "0.4", 1
    draft = get_provider().draft_story(two_photos(), OPTIONS)
    assert draft.title
    first, second = fake_openai.arrivals
    assert second - first >= 0.4


def test_a_server_error_is_retried_as_often_as_settings_say(
    fake_openai: FakeOpenAI, settings: Any
) -> None:
    settings.OPENAI_MAX_RETRIES = 1
    fake_openai.mode = "server_error"
    failure(port.AiServerError)
    assert len(fake_openai.requests) == 2


def test_a_request_refused_as_bad_is_not_reported_as_a_server_error(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeOpenAI, "answer", lambda self, body: (400, {}, {"error": {}}))
    failure(port.AiRejected)


@pytest.mark.parametrize(
    "answer",
    [
        {
            "title": "T",
            "story": "S",
            "captions": [{"photo": "p1", "caption": "c"}],
            "order": [{"photo": "p1", "reason": ""}, {"photo": "p2", "reason": ""}],
        },
        {
            "title": "T",
            "story": "S",
            "captions": [{"photo": "p1", "caption": "c"}, {"photo": "p3", "caption": "c"}],
            "order": [{"photo": "p1", "reason": ""}, {"photo": "p2", "reason": ""}],
        },
        {
            "title": "T",
            "story": "S",
            "captions": [{"photo": "p1", "caption": "c"}, {"photo": "p2", "caption": "c"}],
            "order": [{"photo": "p1", "reason": ""}, {"photo": "p1", "reason": ""}],
        },
        {
            "title": "T",
            "story": 3,
            "captions": [{"photo": "p1", "caption": "c"}, {"photo": "p2", "caption": "c"}],
            "order": [{"photo": "p1", "reason": ""}, {"photo": "p2", "reason": ""}],
        },
        {
            "title": " \x00 ",
            "story": "S",
            "captions": [{"photo": "p1", "caption": "c"}, {"photo": "p2", "caption": "c"}],
            "order": [{"photo": "p1", "reason": ""}, {"photo": "p2", "reason": ""}],
        },
        ["not", "an", "object"],
    ],
    ids=[
        "caption-missing",
        "caption-for-a-photo-not-sent",
        "order-not-a-permutation",
        "story-not-text",
        "title-blank",
        "not-an-object",
    ],
)
def test_an_answer_that_does_not_fit_the_photos_sent_is_a_schema_violation(
    fake_openai: FakeOpenAI, answer: object
) -> None:
    fake_openai.output_text = json.dumps(answer)
    failure(port.AiSchemaViolation)


def test_no_photos_is_an_empty_request_not_a_call(fake_openai: FakeOpenAI) -> None:
    with pytest.raises(port.AiEmpty):
        get_provider().draft_story([], OPTIONS)
    assert fake_openai.requests == []
