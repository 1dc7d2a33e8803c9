"""Arrange photos in a project: caption, reorder, sort by date, remove."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from projects import storage
from projects.errors import ProjectsError
from projects.models import CaptionSource, Photo, VideoProject
from projects.services.projects import ensure_editable

MAX_CAPTION = 200


def photo_caption_update(*, photo: Photo, caption: str, source: str = CaptionSource.USER) -> Photo:
    """Set the caption shown under ``photo`` in the video (blank removes it).

    ``source`` says who wrote it: the user (the default) or an accepted AI suggestion.
    """
    ensure_editable(photo.project)
    caption = " ".join(caption.split())  # newlines and runs of spaces would break the layout
    if len(caption) > MAX_CAPTION:
        raise ProjectsError(
            _("Keep captions under %(count)s characters.") % {"count": MAX_CAPTION},
            fields={"caption": [_("At most %(count)s characters.") % {"count": MAX_CAPTION}]},
        )
    source = source if caption else ""
    if (caption, source) != (photo.caption, photo.caption_source):
        photo.caption, photo.caption_source = caption, source
        photo.save(update_fields=["caption", "caption_source"])
    return photo


@transaction.atomic
def photos_reorder(*, project: VideoProject, order: Sequence[uuid.UUID]) -> list[Photo]:
    """Put the project's photos in ``order`` (every photo's public id, once each)."""
    project = _locked(project)
    photos = {p.public_id: p for p in project.photos.all()}
    wanted = [uuid.UUID(str(i)) for i in order]
    if len(wanted) != len(set(wanted)) or set(wanted) != set(photos):
        raise ProjectsError(
            _("The new order must list every photo of this project exactly once."),
            fields={"order": [_("List every photo id once.")]},
        )
    return _renumber([photos[i] for i in wanted])


@transaction.atomic
def photos_sort_by_date(*, project: VideoProject) -> list[Photo]:
    """Order photos by capture time; photos without a date keep their order, at the end."""
    project = _locked(project)
    photos = list(project.photos.all())
    never = datetime.max.replace(tzinfo=UTC)
    photos.sort(key=lambda p: p.taken_at or never)  # stable: undated keep their order
    return _renumber(photos)


def photo_remove(*, photo: Photo) -> None:
    """Delete ``photo`` and its stored files."""
    ensure_editable(photo.project)
    keys = photo.object_keys()
    photo.delete()
    transaction.on_commit(lambda: storage.delete_keys(keys))


def _locked(project: VideoProject) -> VideoProject:
    # Serialises reorders and uploads on one project: positions stay a clean sequence.
    locked = VideoProject.objects.select_for_update().get(pk=project.pk)
    ensure_editable(locked)
    return locked


def _renumber(photos: list[Photo]) -> list[Photo]:
    changed = []
    for index, photo in enumerate(photos):
        if photo.position != index:
            photo.position = index
            changed.append(photo)
    Photo.objects.bulk_update(changed, ["position"])
    return photos
