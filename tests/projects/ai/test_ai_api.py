"""AI writing through the REST API, as a mobile app uses it (X-Session-Token, JSON only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from accounts.models import User
from projects.models import AiRequest, Photo, VideoProject
from projects.services import project_create, project_update
from projects.services.ai import ai_request_run
from tests.conftest import clear_our_cache_keys
from tests.projects.conftest import api_url, jpeg_bytes

from .fake_openai import USAGE, FakeOpenAI


@pytest.fixture
def memory(bob: User, settings: Any, add_photo: Callable[..., Photo]) -> VideoProject:
    settings.BILLING_DEFAULT_PLAN = "plus"
    project = project_create(owner=bob, title="Summer")
    for n in range(2):
        add_photo(project, jpeg_bytes((800, 600), taken=datetime(2022, 8, 1 + n)), name=f"{n}.jpg")
    return project


@pytest.fixture
def app(client: Any, bob_token: str) -> Callable[..., Any]:
    """A JSON call with bob's mobile session token and no cookie."""

    def call(method: str, url: str, body: Any = None) -> Any:
        client.cookies.clear()
        kwargs: dict[str, Any] = {"headers": {"X-Session-Token": bob_token}}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        return getattr(client, method)(url, **kwargs)

    return call


def run_latest(project: VideoProject) -> None:
    """The worker's part, here: the request was queued on commit."""
    request = project.ai_requests.latest("created_at")
    ai_request_run(request_id=request.pk)


def test_the_whole_round_trip_of_an_app(
    fake_openai: FakeOpenAI, memory: VideoProject, app: Callable[..., Any]
) -> None:
    state = app("get", api_url(memory, "ai/")).json()
    assert state["configured"] and not state["enabled"]
    assert state["allowance"] == {"used": 0, "allowed": 30, "detail": "low"}

    off = app("post", api_url(memory, "ai/requests/"), {})
    assert off.status_code == 409 and off.json()["error"]["code"] == "ai_off"

    assert app("patch", api_url(memory), {"ai_enabled": True}).json()["ai_enabled"] is True
    queued = app("post", api_url(memory, "ai/requests/"), {})
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    again = app("post", api_url(memory, "ai/requests/"), {})
    assert again.status_code == 200 and again.json()["id"] == queued.json()["id"]

    run_latest(memory)
    state = app("get", api_url(memory, "ai/")).json()
    assert state["request"]["status"] == "completed"
    assert state["request"]["input_tokens"] == USAGE["input_tokens"]
    assert [e["fields"] for e in state["request"]["sent"]] == [["image", "month"]] * 2
    assert state["usage"]["month"]["output_tokens"] == USAGE["output_tokens"]
    fields = sorted(s["field"] for s in state["suggestions"])
    assert fields == ["caption", "caption", "order", "story", "title"]

    caption = next(s for s in state["suggestions"] if s["field"] == "caption")
    assert caption["current"] == {"text": "", "source": ""}
    edited = app(
        "post",
        api_url(memory, f"ai/suggestions/{caption['id']}/accept/"),
        {"text": "Our first swim"},
    )
    assert edited.status_code == 200 and edited.json()["state"] == "accepted"
    photo = app("get", api_url(memory, f"photos/{caption['photo_id']}/")).json()
    assert (photo["caption"], photo["caption_source"]) == ("Our first swim", "user")

    twice = app("post", api_url(memory, f"ai/suggestions/{caption['id']}/accept/"), {})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "invalid_state"

    title = next(s for s in state["suggestions"] if s["field"] == "title")
    rejected = app("post", api_url(memory, f"ai/suggestions/{title['id']}/reject/"), {})
    assert rejected.json()["state"] == "rejected"

    counts = app("post", api_url(memory, "ai/suggestions/accept-all/"), {}).json()
    assert counts == {"accepted": 3, "kept": 0}  # story, order, the other caption
    project = app("get", api_url(memory)).json()
    assert project["title"] == "Summer" and project["story"].startswith("We walked")

    order = next(
        s for s in app("get", api_url(memory, "ai/")).json()["suggestions"] if s["field"] == "order"
    )
    assert order["can_undo"] and [step["reason"] for step in order["order"]]
    undone = app("post", api_url(memory, f"ai/suggestions/{order['id']}/undo/"), {})
    assert undone.json()["state"] == "pending"


def test_the_free_plan_gets_the_402_body(
    fake_openai: FakeOpenAI, memory: VideoProject, app: Callable[..., Any], settings: Any
) -> None:
    project_update(project=memory, ai_enabled=True)
    settings.BILLING_DEFAULT_PLAN = "free"
    clear_our_cache_keys()
    response = app("post", api_url(memory, "ai/requests/"), {})
    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "plan_limit"
    assert error["limit"]["name"] == "ai_drafts_per_month" and error["limit"]["allowed"] == 0
    assert error["limit"]["upgrade_url"].startswith("http")
    assert not AiRequest.objects.exists()


def test_without_a_key_the_server_says_ai_is_not_set_up(
    memory: VideoProject, app: Callable[..., Any]
) -> None:
    project_update(project=memory, ai_enabled=True)
    assert app("get", api_url(memory, "ai/")).json()["configured"] is False
    response = app("post", api_url(memory, "ai/requests/"), {})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "ai_not_configured"


def test_a_failure_is_readable_in_the_state(
    fake_openai: FakeOpenAI, memory: VideoProject, app: Callable[..., Any]
) -> None:
    fake_openai.mode = "rate_limited"
    project_update(project=memory, ai_enabled=True)
    app("post", api_url(memory, "ai/requests/"), {})
    run_latest(memory)
    request = app("get", api_url(memory, "ai/")).json()["request"]
    assert request["status"] == "failed"
    assert request["error"]["code"] == "ai_rate_limited"
    assert request["retry_after_seconds"] == 7.0


@pytest.mark.parametrize(
    ("body", "field"),
    [({"text": 5}, "text"), ({"text": "x" * 601}, "text")],
)
def test_a_bad_edit_is_a_400_naming_the_field(
    fake_openai: FakeOpenAI,
    memory: VideoProject,
    app: Callable[..., Any],
    body: dict[str, Any],
    field: str,
) -> None:
    project_update(project=memory, ai_enabled=True)
    app("post", api_url(memory, "ai/requests/"), {})
    run_latest(memory)
    caption = next(
        s
        for s in app("get", api_url(memory, "ai/")).json()["suggestions"]
        if s["field"] == "caption"
    )
    response = app("post", api_url(memory, f"ai/suggestions/{caption['id']}/accept/"), body)
    assert response.status_code == 400 and field in response.json()["error"]["fields"]


def test_story_and_switches_are_project_settings(
    memory: VideoProject, app: Callable[..., Any]
) -> None:
    response = app("patch", api_url(memory), {"story": "A long  summer.", "ai_places": True})
    assert response.json()["story"] == "A long summer." and response.json()["ai_places"] is True
    bad = app("patch", api_url(memory), {"ai_enabled": "yes"})
    assert bad.status_code == 400 and "ai_enabled" in bad.json()["error"]["fields"]
