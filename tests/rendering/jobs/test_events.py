"""Live progress: PostgreSQL NOTIFY from the worker, relayed to the owner's browser as SSE."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient

from accounts.models import User
from projects.models import VideoProject
from rendering.services import video_cancel, video_request_render
from tests.projects.conftest import jpeg_bytes
from tests.rendering.jobs.support import Worker

pytestmark = pytest.mark.django_db(transaction=True)


async def read_events(client: AsyncClient, url: str) -> list[dict[str, Any]]:
    response: Any = await client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    events = []
    async for chunk in response.streaming_content:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        if text.startswith("data: "):
            events.append(json.loads(text.removeprefix("data: ")))
    return events


def test_the_owner_watches_a_render_move_live_to_completed(
    bob: User,
    bob_project: VideoProject,
    start_worker: Callable[..., Worker],
    add_photo: Callable[..., Any],
) -> None:
    # A render long enough for the bar to be seen moving on a fast machine: the three photos
    # of the fixture encode in about a second, between two progress reports.
    for index in range(3, 9):
        add_photo(
            bob_project, jpeg_bytes((640, 480), colour=(30 * index, 90, 150)), name=f"{index}.jpg"
        )
    start_worker("w1")
    client = AsyncClient()
    client.force_login(bob)
    video, _ = video_request_render(user=bob, project=bob_project)
    url = f"/projects/{bob_project.public_id}/videos/{video.public_id}/events"

    events = async_to_sync(read_events)(client, url)

    assert events[0]["video"] == str(video.public_id)
    assert events[-1]["status"] == "completed" and events[-1]["progress"] == 100
    rendering = [e for e in events if e["stage"] == "rendering"]
    assert len(rendering) >= 3  # the bar moves while FFmpeg works, not only at the end
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress)
    assert any(e["eta_seconds"] is not None for e in rendering)


def test_a_finished_job_streams_its_final_state_and_closes(
    bob: User, bob_project: VideoProject, broker: Any
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    video_cancel(video=video)
    client = AsyncClient()
    client.force_login(bob)
    url = f"/projects/{bob_project.public_id}/videos/{video.public_id}/events"
    events = async_to_sync(read_events)(client, url)
    assert [e["status"] for e in events] == ["cancelled"]


def test_only_the_owner_can_open_the_stream(
    bob: User, charlie: User, bob_project: VideoProject, broker: Any
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    url = f"/projects/{bob_project.public_id}/videos/{video.public_id}/events"
    anonymous = async_to_sync(AsyncClient().get)(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client = AsyncClient()
    client.force_login(charlie)
    assert async_to_sync(client.get)(url).status_code == 404


def test_under_wsgi_the_stream_declines_so_the_page_polls_instead(
    client: Any, bob: User, bob_project: VideoProject, broker: Any
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    client.force_login(bob)
    response = client.get(f"/projects/{bob_project.public_id}/videos/{video.public_id}/events")
    # 204 is the one answer after which EventSource stops reconnecting (the page then polls).
    assert response.status_code == 204 and response.content == b""
