"""Operators' tools: the sweeper, render_requeue_stuck, render_stats and the admin."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from projects.models import VideoProject
from rendering.models import GeneratedVideo, VideoStatus
from rendering.services import video_request_render, videos_sweep
from tests.rendering.jobs.support import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)


def lost(video: GeneratedVideo, *, attempt: int = 1) -> None:
    """As if its worker was killed a while ago: processing, lease long expired."""
    GeneratedVideo.objects.filter(pk=video.pk).update(
        status=VideoStatus.PROCESSING,
        attempt=attempt,
        claim_token="00000000-0000-0000-0000-000000000001",
        lease_expires_at=timezone.now() - timedelta(minutes=5),
    )


def test_the_sweeper_requeues_a_job_whose_worker_vanished(
    bob: User, bob_project: VideoProject, broker: RedisServer
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    lost(video)
    before = broker.queue_length()
    assert videos_sweep() == {"requeued": 1, "failed": 0, "resent": 0}
    video.refresh_from_db()
    assert (video.status, video.claim_token) == (VideoStatus.QUEUED, None)
    assert broker.queue_length() == before + 1
    assert videos_sweep()["requeued"] == 0  # done once, not on every sweep


def test_the_sweeper_fails_a_job_out_of_attempts_with_a_clear_message(
    bob: User, bob_project: VideoProject, settings: Any
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    lost(video, attempt=settings.RENDER_MAX_ATTEMPTS)
    assert videos_sweep()["failed"] == 1
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED
    assert video.error_message.startswith(f"Rendering stopped unexpectedly {video.attempt} times")


def test_the_sweeper_resends_queued_jobs_nobody_claimed(
    bob: User, bob_project: VideoProject, broker: RedisServer, settings: Any
) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    long_ago = timezone.now() - timedelta(seconds=settings.RENDER_RESEND_AFTER_SECONDS + 5)
    GeneratedVideo.objects.filter(pk=video.pk).update(enqueued_at=long_ago)
    before = broker.queue_length()
    assert videos_sweep()["resent"] == 1
    assert broker.queue_length() == before + 1
    assert videos_sweep()["resent"] == 0  # not again until it is stale again


def test_render_requeue_stuck_reports_what_it_did(bob: User, bob_project: VideoProject) -> None:
    video, _ = video_request_render(user=bob, project=bob_project)
    lost(video)
    out = StringIO()
    call_command("render_requeue_stuck", stdout=out)
    assert out.getvalue().strip() == (
        "re-queued 1, failed 0 (out of attempts), resent 0 queued job(s)"
    )


def test_render_stats_shows_the_queue_failures_and_render_times(
    bob: User, bob_project: VideoProject
) -> None:
    now = timezone.now()
    project = bob_project
    for seconds in (10, 20, 30, 40):
        GeneratedVideo.objects.create(
            project=project,
            owner=bob,
            status=VideoStatus.COMPLETED,
            started_at=now,
            finished_at=now + timedelta(seconds=seconds),
        )
    GeneratedVideo.objects.filter(status=VideoStatus.COMPLETED).update(created_at=now)
    GeneratedVideo.objects.create(project=project, owner=bob, status=VideoStatus.FAILED)
    GeneratedVideo.objects.create(project=project, owner=bob, status=VideoStatus.QUEUED)
    out = StringIO()
    call_command("render_stats", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    assert stats["queued"] == 1 and stats["processing"] == 0
    assert stats["completed"] == 4 and stats["failed"] == 1
    assert (stats["p50_seconds"], stats["p95_seconds"]) == (20.0, 40.0)
    text = StringIO()
    call_command("render_stats", stdout=text)
    assert "render p95   40.0 s" in text.getvalue()


def test_render_stats_refuses_a_window_of_nothing() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--hours must be more than 0"):
        call_command("render_stats", "--hours", "0")


def test_staff_find_videos_and_retry_or_cancel_them(
    client: Any, alice: User, bob: User, bob_project: VideoProject
) -> None:
    queued, _ = video_request_render(user=bob, project=bob_project)
    failed = GeneratedVideo.objects.create(
        project=bob_project,
        owner=bob,
        status=VideoStatus.FAILED,
        error_message="FFmpeg stopped: disk full",
        error_detail="No space left on device",
    )
    client.force_login(alice)
    listing = client.get("/admin/rendering/generatedvideo/", {"status__exact": "failed"})
    assert listing.status_code == 200
    assert str(failed.public_id) in listing.content.decode()
    assert str(queued.public_id) not in listing.content.decode()
    found = client.get("/admin/rendering/generatedvideo/", {"q": bob.email})
    assert str(queued.public_id) in found.content.decode()
    detail = client.get(f"/admin/rendering/generatedvideo/{failed.pk}/change/")
    assert "No space left on device" in detail.content.decode()

    response = client.post(
        "/admin/rendering/generatedvideo/",
        {"action": "cancel_videos", "_selected_action": [queued.pk]},
        follow=True,
    )
    assert "1 video(s) cancelled." in response.content.decode()
    queued.refresh_from_db()
    assert queued.status == VideoStatus.CANCELLED
    response = client.post(
        "/admin/rendering/generatedvideo/",
        {"action": "retry_videos", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert "1 video(s) queued again." in response.content.decode()
    assert GeneratedVideo.objects.filter(project=bob_project, status="queued").count() == 1
