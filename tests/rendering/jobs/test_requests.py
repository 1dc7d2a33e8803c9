"""Asking for a render: one job per project at a time, the plan's limits, cancel and retry."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from accounts.models import User
from billing.entitlements import get_entitlements
from billing.errors import LimitExceeded
from projects.models import ProjectStatus, VideoProject
from projects.services import project_create
from rendering.models import GeneratedVideo, VideoStatus
from rendering.services import video_cancel, video_request_render

pytestmark = pytest.mark.django_db


def url(project: VideoProject, tail: str) -> str:
    return f"/api/v1/projects/{project.public_id}/{tail}"


def test_render_queues_one_job_and_hands_it_to_the_broker_after_commit(
    bob: User,
    bob_project: VideoProject,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[int] = []
    monkeypatch.setattr(
        "rendering.services.requests.video_dispatch", lambda *, video_id: sent.append(video_id)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        video, created = video_request_render(user=bob, project=bob_project)
        assert sent == []  # not before the row is committed: a worker would not find it
    for callback in callbacks:
        callback()
    assert created and sent == [video.pk]
    assert video.status == VideoStatus.QUEUED and video.photo_count == 3
    assert [p["caption"] for p in video.spec["photos"]] == ["", "", ""]
    bob_project.refresh_from_db()
    assert bob_project.status == ProjectStatus.PROCESSING


def test_a_second_render_press_returns_the_running_job(
    client: Any, bob: User, bob_project: VideoProject
) -> None:
    client.force_login(bob)
    first = client.post(url(bob_project, "render/"))
    second = client.post(url(bob_project, "render/"))
    assert (first.status_code, second.status_code) == (202, 200)
    assert first.json()["id"] == second.json()["id"]
    assert GeneratedVideo.objects.count() == 1


def test_an_empty_project_gets_a_clear_400(client: Any, bob: User) -> None:
    project = project_create(owner=bob, title="Nothing yet")
    client.force_login(bob)
    response = client.post(url(project, "render/"))
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Add at least one photo before making the video."
    )
    assert not GeneratedVideo.objects.exists()


def test_the_monthly_limit_answers_402_with_the_limit_the_use_and_the_way_up(
    client: Any, bob: User, add_photo: Callable[..., Any], media: Any
) -> None:
    allowed = get_entitlements(user=bob).renders_per_month
    for n in range(allowed):
        project = project_create(owner=bob, title=f"Trip {n}", resolution="720p")
        add_photo(project)
        video_request_render(user=bob, project=project)
    extra = project_create(owner=bob, title="One more", resolution="720p")
    add_photo(extra)
    client.force_login(bob)
    response = client.post(url(extra, "render/"))
    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "plan_limit"
    assert error["limit"] == {
        "name": "renders_per_month",
        "current": allowed,
        "allowed": allowed,
        "upgrade_url": "http://testserver/pricing/",
    }
    assert f"{allowed} of the {allowed} videos" in error["message"]
    assert GeneratedVideo.objects.filter(project=extra).count() == 0


def test_cancelled_and_failed_renders_do_not_use_up_the_month(
    bob: User, bob_project: VideoProject
) -> None:
    allowed = get_entitlements(user=bob).renders_per_month
    for _ in range(allowed + 2):
        video, _ = video_request_render(user=bob, project=bob_project)
        video_cancel(video=video)
    video, created = video_request_render(user=bob, project=bob_project)
    assert created and video.status == VideoStatus.QUEUED


@pytest.mark.django_db(transaction=True)
def test_two_presses_at_the_last_render_of_the_month_let_exactly_one_through(
    bob: User, add_photo: Callable[..., Any], media: Any
) -> None:
    assert connection.vendor == "postgresql"
    allowed = get_entitlements(user=bob).renders_per_month
    projects = []
    for n in range(allowed + 1):
        project = project_create(owner=bob, title=f"Trip {n}", resolution="720p")
        add_photo(project)
        projects.append(project)
    for project in projects[: allowed - 1]:
        video_request_render(user=bob, project=project)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def press(project: VideoProject) -> None:
        barrier.wait()
        try:
            video_request_render(user=bob, project=project)
            outcomes.append("queued")
        except LimitExceeded:
            outcomes.append("limit")
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(p,)) for p in projects[allowed - 1 :]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["limit", "queued"]
    assert GeneratedVideo.objects.filter(owner=bob).count() == allowed


def test_cancel_of_a_queued_job_and_a_retry(
    client: Any, bob: User, bob_project: VideoProject
) -> None:
    client.force_login(bob)
    job = client.post(url(bob_project, "render/")).json()
    cancelled = client.post(url(bob_project, f"videos/{job['id']}/cancel/"))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(url(bob_project, f"videos/{job['id']}/cancel/"))
    assert again.status_code == 409
    assert "already cancelled" in again.json()["error"]["message"]
    retried = client.post(url(bob_project, f"videos/{job['id']}/retry/"))
    assert retried.status_code == 202 and retried.json()["status"] == "queued"
    assert retried.json()["id"] != job["id"]


def test_a_completed_video_cannot_be_retried(
    bob: User, bob_project: VideoProject, client: Any
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    GeneratedVideo.objects.filter(pk=video.pk).update(status=VideoStatus.COMPLETED)
    client.force_login(bob)
    response = client.post(url(bob_project, f"videos/{video.public_id}/retry/"))
    assert response.status_code == 409


def test_nobody_else_can_see_start_cancel_or_follow_bobs_video(
    client: Any, bob: User, charlie: User, bob_project: VideoProject
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    client.force_login(charlie)
    base = url(bob_project, f"videos/{video.public_id}/")
    assert client.get(base).status_code == 404
    assert client.post(base + "cancel/").status_code == 404
    assert client.post(url(bob_project, "render/")).status_code == 404
    assert client.get(url(bob_project, "videos/")).status_code == 404
    page = f"/projects/{bob_project.public_id}/videos/{video.public_id}/"
    assert client.get(page + "events").status_code == 404
    assert client.get(page + "mp4").status_code == 404
    video.refresh_from_db()
    assert video.status == VideoStatus.QUEUED


def test_the_web_render_button_queues_and_the_editor_shows_progress(
    client: Any, bob: User, bob_project: VideoProject
) -> None:
    client.force_login(bob)
    response = client.post(f"/projects/{bob_project.public_id}/render", follow=True)
    page = response.content.decode()
    assert "Your video is being made" in page
    assert 'id="render-bar"' in page and "Waiting for a free renderer" in page
    assert 'id="cancel-render"' in page


def test_a_cancelled_re_render_leaves_the_project_completed_on_the_dashboard(
    client: Any, bob: User, bob_project: VideoProject
) -> None:
    client.force_login(bob)
    GeneratedVideo.objects.create(
        project=bob_project, owner=bob, status=VideoStatus.COMPLETED, output_key="done.mp4"
    )
    VideoProject.objects.filter(pk=bob_project.pk).update(status=ProjectStatus.COMPLETED)
    job = client.post(url(bob_project, "render/")).json()
    bob_project.refresh_from_db()
    assert bob_project.status == ProjectStatus.PROCESSING

    client.post(url(bob_project, f"videos/{job['id']}/cancel/"))

    bob_project.refresh_from_db()
    assert bob_project.status == ProjectStatus.COMPLETED
    assert client.get(url(bob_project, "")).json()["status"] == "completed"
    assert "Cancelled" not in client.get("/").content.decode()


def test_a_cancelled_first_render_leaves_the_project_cancelled(
    client: Any, bob: User, bob_project: VideoProject
) -> None:
    client.force_login(bob)
    job = client.post(url(bob_project, "render/")).json()
    client.post(url(bob_project, f"videos/{job['id']}/cancel/"))
    bob_project.refresh_from_db()
    assert bob_project.status == ProjectStatus.CANCELLED
