"""Suggestions as a user gets them: asked for, drafted against the fake, accepted or not."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from accounts.models import User
from billing.errors import LimitExceeded
from projects.models import (
    AiRequest,
    AiRequestStatus,
    CaptionSource,
    Photo,
    SuggestionField,
    SuggestionState,
    VideoProject,
)
from projects.selectors import ai_requests_this_month, ai_suggestions, ai_usage
from projects.services import photo_caption_update, project_update
from projects.services.ai import (
    AiNotConfigured,
    AiNotEnabled,
    SuggestionNotPending,
    ai_request_create,
    ai_request_dispatch,
    ai_request_run,
    suggestion_accept,
    suggestion_reject,
    suggestion_undo,
    suggestions_accept_all,
)
from rendering.services.requests import _spec
from tests.conftest import clear_our_cache_keys
from tests.projects.conftest import jpeg_bytes

from .fake_openai import USAGE, FakeOpenAI
from .samples import leaks

LISBON = (38.7223, -9.1393)


@pytest.fixture
def plus(settings: Any) -> None:
    settings.BILLING_DEFAULT_PLAN = "plus"


@pytest.fixture
def memory(bob: User, plus: None, add_photo: Callable[..., Photo]) -> VideoProject:
    """Bob's project with AI on and three photos taken in Lisbon in July 2021."""
    from projects.services import project_create

    project = project_create(owner=bob, title="Summer")
    project_update(project=project, ai_enabled=True)
    for n, colour in enumerate([(200, 40, 40), (40, 200, 40), (40, 40, 200)]):
        data = jpeg_bytes((900, 600), taken=datetime(2021, 7, 14 + n), gps=LISBON, colour=colour)
        add_photo(project, data, name=f"IMG_{n}.JPG")
    return project


def ask(project: VideoProject) -> AiRequest:
    """Request suggestions and run them here (the worker's part), as the task would."""
    request, created = ai_request_create(user=project.owner, project=project)
    assert created
    ai_request_run(request_id=request.pk)
    request.refresh_from_db()
    return request


def by_field(project: VideoProject, field: str) -> list[Any]:
    return [s for s in ai_suggestions(project=project) if s.field == field]


def test_a_request_drafts_a_title_a_story_an_order_and_a_caption_per_photo(
    fake_openai: FakeOpenAI, memory: VideoProject
) -> None:
    request = ask(memory)
    assert request.status == AiRequestStatus.COMPLETED
    assert [s.text for s in by_field(memory, SuggestionField.TITLE)] == ["A Summer by the Sea"]
    assert by_field(memory, SuggestionField.STORY)[0].text.startswith("We walked the coast")
    captions = by_field(memory, SuggestionField.CAPTION)
    assert sorted(s.photo.original_name for s in captions) == [
        "IMG_0.JPG",
        "IMG_1.JPG",
        "IMG_2.JPG",
    ]
    order = by_field(memory, SuggestionField.ORDER)[0].order
    assert [step["reason"] for step in order] == [
        "p3 opens the day",
        "p2 opens the day",
        "p1 opens the day",
    ]
    # Nothing is applied until the user says so.
    memory.refresh_from_db()
    assert memory.title == "Summer" and memory.story == ""
    assert all(p.caption == "" for p in memory.photos.all())


def test_what_was_sent_and_what_it_cost_is_recorded(
    fake_openai: FakeOpenAI, memory: VideoProject
) -> None:
    request = ask(memory)
    assert len(fake_openai.requests) == 1  # one request for the batch
    assert (request.input_tokens, request.output_tokens) == (
        USAGE["input_tokens"],
        USAGE["output_tokens"],
    )
    assert request.cached_tokens == USAGE["cached_tokens"]
    assert request.model == "gpt-4o-mini" and request.detail == "low"
    assert [entry["fields"] for entry in request.sent] == [["image", "month"]] * 3
    assert request.sent_bytes == sum(e["bytes"] for e in request.sent) > 0
    # 900×600 photos are scaled to 768 px on the long side.
    assert {(e["width"], e["height"]) for e in request.sent} == {(768, 512)}
    assert ai_usage(project=memory)["input_tokens"] == USAGE["input_tokens"]
    assert ai_usage(owner=memory.owner)["output_tokens"] == USAGE["output_tokens"]


