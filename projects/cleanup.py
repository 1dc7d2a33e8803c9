"""Reconcile storage with the database: objects no row points at, rows whose object is gone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.apps import apps

from projects import storage
from projects.models import Photo, VideoProject

# Uploads and writes in flight have objects before rows; leave young objects alone.
GRACE = timedelta(hours=1)


@dataclass
class CleanupReport:
    orphans: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (photo public id, key)
    deleted: int = 0


def media_cleanup(*, delete: bool, prefix: str = "", now: datetime | None = None) -> CleanupReport:
    """Find orphaned objects under project prefixes (deleting them when ``delete``) and photo
    rows whose working copy or thumbnail is missing (reported, never changed).

    ``prefix`` limits the sweep to one user (``<user_public_id>/``) or project."""
    now = now or datetime.now(UTC)
    report = CleanupReport()
    known = _known_keys()
    for key in storage.iter_keys(prefix):
        if "/projects/" not in key or key in known:
            continue
        if key.rsplit("/", 1)[-1].startswith("."):
            continue
        if _age(key, now) < GRACE:
            continue
        report.orphans.append(key)
    if delete:
        storage.delete_keys(report.orphans)
        report.deleted = len(report.orphans)
    photos = Photo.objects.filter(storage_key__startswith=prefix)
    for photo in photos.only("public_id", "storage_key", "thumbnail_key", "original_key"):
        for key in photo.object_keys():
            if not storage.exists(key):
                report.missing.append((str(photo.public_id), key))
    return report


def _known_keys() -> set[str]:
    keys: set[str] = set()
    for row in Photo.objects.values_list("storage_key", "thumbnail_key", "original_key"):
        keys.update(k for k in row if k)
    keys.update(
        VideoProject.objects.exclude(music__in=("default", "none")).values_list("music", flat=True)
    )
    # Rendered videos share the project prefix; looked up by name so projects does not import
    # the rendering app that builds on it.
    video_model = apps.get_model("rendering", "GeneratedVideo")
    for output, poster, subtitles in video_model.objects.values_list(
        "output_key", "poster_key", "subtitles"
    ):
        keys.update(k for k in (output, poster) if k)
        keys.update(s["key"] for s in subtitles or () if isinstance(s, dict) and s.get("key"))
    return keys


def _age(key: str, now: datetime) -> timedelta:
    modified = storage.last_modified(key)
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=UTC)
    return now - modified
