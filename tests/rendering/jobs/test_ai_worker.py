"""A real `celery worker` drafts AI suggestions from the `ai` queue, photos read from S3."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from projects.models import AiRequest, AiRequestStatus, VideoProject
from projects.services import project_update
from tests.conftest import clear_our_cache_keys
from tests.projects.ai.fake_openai import FakeOpenAI, running_fake
from tests.rendering.jobs.support import Worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fake() -> Any:
    with running_fake() as fake:
        yield fake


def test_a_suggestion_request_is_drafted_by_a_worker(
    client: Any,
    bob: User,
    bob_project: VideoProject,
    start_worker: Callable[..., Worker],
    fake: FakeOpenAI,
    settings: Any,
) -> None:
    settings.BILLING_DEFAULT_PLAN = "plus"
    settings.OPENAI_API_KEY = "sk-fake"  # this process only decides whether AI is offered
    clear_our_cache_keys()  # bob's plan was cached (free) when his project was made
    worker = start_worker(
        TEST_OPENAI_API_KEY="sk-fake", TEST_OPENAI_BASE_URL=fake.url, BILLING_DEFAULT_PLAN="plus"
    )
    project_update(project=bob_project, ai_enabled=True)
    client.force_login(bob)
    response = client.post(f"/api/v1/projects/{bob_project.public_id}/ai/requests/")
    assert response.status_code == 202, response.content

    def finished() -> AiRequest | None:
        request = AiRequest.objects.get(public_id=response.json()["id"])
        return request if request.status in (AiRequestStatus.COMPLETED, "failed") else None

    request = wait_until(finished, timeout=60, what="the AI request to finish", every=0.2)
    assert request.status == AiRequestStatus.COMPLETED, (request.error_detail, worker.tail())
    assert len(fake.requests) == 1 and request.photo_count == 3
    assert bob_project.suggestions.filter(field="caption").count() == 3
    assert worker.count("projects.tasks.draft_suggestions") >= 1
