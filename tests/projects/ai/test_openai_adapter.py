"""The OpenAI drafter against the loopback fake: the draft, and what leaves the machine."""

from __future__ import annotations

import base64
import io
import json
from datetime import date
from typing import Any

import pytest
from PIL import Image

from accounts.models import User
from projects.ai import Draft, DraftOptions, PhotoInput, get_provider
from projects.ai.images import prepare_image
from projects.ai.schema import response_schema

from .fake_openai import USAGE, FakeOpenAI
from .samples import leaks, private_jpeg


def photos(count: int = 3) -> list[PhotoInput]:
    jpeg = prepare_image(private_jpeg())
    return [
        PhotoInput(
            photo_id=f"photo-{n}", jpeg=jpeg, place="Lisbon, Portugal", month=date(2021, 7, 1)
        )
        for n in range(count)
    ]


def draft_for(user: User, batch: list[PhotoInput] | None = None) -> Draft:
    options = DraftOptions(user_public_id=str(user.public_id))
    return get_provider().draft_story(batch if batch is not None else photos(), options)


def sent_images(body: dict[str, Any]) -> list[dict[str, Any]]:
    content = body["input"][0]["content"]
    return [part for part in content if part["type"] == "input_image"]


def decoded(part: dict[str, Any]) -> bytes:
    prefix = "data:image/jpeg;base64,"
    assert part["image_url"].startswith(prefix)
    return base64.b64decode(part["image_url"][len(prefix) :])


def test_a_draft_has_a_title_story_a_caption_per_photo_and_an_order_with_reasons(
    fake_openai: FakeOpenAI, bob: User
) -> None:
    draft = draft_for(bob)
    assert draft.title == "A Summer by the Sea"
    assert draft.story.startswith("We walked the coast")
    assert draft.captions == {
        "photo-0": "Waves at dawn (p1)",
        "photo-1": "Waves at dawn (p2)",
        "photo-2": "Waves at dawn (p3)",
    }
    assert [step.photo_id for step in draft.order] == ["photo-2", "photo-1", "photo-0"]
    assert draft.order[0].reason == "p3 opens the day"


def test_a_draft_records_its_tokens_model_and_prompt_version(
    fake_openai: FakeOpenAI, bob: User
) -> None:
    draft = draft_for(bob)
    assert (draft.usage.input_tokens, draft.usage.output_tokens, draft.usage.cached_tokens) == (
        USAGE["input_tokens"],
        USAGE["output_tokens"],
        USAGE["cached_tokens"],
    )
    assert draft.model == "gpt-4o-mini"
    assert draft.prompt_version == "draft-v1"


def test_one_request_carries_the_whole_batch(fake_openai: FakeOpenAI, bob: User) -> None:
    draft_for(bob, photos(5))
    assert len(fake_openai.requests) == 1
    assert len(sent_images(fake_openai.requests[0])) == 5


def test_images_are_sent_as_small_jpegs_without_exif_gps_or_file_name(
    fake_openai: FakeOpenAI, bob: User
) -> None:
    draft_for(bob)
    for part in sent_images(fake_openai.requests[0]):
        jpeg = decoded(part)
        with Image.open(io.BytesIO(jpeg)) as image:
            assert image.format == "JPEG"
            assert max(image.size) <= 768
        assert leaks(jpeg) == []
    assert b"IMG_" not in fake_openai.raw_bodies[0]


def test_no_email_name_or_public_id_is_anywhere_in_the_request(
    fake_openai: FakeOpenAI, alice: User
) -> None:
    draft_for(alice)
    raw = fake_openai.raw_bodies[0].decode()
    headers = json.dumps(fake_openai.headers[0])
    for secret in ("alice@example.com", "Alice", "Archer", str(alice.public_id)):
        assert secret not in raw
        assert secret not in headers


def test_the_request_asks_not_to_store_and_for_low_detail_images(
    fake_openai: FakeOpenAI, bob: User
) -> None:
    draft_for(bob)
    body = fake_openai.requests[0]
    assert body["store"] is False
    assert {part["detail"] for part in sent_images(body)} == {"low"}


