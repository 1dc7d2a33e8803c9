"""media_cleanup: removes files no photo points at, reports photos whose file is missing."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import User
from projects import storage
from projects.cleanup import media_cleanup
from projects.models import Photo, VideoProject
from rendering.models import GeneratedVideo, VideoStatus

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("media_cleanup", *args, stdout=out)
    return out.getvalue()


def test_it_removes_orphans_and_reports_missing_files(
    media: Any,
    bob: User,
    project: VideoProject,
    add_photo: Callable[..., Photo],
    keys_of: Callable[[User], list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept, broken = add_photo(project), add_photo(project)
    prefix = storage.project_prefix(bob.public_id, project.public_id)
    orphan = storage.put(f"{prefix}photos/lost.jpg", b"left behind by a crash")
    storage.delete_keys([broken.storage_key])
    # Pretend an hour has passed, so the orphan is past the grace period for uploads in flight.
    later = datetime.now(UTC) + timedelta(hours=2)
    monkeypatch.setattr("projects.cleanup.datetime", _Frozen(later))

    # Scoped to bob: the test bucket is shared with other tests.
    dry = run("--prefix", f"{bob.public_id}/")
    assert f"orphan  {orphan}" in dry
    assert f"missing photo {broken.public_id}: {broken.storage_key}" in dry
    assert orphan in keys_of(bob)  # a dry run deletes nothing

    out = run("--delete", "--prefix", f"{bob.public_id}/")
    assert "1 orphaned object(s) deleted; 1 missing file(s) reported." in out
    assert orphan not in keys_of(bob)
    assert kept.storage_key in keys_of(bob) and kept.thumbnail_key in keys_of(bob)


def test_it_leaves_fresh_uploads_alone(
    media: Any, bob: User, project: VideoProject, keys_of: Callable[[User], list[str]]
) -> None:
    prefix = storage.project_prefix(bob.public_id, project.public_id)
    fresh = storage.put(f"{prefix}uploads/in-flight", b"arriving")
    report = media_cleanup(delete=True, prefix=f"{bob.public_id}/")
    assert fresh not in report.orphans
    assert fresh in keys_of(bob)


def test_it_keeps_a_videos_subtitle_track(
    media: Any,
    bob: User,
    project: VideoProject,
    keys_of: Callable[[User], list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prefix = storage.project_prefix(bob.public_id, project.public_id)
    video = GeneratedVideo.objects.create(project=project, owner=bob, status=VideoStatus.COMPLETED)
    track = storage.put(f"{prefix}videos/{video.public_id}.vtt", b"WEBVTT\n")
    video.subtitles = [{"language": "en", "key": track}]
    video.save(update_fields=["subtitles"])
    stray = storage.put(f"{prefix}videos/gone.vtt", b"WEBVTT\n")
    monkeypatch.setattr(
        "projects.cleanup.datetime", _Frozen(datetime.now(UTC) + timedelta(hours=2))
    )
    report = media_cleanup(delete=True, prefix=f"{bob.public_id}/")
    assert report.orphans == [stray]
    assert track in keys_of(bob) and stray not in keys_of(bob)


class _Frozen:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self, tz: Any = None) -> datetime:
        return self.moment
