"""Reads for projects and photos. Every read is scoped to its owner: anyone else gets 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404

from projects.models import Photo, VideoProject


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