def test_the_model_gets_small_clean_jpegs_and_no_place_unless_allowed(
    fake_openai: FakeOpenAI, memory: VideoProject
) -> None:
    ask(memory)
    body = fake_openai.requests[0]
    parts = body["input"][0]["content"]
    images = [p for p in parts if p["type"] == "input_image"]
    texts = " ".join(p["text"] for p in parts if p["type"] == "input_text")
    for image in images:
        jpeg = base64.b64decode(image["image_url"].split(",", 1)[1])
        assert not leaks(jpeg) and image["detail"] == "low"
    assert "July 2021" in texts and "Lisbon" not in texts
    raw = fake_openai.raw_bodies[0]
    assert b"IMG_" not in raw and memory.owner.email.encode() not in raw
    assert str(memory.owner.public_id).encode() not in raw
    assert body["store"] is False and body["safety_identifier"]


def test_places_are_sent_only_when_the_user_allowed_them(
    fake_openai: FakeOpenAI, memory: VideoProject
) -> None:
    project_update(project=memory, ai_places=True)
    request = ask(memory)
    texts = [p["text"] for p in fake_openai.requests[0]["input"][0]["content"] if "text" in p]
    assert all("Lisbon" in text for text in texts)
    assert [entry["fields"] for entry in request.sent] == [["image", "month", "place"]] * 3


def test_asking_again_for_the_same_photos_is_answered_from_the_cache_for_free(
    fake_openai: FakeOpenAI, memory: VideoProject
) -> None:
    ask(memory)
    again = ask(memory)
    assert len(fake_openai.requests) == 1
    assert again.from_cache and again.input_tokens == again.output_tokens == 0
    assert ai_requests_this_month(user=memory.owner) == 1
    assert len(by_field(memory, SuggestionField.CAPTION)) == 3


def test_a_changed_photo_set_is_asked_again(
    fake_openai: FakeOpenAI, memory: VideoProject, add_photo: Callable[..., Photo]
) -> None:
    ask(memory)
    add_photo(memory, jpeg_bytes((700, 500), colour=(10, 10, 10)), name="IMG_9.JPG")
    assert not ask(memory).from_cache
    assert len(fake_openai.requests) == 2


def test_large_projects_are_drafted_in_batches(
    fake_openai: FakeOpenAI, memory: VideoProject, settings: Any
) -> None:
    settings.AI_BATCH_PHOTOS = 2
    request = ask(memory)
    assert request.batches == 2 and len(fake_openai.requests) == 2
    assert len(by_field(memory, SuggestionField.CAPTION)) == 3
    assert len(by_field(memory, SuggestionField.ORDER)[0].order) == 3


@pytest.mark.parametrize(
    ("mode", "code", "words"),
    [
        ("slow", "ai_timeout", "took too long"),
        ("unauthorized", "ai_unauthorized", "refused the API key"),
        ("rate_limited", "ai_rate_limited", "wait 7 s"),
        ("server_error", "ai_server_error", "internal error"),
        ("malformed", "ai_malformed", "not readable"),
        ("truncated", "ai_truncated", "cut off"),
        ("refusal", "ai_refused", "declined"),
        ("schema_breaking", "ai_schema_violation", "did not fit"),
        ("empty", "ai_empty", "empty answer"),
    ],
)
def test_each_failure_is_told_to_the_user_and_changes_nothing_of_theirs(
    fake_openai: FakeOpenAI, memory: VideoProject, mode: str, code: str, words: str
) -> None:
    fake_openai.mode = mode
    fake_openai.slow_seconds = 2.0
    photo = memory.photos.first()
    assert photo is not None
    photo_caption_update(photo=photo, caption="Grandma's garden")
    request = ask(memory)
    assert request.status == AiRequestStatus.FAILED
    assert request.error_code == code and words in request.error_message
    assert not ai_suggestions(project=memory).exists()
    photo.refresh_from_db()
    assert photo.caption == "Grandma's garden"
    # The render still has every photo's caption: the user's, else the offline one.
    captions = [p["caption"] or p["auto_caption"] for p in _spec(memory)["photos"]]
    assert captions[0] == "Grandma's garden" and all("July 2021" in c for c in captions[1:])
    assert ai_requests_this_month(user=memory.owner) == 0  # a failure costs no allowance


