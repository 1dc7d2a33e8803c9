"""Without a key the words come from the photos themselves, and nothing is sent anywhere."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from projects.ai import DraftOptions, PhotoInput, get_provider
from projects.ai.images import prepare_image
from projects.ai.offline import OfflineDrafter
from projects.ai.openai_adapter import OpenAiDrafter

from .fake_openai import FakeOpenAI
from .samples import private_jpeg

OPTIONS = DraftOptions(user_public_id="00000000-0000-0000-0000-000000000002")


def photo(photo_id: str, *, place: str = "", month: date | None = None) -> PhotoInput:
    return PhotoInput(photo_id=photo_id, jpeg=b"", place=place, month=month)


def test_offline_captions_say_place_and_month() -> None:
    draft = OfflineDrafter().draft_story(
        [
            photo("a", place="Lisbon, Portugal", month=date(2021, 7, 1)),
            photo("b", month=date(2021, 8, 1)),
            photo("c", place="Porto, Portugal"),
            photo("d"),
        ],
        OPTIONS,
    )
    assert draft.captions == {
        "a": "Lisbon, Portugal · July 2021",
        "b": "August 2021",
        "c": "Porto, Portugal",
        "d": "",
    }


def test_the_offline_title_is_the_date_range_and_there_is_no_story() -> None:
    draft = OfflineDrafter().draft_story(
        [photo("a", month=date(2021, 12, 1)), photo("b", month=date(2022, 1, 1))], OPTIONS
    )
    assert draft.title == "December 2021 – January 2022"
    assert draft.story == ""


def test_the_offline_order_is_by_date_with_undated_photos_last() -> None:
    draft = OfflineDrafter().draft_story(
        [
            photo("late", month=date(2022, 3, 1)),
            photo("undated"),
            photo("early", month=date(2020, 1, 1)),
        ],
        OPTIONS,
    )
    assert [step.photo_id for step in draft.order] == ["early", "late", "undated"]


def test_an_offline_draft_costs_nothing() -> None:
    draft = OfflineDrafter().draft_story([photo("a", month=date(2021, 7, 1))], OPTIONS)
    assert (draft.usage.input_tokens, draft.usage.output_tokens, draft.usage.cached_tokens) == (
        0,
        0,
        0,
    )
    assert draft.model == "offline"


def test_without_a_key_the_offline_drafter_answers(settings: Any) -> None:
    settings.OPENAI_API_KEY = ""
    assert isinstance(get_provider(), OfflineDrafter)


def test_with_a_key_openai_answers(fake_openai: FakeOpenAI) -> None:
    provider = get_provider()
    assert isinstance(provider, OpenAiDrafter)
    sendable = PhotoInput(photo_id="a", jpeg=prepare_image(private_jpeg((64, 48))))
    provider.draft_story([sendable], OPTIONS)
    assert len(fake_openai.requests) == 1


def test_the_embedded_default_sends_nothing(settings: Any) -> None:
    # The test settings mirror a fresh checkout: no key, so no client is ever built.
    assert settings.OPENAI_API_KEY == ""
    draft = get_provider().draft_story([photo("a", month=date(2021, 7, 1))], OPTIONS)
    assert draft.model == "offline"


def test_an_empty_base_url_in_the_environment_means_openais_own(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    from projects.ai.config import ai_settings

    monkeypatch.setenv("OPENAI_BASE_URL", "")  # a blank line in .env
    settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL = "sk-test", ""
    assert str(OpenAiDrafter(ai_settings()).client.base_url) == "https://api.openai.com/v1/"
