"""Handing jobs to the broker, and the sweeper that makes sure no job is ever lost.

The row is the truth; a broker message is only a nudge. So a failed hand-over is logged, not
raised: the request that queued the job still succeeds and the sweeper sends it again later.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from projects.models import ProjectStatus
from rendering.models import GeneratedVideo, VideoStatus
from rendering.services.events import video_publish_event
from rendering.services.project_status import project_status_settle

log = logging.getLogger(__name__)

RENDER_TASK = "rendering.tasks.render_video"


def video_dispatch(*, video_id: int) -> bool:
    """Send the job to the render queue; False (logged) when the broker cannot take it now."""
    try:
        # Fail fast when the broker is down: answer the user now, the sweeper resends later.
        # (A pooled producer would first retry the connection for seconds, with backoff.)
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0.2, interval_step=0)
            current_app.send_task(RENDER_TASK, args=[video_id], retry=False, connection=conn)
    except Exception:  # noqa: BLE001 - any broker failure: the sweeper re-sends
        log.warning(
            "render job %s not handed to the broker; the sweeper will resend it",
            video_id,
            exc_info=True,
        )
        return False
    return True


def videos_sweep(*, now: Any = None) -> dict[str, int]:
    """Re-queue jobs whose worker vanished (lease expired) and resend queued jobs whose
    message may be lost. Safe to run anywhere, any number of times at once."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    expired = GeneratedVideo.objects.filter(
        status=VideoStatus.PROCESSING, lease_expires_at__lt=now
    ).select_related("owner", "project")
    for video in expired:
        outcome = _recover(video, now)
        if outcome:
            counts[outcome] += 1
    stale = now - timedelta(seconds=settings.RENDER_RESEND_AFTER_SECONDS)
    for pk in GeneratedVideo.objects.filter(
        status=VideoStatus.QUEUED, enqueued_at__lt=stale
    ).values_list("pk", flat=True):
        # Guarded: only one sweeper resends a given job per interval.
        if GeneratedVideo.objects.filter(
            pk=pk, status=VideoStatus.QUEUED, enqueued_at__lt=stale
        ).update(enqueued_at=now):
            video_dispatch(video_id=pk)
            counts["resent"] += 1
    return counts


def _recover(video: GeneratedVideo, now: Any) -> str | None:
    """Queue a job again after its worker vanished, or fail it after too many attempts."""
    guard = {"pk": video.pk, "status": VideoStatus.PROCESSING, "claim_token": video.claim_token}
    with transaction.atomic():
        if video.attempt >= settings.RENDER_MAX_ATTEMPTS:
            done = GeneratedVideo.objects.filter(**guard).update(
                status=VideoStatus.FAILED,
                error_message=(
                    f"Rendering stopped unexpectedly {video.attempt} times. Try again with "
                    "fewer photos, or contact support if it keeps happening."
                ),
                error_detail="lease expired on the last attempt (worker lost)",
                finished_at=now,
                lease_expires_at=None,
                updated_at=now,
            )
            outcome = "failed"
        else:
            done = GeneratedVideo.objects.filter(**guard).update(
                status=VideoStatus.QUEUED,
                claim_token=None,
                lease_expires_at=None,
                stage="",
                enqueued_at=now,
                updated_at=now,
            )
            outcome = "requeued"
        if not done:
            return None  # another sweeper, or the worker itself, got there first
        video.refresh_from_db()
        if outcome == "failed":
            project_status_settle(project_id=video.project_id, ended=ProjectStatus.FAILED)
        video_publish_event(video)
        if outcome == "requeued":
            transaction.on_commit(lambda: video_dispatch(video_id=video.pk))
    log.warning("render job %s: worker lost (attempt %s), %s", video.pk, video.attempt, outcome)
    return outcome