def test_a_connection_refused_is_unreachable(memory: VideoProject, settings: Any) -> None:
    settings.OPENAI_API_KEY = "sk-test"  # the test settings point the client at a closed port
    settings.OPENAI_MAX_RETRIES = 0
    request = ask(memory)
    assert request.error_code == "ai_unreachable"


def test_without_a_key_suggestions_are_not_offered(memory: VideoProject) -> None:
    with pytest.raises(AiNotConfigured, match="not set up"):
        ai_request_create(user=memory.owner, project=memory)


def test_ai_is_opt_in_per_project(fake_openai: FakeOpenAI, memory: VideoProject) -> None:
    project_update(project=memory, ai_enabled=False)
    with pytest.raises(AiNotEnabled):
        ai_request_create(user=memory.owner, project=memory)
    assert fake_openai.requests == []


def test_the_free_plan_has_no_ai_allowance(
    fake_openai: FakeOpenAI, memory: VideoProject, settings: Any
) -> None:
    settings.BILLING_DEFAULT_PLAN = "free"
    clear_our_cache_keys()  # the plan is cached for a while; a downgrade's webhook clears it
    with pytest.raises(LimitExceeded) as caught:
        ai_request_create(user=memory.owner, project=memory)
    assert caught.value.limit == "ai_drafts_per_month" and caught.value.allowed == 0
    assert "Plus and Pro" in caught.value.message
    assert not AiRequest.objects.exists()


def test_the_monthly_allowance_is_enforced_before_the_request(
    fake_openai: FakeOpenAI, memory: VideoProject, settings: Any
) -> None:
    from dataclasses import replace

    import billing.catalogue as catalogue

    plus = catalogue.PLANS_BY_KEY["plus"]
    settings_plan = replace(plus, entitlements=replace(plus.entitlements, ai_drafts_per_month=1))
    catalogue.PLANS_BY_KEY["plus"] = settings_plan
    try:
        ask(memory)
        with pytest.raises(LimitExceeded, match="1 of the 1"):
            ai_request_create(user=memory.owner, project=memory)
    finally:
        catalogue.PLANS_BY_KEY["plus"] = plus
    assert len(fake_openai.requests) == 1


def test_a_second_click_while_drafting_gets_the_same_request(
    fake_openai: FakeOpenAI, memory: VideoProject
) -> None:
    first, created = ai_request_create(user=memory.owner, project=memory)
    again, created_again = ai_request_create(user=memory.owner, project=memory)
    assert created and not created_again and again.pk == first.pk
    assert ai_request_run(request_id=first.pk) == "completed"
    assert ai_request_run(request_id=first.pk) == "skipped"  # a second delivery is a no-op
    assert len(fake_openai.requests) == 1


# --- deciding ----------------------------------------------------------------------------------


