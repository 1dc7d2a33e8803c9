"""Reads for projects and photos. Every read is scoped to its owner: anyone else gets 404."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.http import Http404

from projects.models import AiRequest, AiRequestStatus, Photo, Suggestion, VideoProject


def project_list(*, user: Any) -> QuerySet[VideoProject]:
    """The user's projects, most recently changed first, with photo count and cover key."""
    first_thumb = Photo.objects.filter(project=OuterRef("pk")).order_by("position", "id")
    return (
        VideoProject.objects.filter(owner=user)
        .annotate(
            photo_count=Count("photos"),
            cover_key=Subquery(first_thumb.values("thumbnail_key")[:1]),
            cover_photo_id=Subquery(first_thumb.values("public_id")[:1]),
        )
        .order_by("-updated_at", "-id")
    )


def project_get(*, user: Any, public_id: uuid.UUID | str) -> VideoProject:
    """The user's project ``public_id``; Http404 if it is not theirs or does not exist."""
    try:
        return VideoProject.objects.select_related("owner").get(
            owner=user, public_id=_uuid(public_id)
        )
    except VideoProject.DoesNotExist:
        raise Http404("No such project.") from None


def photo_list(*, project: VideoProject) -> QuerySet[Photo]:
    return project.photos.order_by("position", "id")


def photo_get(*, user: Any, project_id: uuid.UUID | str, public_id: uuid.UUID | str) -> Photo:
    """The user's photo ``public_id`` in project ``project_id``; Http404 otherwise."""
    try:
        return Photo.objects.select_related("project", "project__owner").get(
            project__owner=user,
            project__public_id=_uuid(project_id),
            public_id=_uuid(public_id),
        )
    except Photo.DoesNotExist:
        raise Http404("No such photo.") from None


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such item.") from None


# --- AI writing -------------------------------------------------------------------------------


def ai_requests_this_month(*, user: Any) -> int:
    """Requests counted against the plan's AI allowance: those that reached the model (or are
    on their way). Failed requests and answers from the cache cost the user nothing."""
    from rendering.selectors import month_start

    return (
        AiRequest.objects.filter(owner=user, created_at__gte=month_start())
        .exclude(status=AiRequestStatus.FAILED)
        .exclude(from_cache=True)
        .count()
    )


def ai_request_latest(*, project: VideoProject) -> AiRequest | None:
    return project.ai_requests.order_by("-created_at", "-id").first()


def ai_suggestions(*, project: VideoProject) -> QuerySet[Suggestion]:
    """The suggestions of the project's latest completed request (decided ones included, so the
    editor can show what was accepted and undo an order)."""
    latest = project.ai_requests.filter(status=AiRequestStatus.COMPLETED).order_by(
        "-created_at", "-id"
    )[:1]
    return (
        Suggestion.objects.filter(project=project, request__in=Subquery(latest.values("pk")))
        .select_related("photo")
        .order_by("id")
    )


def ai_suggestion_get(
    *, user: Any, project_id: uuid.UUID | str, public_id: uuid.UUID | str
) -> Suggestion:
    """One suggestion of one of ``user``'s projects, or 404."""
    try:
        return Suggestion.objects.select_related("project", "photo").get(
            public_id=_uuid(public_id),
            project__public_id=_uuid(project_id),
            project__owner=user,
        )
    except Suggestion.DoesNotExist:
        raise Http404("No such suggestion.") from None


def ai_usage(
    *, owner: Any | None = None, project: VideoProject | None = None, since: datetime | None = None
) -> dict[str, int]:
    """Tokens and requests, for a project's AI log, a user's month or staff."""
    rows = AiRequest.objects.all()
    if owner is not None:
        rows = rows.filter(owner=owner)
    if project is not None:
        rows = rows.filter(project=project)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    totals = rows.aggregate(
        requests=Count("id"),
        input_tokens=Sum("input_tokens"),
        output_tokens=Sum("output_tokens"),
        cached_tokens=Sum("cached_tokens"),
        sent_bytes=Sum("sent_bytes"),
    )
    return {k: int(v or 0) for k, v in totals.items()}
