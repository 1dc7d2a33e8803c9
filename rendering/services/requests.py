"""Render, cancel and retry: the requests users (web, API) and staff (admin) make."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.entitlements import get_entitlements
from billing.errors import LimitExceeded
from projects.models import Photo, ProjectStatus, VideoProject
from rendering.errors import InvalidTransition, NothingToRender
from rendering.models import ACTIVE, GeneratedVideo, VideoStatus
from rendering.pipeline.captions import auto_caption, date_range
from rendering.selectors import renders_this_month, video_active
from rendering.services.dispatch import video_dispatch
from rendering.services.events import video_publish_event
from rendering.services.project_status import project_status_settle


def video_request_render(
    *, user: Any, project: VideoProject, burn_text: bool = True
) -> tuple[GeneratedVideo, bool]:
    """Queue a render of ``project``; returns ``(video, created)``. ``burn_text=False`` draws no
    words into the picture: they are in the video's subtitle track only (it always has one).

    A project already queued or rendering gets its running job back, not a second render.
    The user's row is locked while the quota is counted, so two requests at the last render of
    the month cannot both pass.
    """
    with transaction.atomic():
        get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
        active = video_active(project=project)
        if active is not None:
            return active, False
        spec = _spec(project, burn_text=burn_text)
        limits = get_entitlements(user=user)
        _check_limits(user=user, project=project, limits=limits)
        try:
            with transaction.atomic():
                video = GeneratedVideo.objects.create(
                    project=project,
                    owner=user,
                    spec=spec,
                    spec_hash=_hash(spec),
                    watermark=limits.watermark,
                    photo_count=len(spec["photos"]),
                    enqueued_at=timezone.now(),
                )
        except IntegrityError:
            # A render of this project started between our read and our insert (possible only
            # if the lock above was bypassed, e.g. by staff in the admin): give that one back.
            active = video_active(project=project)
            if active is None:
                raise
            return active, False
        _set_project_status(project, ProjectStatus.PROCESSING)
        transaction.on_commit(lambda: video_dispatch(video_id=video.pk))
    return video, True


def video_cancel(*, video: GeneratedVideo) -> GeneratedVideo:
    """Stop a queued or running render. A running worker notices within a second and kills
    FFmpeg; the row is ``cancelled`` from now on whatever the worker was doing."""
    with transaction.atomic():
        updated = GeneratedVideo.objects.filter(pk=video.pk, status__in=ACTIVE).update(
            status=VideoStatus.CANCELLED,
            stage="",
            eta_seconds=None,
            finished_at=timezone.now(),
            lease_expires_at=None,
            updated_at=timezone.now(),
        )
        if not updated:
            video.refresh_from_db()
            raise InvalidTransition(
                _("This video is already %(status)s; there is nothing to cancel.")
                % {"status": video.get_status_display().lower()}
            )
        video.refresh_from_db()
        video.project.status = project_status_settle(
            project_id=video.project_id, ended=ProjectStatus.CANCELLED
        )
        video_publish_event(video)
    return video


def video_retry(*, video: GeneratedVideo) -> GeneratedVideo:
    """Queue a failed or cancelled render again, with the same settings and a fresh quota check."""
    if video.status not in (VideoStatus.FAILED, VideoStatus.CANCELLED):
        raise InvalidTransition(_("Only a failed or cancelled video can be tried again."))
    new, _created = video_request_render(
        user=video.owner, project=video.project, burn_text=video.spec.get("burn_text", True)
    )
    return new


def _spec(project: VideoProject, *, burn_text: bool = True) -> dict[str, Any]:
    photos = [
        {
            "id": str(p.public_id),
            "key": p.storage_key,
            "caption": p.caption,
            "auto_caption": "" if p.caption else _offline_caption(p, language=project.language),
            "name": p.original_name,
        }
        for p in project.photos.order_by("position", "id")
    ]
    if not photos:
        raise NothingToRender(_("Add at least one photo before making the video."))
    taken = project.photos.values_list("taken_at", flat=True)
    return {
        "title": project.title,
        "story": project.story,  # the end card's words: the user's own or an accepted draft
        # "June – August 2024" ("juin – août 2024") for the title and end cards
        "dates": date_range(taken, language=project.language),
        "style": project.style,
        "aspect": project.aspect,
        "resolution": project.resolution,
        "language": project.language,  # the words' language: the subtitle track's too
        "burn_text": burn_text,
        "music": project.music,
        "photos": photos,
    }


def _offline_caption(photo: Photo, *, language: str = "en") -> str:
    """Place and month from the photo's own date and GPS: "Lisbon, Portugal · June 2024", in
    the project's language ("Lisbonne, Portugal · juin 2024").

    The same text ``render_memory --captions auto`` makes, computed here from the Photo row
    because the working copies carry no EXIF. Only the text goes into the spec (staff read it
    in the admin); the coordinates stay on the row. Every plan gets these: they are offline
    and free, and the Free plan promises captions from the photos' dates and places.
    """
    lat, lon = photo.gps_lat, photo.gps_lon
    gps = (lat, lon) if lat is not None and lon is not None else None
    return auto_caption(photo.taken_at, gps, language=language)


def _check_limits(*, user: Any, project: VideoProject, limits: Any) -> None:
    used = renders_this_month(user=user)
    if used >= limits.renders_per_month:
        raise LimitExceeded(
            message=_(
                "You have made %(used)s of the %(allowed)s videos your plan includes this "
                "month. Upgrade your plan to make more now, or wait until next month."
            )
            % {"used": used, "allowed": limits.renders_per_month},
            limit="renders_per_month",
            current=used,
            allowed=limits.renders_per_month,
        )
    if not limits.allows_resolution(project.resolution):
        raise LimitExceeded(
            message=_(
                "Your plan makes videos up to %(resolution)s. Choose %(resolution)s in the "
                "project settings, or upgrade your plan."
            )
            % {"resolution": limits.max_resolution},
            limit="max_resolution",
            current=project.resolution,
            allowed=limits.max_resolution,
        )
    if project.photos.count() > limits.max_photos_per_project:
        raise LimitExceeded(
            message=_(
                "Your plan makes videos of up to %(count)s photos. "
                "Remove some photos, or upgrade your plan."
            )
            % {"count": limits.max_photos_per_project},
            limit="max_photos_per_project",
            current=project.photos.count(),
            allowed=limits.max_photos_per_project,
        )


def _hash(spec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def _set_project_status(project: VideoProject, status: str) -> None:
    VideoProject.objects.filter(pk=project.pk).update(status=status)
    project.status = status