def test_accepting_a_caption_uses_it_and_editing_one_makes_it_the_users(
    fake_openai: FakeOpenAI, memory: VideoProject
) -> None:
    ask(memory)
    first, second, third = by_field(memory, SuggestionField.CAPTION)
    suggestion_accept(suggestion=first)
    suggestion_accept(suggestion=second, text="  Our   red door ")
    suggestion_reject(suggestion=third)
    first.photo.refresh_from_db()
    second.photo.refresh_from_db()
    third.photo.refresh_from_db()
    assert (first.photo.caption, first.photo.caption_source) == (first.text, CaptionSource.AI)
    assert (second.photo.caption, second.photo.caption_source) == ("Our red door", "user")
    assert third.photo.caption == "" and third.state == SuggestionState.REJECTED
    with pytest.raises(SuggestionNotPending):
        suggestion_accept(suggestion=third)
    spec_captions = {p["name"]: p["caption"] for p in _spec(memory)["photos"]}
    assert spec_captions[second.photo.original_name] == "Our red door"


def test_accept_all_never_overwrites_a_caption_the_user_wrote(
    fake_openai: FakeOpenAI, memory: VideoProject
) -> None:
    own = memory.photos.order_by("position").first()
    assert own is not None
    photo_caption_update(photo=own, caption="Written by me")
    ask(memory)
    counts = suggestions_accept_all(project=memory)
    assert counts == {"accepted": 5, "kept": 1}  # title, story, order and two captions
    own.refresh_from_db()
    memory.refresh_from_db()
    assert own.caption == "Written by me"
    assert memory.title == "A Summer by the Sea" and memory.story.startswith("We walked")
    assert _spec(memory)["story"] == memory.story
    others = memory.photos.exclude(pk=own.pk)
    assert all(p.caption.startswith("Waves at dawn") for p in others)


def test_accepting_the_order_reorders_and_undo_puts_it_back(
    fake_openai: FakeOpenAI, memory: VideoProject
) -> None:
    before = list(memory.photos.order_by("position").values_list("original_name", flat=True))
    ask(memory)
    order = by_field(memory, SuggestionField.ORDER)[0]
    suggestion_accept(suggestion=order)
    after = list(memory.photos.order_by("position").values_list("original_name", flat=True))
    assert after == list(reversed(before))
    suggestion_undo(suggestion=order)
    undone = list(memory.photos.order_by("position").values_list("original_name", flat=True))
    assert undone == before and order.state == SuggestionState.PENDING


def test_a_new_request_replaces_undecided_suggestions_but_keeps_decisions(
    fake_openai: FakeOpenAI, memory: VideoProject, add_photo: Callable[..., Photo]
) -> None:
    ask(memory)
    title = by_field(memory, SuggestionField.TITLE)[0]
    suggestion_accept(suggestion=title)
    add_photo(memory, jpeg_bytes((700, 500), colour=(10, 10, 10)), name="IMG_9.JPG")
    ask(memory)
    assert len(by_field(memory, SuggestionField.CAPTION)) == 4
    title.refresh_from_db()
    assert title.state == SuggestionState.ACCEPTED
    memory.refresh_from_db()
    assert memory.title == "A Summer by the Sea"


def test_an_undated_photo_is_sent_without_a_month(
    fake_openai: FakeOpenAI, memory: VideoProject, add_photo: Callable[..., Photo]
) -> None:
    add_photo(memory, jpeg_bytes((700, 500)), name="scan.jpg")
    request = ask(memory)
    assert request.sent[-1]["fields"] == ["image"]


def test_a_request_the_broker_cannot_take_fails_at_once_with_a_reason(
    fake_openai: FakeOpenAI, memory: VideoProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from celery import current_app

    monkeypatch.setattr(current_app.conf, "broker_url", "redis://127.0.0.1:9/0")
    request, _ = ai_request_create(user=memory.owner, project=memory)
    ai_request_dispatch(request_id=request.pk)
    request.refresh_from_db()
    assert request.status == AiRequestStatus.FAILED
    assert "could not be queued" in request.error_message
    # The user can ask again at once: the failed one no longer blocks the project.
    again, created = ai_request_create(user=memory.owner, project=memory)
    assert created and again.pk != request.pk
