"""Reads for render jobs. Every read is scoped to its owner: anyone else gets 404."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from projects.models import VideoProject
from rendering.models import GeneratedVideo, VideoStatus

# A render counts against the monthly quota unless it failed or was cancelled: the user got
# nothing for it.
COUNTED = (VideoStatus.QUEUED, VideoStatus.PROCESSING, VideoStatus.COMPLETED)


def video_get(
    *, user: Any, public_id: uuid.UUID | str, project_id: uuid.UUID | str | None = None
) -> GeneratedVideo:
    """The user's video ``public_id`` (in ``project_id``, if given); Http404 otherwise."""
    filters: dict[str, Any] = {"owner": user, "public_id": _uuid(public_id)}
    if project_id is not None:
        filters["project__public_id"] = _uuid(project_id)
    try:
        return GeneratedVideo.objects.select_related("project", "owner").get(**filters)
    except GeneratedVideo.DoesNotExist:
        raise Http404("No such video.") from None


def video_list(*, project: VideoProject) -> QuerySet[GeneratedVideo]:
    return GeneratedVideo.objects.filter(project=project).select_related("project", "owner")


def video_latest(*, project: VideoProject) -> GeneratedVideo | None:
    """The newest job of the project: what the editor shows."""
    return video_list(project=project).first()


def video_last_completed(*, project: VideoProject) -> GeneratedVideo | None:
    """The newest finished video: what the player shows, whatever a later re-render did."""
    return video_list(project=project).filter(status=VideoStatus.COMPLETED).first()


def video_history(*, project: VideoProject, limit: int = 20) -> list[GeneratedVideo]:
    """The project's finished videos, newest first (the style is read from each one's spec)."""
    return list(video_list(project=project).filter(status=VideoStatus.COMPLETED)[:limit])


def video_completed_get(
    *, project: VideoProject, public_id: uuid.UUID | str
) -> GeneratedVideo | None:
    """One of the project's finished videos, or None (an unknown or unfinished id)."""
    try:
        wanted = _uuid(public_id)
    except Http404:
        return None
    completed = video_list(project=project).filter(status=VideoStatus.COMPLETED)
    return completed.filter(public_id=wanted).first()


def video_active(*, project: VideoProject) -> GeneratedVideo | None:
    return video_list(project=project).filter(status__in=[s.value for s in COUNTED[:2]]).first()


def month_start(now: datetime | None = None) -> datetime:
    """The first instant of the current calendar month, UTC: when monthly quotas reset."""
    now = now or timezone.now()
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def renders_this_month(*, user: Any) -> int:
    """Renders the user has used this month (queued, running or delivered)."""
    return GeneratedVideo.objects.filter(
        owner=user, created_at__gte=month_start(), status__in=COUNTED
    ).count()


def video_stats(*, since: timedelta = timedelta(hours=24)) -> dict[str, Any]:
    """Queue depth, running and failed jobs, and render times, for operators."""
    now = timezone.now()
    recent = GeneratedVideo.objects.filter(created_at__gte=now - since)
    done = recent.filter(status=VideoStatus.COMPLETED, started_at__isnull=False)
    seconds = sorted(
        (v.finished_at - v.created_at).total_seconds()
        for v in done.only("created_at", "finished_at")
        if v.finished_at
    )
    return {
        "queued": GeneratedVideo.objects.filter(status=VideoStatus.QUEUED).count(),
        "processing": GeneratedVideo.objects.filter(status=VideoStatus.PROCESSING).count(),
        "stuck": GeneratedVideo.objects.filter(
            status=VideoStatus.PROCESSING, lease_expires_at__lt=now
        ).count(),
        "completed": len(seconds),
        "failed": recent.filter(status=VideoStatus.FAILED).count(),
        "cancelled": recent.filter(status=VideoStatus.CANCELLED).count(),
        "p50_seconds": _percentile(seconds, 0.50),
        "p95_seconds": _percentile(seconds, 0.95),
    }


def _percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of sorted ``values``; None when there are none."""
    if not values:
        return None
    rank = max(1, math.ceil(q * len(values)))
    return values[min(rank, len(values)) - 1]


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such video.") from None