def test_a_plan_that_allows_more_detail_sends_it(fake_openai: FakeOpenAI, bob: User) -> None:
    options = DraftOptions(user_public_id=str(bob.public_id), detail="high")
    get_provider().draft_story(photos(), options)
    assert {part["detail"] for part in sent_images(fake_openai.requests[0])} == {"high"}


def test_month_and_place_go_as_text_beside_each_image(fake_openai: FakeOpenAI, bob: User) -> None:
    draft_for(bob, photos(1))
    texts = [p["text"] for p in fake_openai.requests[0]["input"][0]["content"] if "text" in p]
    assert texts == ["Photo p1, taken July 2021, near Lisbon, Portugal"]


def test_the_safety_identifier_is_stable_per_user_and_differs_between_users(
    fake_openai: FakeOpenAI, bob: User, charlie: User
) -> None:
    draft_for(bob)
    draft_for(bob)
    draft_for(charlie)
    first, again, other = (body["safety_identifier"] for body in fake_openai.requests)
    assert first == again != other
    assert "bob" not in first and str(bob.public_id) not in first


def test_model_and_output_limit_come_from_settings(
    fake_openai: FakeOpenAI, bob: User, settings: Any
) -> None:
    settings.OPENAI_MODEL = "gpt-4.1-mini"
    settings.OPENAI_MAX_OUTPUT_TOKENS = 777
    draft_for(bob)
    body = fake_openai.requests[0]
    assert (body["model"], body["max_output_tokens"]) == ("gpt-4.1-mini", 777)
    assert fake_openai.headers[0]["authorization"] == "Bearer sk-fake-test-key"


def test_the_answer_is_asked_for_in_a_strict_json_schema_naming_only_the_photos_sent(
    fake_openai: FakeOpenAI, bob: User
) -> None:
    draft_for(bob, photos(2))
    fmt = fake_openai.requests[0]["text"]["format"]
    assert (fmt["type"], fmt["strict"]) == ("json_schema", True)
    schema = fmt["schema"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"title", "story", "captions", "order"}
    photo_ref = schema["properties"]["captions"]["items"]["properties"]["photo"]
    assert photo_ref["enum"] == ["p1", "p2"]


def test_model_text_loses_control_characters_and_is_length_limited(
    fake_openai: FakeOpenAI, bob: User
) -> None:
    fake_openai.output_text = json.dumps(
        {
            "title": "Sum\x00mer\x1b[31m by\tthe\nsea " + "very " * 40,
            "story": "One.\x07 Two.",
            "captions": [{"photo": "p1", "caption": "A\u202e dog " + "x" * 500}],
            "order": [{"photo": "p1", "reason": "first\r\nline"}],
        }
    )
    draft = draft_for(bob, photos(1))
    assert draft.title.startswith("Summer[31m by the sea very")
    assert len(draft.title) <= 80 and draft.title.endswith("…")
    assert draft.story == "One. Two."
    assert len(draft.captions["photo-0"]) <= 140
    assert draft.order[0].reason == "first line"
    every_text = [draft.title, draft.story, *draft.captions.values(), draft.order[0].reason]
    assert not any(ch in text for text in every_text for ch in "\x00\x1b\x07\t\n\r\u202e")


def test_a_photo_passed_unprepared_is_still_sent_small_and_clean(
    fake_openai: FakeOpenAI, bob: User
) -> None:
    raw = PhotoInput(photo_id="raw", jpeg=private_jpeg((1600, 1600)))
    draft_for(bob, [raw])
    jpeg = decoded(sent_images(fake_openai.requests[0])[0])
    assert leaks(jpeg) == []
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.size == (768, 768)


def test_the_base_url_may_come_from_the_environment_alone(
    fake_openai: FakeOpenAI, bob: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OPENAI_BASE_URL = ""
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.url)
    draft_for(bob, photos(1))
    assert len(fake_openai.requests) == 1


def test_the_fakes_answers_are_valid_responses_by_the_clients_own_types(
    fake_openai: FakeOpenAI,
) -> None:
    # The client builds its models without validating; this keeps the fake honest.
    from openai.types.responses import Response

    body = {"model": "m", "text": {"format": {"schema": response_schema(["p1"])}}}
    for mode in ("ok", "refusal", "truncated", "empty"):
        fake_openai.mode = mode
        status, _, payload = fake_openai.answer(body)
        assert status == 200
        Response.model_validate(payload)
