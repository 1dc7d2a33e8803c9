"""What a worker does with a job: claim it, render it, publish it, and say how it went.

Idempotent: a job delivered twice, or re-queued after its worker vanished, renders once per
successful claim and always writes the same storage keys (video, poster, subtitle track), so
there is one video per job.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from projects import storage
from projects.models import ProjectStatus, VideoProject
from rendering.models import GeneratedVideo, VideoStage, VideoStatus
from rendering.pipeline.errors import NoUsablePhotos, PipelineError, RenderCancelled
from rendering.pipeline.geocode import parse_language
from rendering.pipeline.options import CaptionMode, Order, RenderOptions
from rendering.pipeline.render import RenderResult, render_memory
from rendering.pipeline.webvtt import CONTENT_TYPE as VTT_TYPE
from rendering.services.events import video_publish_event
from rendering.services.lease import ENCODE_TO, JobLease
from rendering.services.mail import video_send_ready_email
from rendering.services.project_status import project_status_settle

log = logging.getLogger(__name__)

WORKDIR_PREFIX = "photomemory-job-"
# Errors that go away by themselves: the task retries these with backoff.
TRANSIENT: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
)
try:  # S3 network trouble (botocore is there whenever S3 storage is)
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError

    TRANSIENT += (BotoConnectionError, HTTPClientError)
except ImportError:  # pragma: no cover
    pass

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Stored:
    """What a render left in storage: the keys the row is completed with."""

    video: str
    poster: str
    subtitles: list[dict[str, str]]  # [{"language", "key"}]

    def keys(self) -> list[str]:
        return [self.video, self.poster, *(s["key"] for s in self.subtitles)]


@dataclass(frozen=True, slots=True)
class Claim:
    video: GeneratedVideo
    token: uuid.UUID


def video_render(*, video_id: int) -> str:
    """Render job ``video_id`` if nobody else has it. Returns the outcome, for logs."""
    claim = _claim(video_id)
    if claim is None:
        return "skipped"
    video, token = claim.video, claim.token
    workdir = Path(tempfile.mkdtemp(prefix=f"{WORKDIR_PREFIX}{os.getpid()}-"))
    try:
        with JobLease(
            video, token, lease_seconds=settings.RENDER_LEASE_SECONDS, tick=settings.RENDER_TICK
        ) as lease:
            result = _render(video, workdir, lease)
            lease.set_stage(VideoStage.PUBLISHING, ENCODE_TO + 1)
            stored = _upload(video, result)
        return _complete(claim, result, stored)
    except RenderCancelled:
        return "cancelled"
    except SoftTimeLimitExceeded:
        minutes = max(1, round(settings.RENDER_SOFT_TIME_LIMIT / 60))
        _fail(
            claim,
            f"Rendering took longer than {minutes} min and was stopped. Try fewer "
            "photos or a lower resolution.",
            "soft time limit",
        )
        return "failed"
    except PipelineError as err:
        _fail(claim, str(err), getattr(err, "detail", "") or repr(err))
        return "failed"
    except TRANSIENT:
        _release(claim)
        raise  # the task retries with backoff
    except Exception:
        log.exception("render job %s failed", video_id)
        _fail(
            claim,
            "Something went wrong on our side while making this video. Try again; "
            "if it happens again, contact support.",
            traceback.format_exc(limit=20),
        )
        return "failed"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _claim(video_id: int) -> Claim | None:
    """Take the job with one conditional UPDATE: zero rows means someone else has it."""
    token = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic():
        taken = GeneratedVideo.objects.filter(pk=video_id, status=VideoStatus.QUEUED).update(
            status=VideoStatus.PROCESSING,
            claim_token=token,
            attempt=F("attempt") + 1,
            started_at=Coalesce(F("started_at"), Value(now)),
            claimed_at=now,
            lease_expires_at=now + timedelta(seconds=settings.RENDER_LEASE_SECONDS),
            stage=VideoStage.PREPARING,
            progress=1,
            updated_at=now,
        )
        if not taken:
            log.info("render job %s: not queued any more (done, cancelled or taken)", video_id)
            return None
        video = GeneratedVideo.objects.select_related("project", "owner").get(pk=video_id)
        VideoProject.objects.filter(pk=video.project_id).update(status=ProjectStatus.PROCESSING)
        video_publish_event(video)
    return Claim(video, token)


def _render(video: GeneratedVideo, workdir: Path, lease: JobLease) -> RenderResult:
    spec = video.spec
    lease.set_stage(VideoStage.FETCHING, 2)
    paths, captions, missing = _fetch_photos(spec["photos"], workdir / "photos")
    if not paths:
        raise NoUsablePhotos(
            _(
                "The photos of this project are missing from storage. Remove them, add them "
                "again and make the video once more."
            )
        )
    music, silent = _fetch_music(spec["music"], workdir)
    lease.set_stage(VideoStage.ANALYSING, 5)
    options = RenderOptions(
        style=spec["style"],
        aspect=spec["aspect"],
        resolution=spec["resolution"],
        title=spec["title"],
        story=spec.get("story", ""),  # specs queued before the end-card story have none
        dates=spec.get("dates", ""),  # the working copies carry no EXIF dates
        language=_language(spec),
        order=Order.GIVEN,  # the order the user arranged in the editor
        caption_mode=CaptionMode.GIVEN if captions else CaptionMode.NONE,
        captions=captions,
        music=music,
        silent=silent,
        watermark=video.watermark,
        seconds_per_photo=settings.RENDER_SECONDS_PER_PHOTO,
        burn_text=spec.get("burn_text", True),  # specs queued before the choice drew them
    )
    result = render_memory(
        paths,
        workdir / "memory.mp4",
        options,
        poster=workdir / "poster.jpg",
        # The words as a WebVTT track too, in the options' language (the spec's, as queued).
        subtitles=workdir / "memory.vtt",
        ffmpeg=settings.FFMPEG_BINARY,
        on_progress=lease.on_progress,
        should_cancel=lease.cancelled,
        timeout=settings.RENDER_TIMEOUT_SECONDS,
        # Inside the job's folder, so a killed worker's successor removes it all (worker_hooks).
        scratch=workdir,
    )
    names = {f"{i:04d}.jpg": p.get("name") or f"photo {i}" for i, p in enumerate(spec["photos"], 1)}
    video.skipped = [
        {"name": names.get(name, name), "reason": reason}
        for name, reason in [
            *((name, "missing from storage; add it again") for name in missing),
            *((s.name, s.reason) for s in result.skipped),
        ]
    ]
    return result


def _language(spec: dict[str, Any]) -> str:
    """The project's language for the words the pipeline writes (dates, places). Specs queued
    before it mattered may lack it; a code the pipeline cannot read renders in English rather
    than failing the video."""
    language = spec.get("language") or "en"
    if parse_language(language) is None:
        log.warning("render spec language %r unknown; dates and places stay English", language)
        return "en"
    return str(language)


def _fetch_photos(
    photos: list[dict[str, str]], folder: Path
) -> tuple[list[Path], dict[str, str], list[str]]:
    """Copy the working copies out of storage, named by position so the order survives."""
    folder.mkdir()
    paths: list[Path] = []
    captions: dict[str, str] = {}
    missing: list[str] = []
    for index, photo in enumerate(photos, start=1):
        name = f"{index:04d}.jpg"
        try:
            storage.download_to(photo["key"], folder / name)
        except FileNotFoundError:
            missing.append(name)
            continue
        paths.append(folder / name)
        # The user's own caption wins; else the place and month the spec derived from the
        # photo's date and GPS (specs queued before those existed have no "auto_caption").
        text = photo.get("caption") or photo.get("auto_caption")
        if text:
            captions[name] = text
    return paths, captions, missing


def _fetch_music(music: str, workdir: Path) -> tuple[Path | None, bool]:
    if music == "none":
        return None, True
    if music == "default":
        return None, False
    target = workdir / f"music{Path(music).suffix}"
    storage.download_to(music, target)
    return target, False


def _video_keys(video: GeneratedVideo) -> tuple[str, str, str]:
    """The MP4's, the poster's and the subtitle track's keys: the same stem beside each other."""
    base = (
        f"{storage.project_prefix(video.owner.public_id, video.project.public_id)}"
        f"videos/{video.public_id}"
    )
    return f"{base}.mp4", f"{base}.jpg", f"{base}.vtt"


def _upload(video: GeneratedVideo, result: RenderResult) -> Stored:
    """Store the MP4, poster and subtitle track under the job's own keys (the same keys on
    every attempt)."""
    video_key, poster_key, vtt_key = _video_keys(video)
    _store(video_key, result.output)
    if result.poster is not None and result.poster.exists():
        _store(poster_key, result.poster)
    else:
        poster_key = ""
    subtitles = []
    if result.subtitles is not None and result.subtitles.exists():
        _store(vtt_key, result.subtitles, content_type=VTT_TYPE)
        subtitles.append({"language": _language(video.spec), "key": vtt_key})
    return Stored(video_key, poster_key, subtitles)


def _store(key: str, path: Path, *, content_type: str | None = None) -> None:
    target: Any = storage.media_storage()
    # The filesystem backend would pick a new name next to an old file; S3 overwrites.
    target.delete(key)
    with path.open("rb") as handle:
        content: File[bytes] = File(handle)
        if content_type:
            # S3 stores it as the object's Content-Type (else it guesses from the name, and a
            # guess has no charset).
            content = ContentFile(handle.read())
            content.content_type = content_type  # type: ignore[attr-defined]
        saved = target._save(key, content)
    if saved != key:  # pragma: no cover - both backends keep the name once it is free
        raise RuntimeError(f"storage saved {key} as {saved}")


def _complete(claim: Claim, result: RenderResult, stored: Stored) -> str:
    video = claim.video
    now = timezone.now()
    timings = {
        "queued": round(((video.claimed_at or now) - video.created_at).total_seconds(), 3),
        **{k: round(v, 3) for k, v in result.timings.items()},
        "total": round((now - video.created_at).total_seconds(), 3),
    }

    def finish() -> int:
        with transaction.atomic():
            done = GeneratedVideo.objects.filter(
                pk=video.pk, claim_token=claim.token, status=VideoStatus.PROCESSING
            ).update(
                status=VideoStatus.COMPLETED,
                progress=100,
                stage="",
                eta_seconds=None,
                output_key=stored.video,
                poster_key=stored.poster,
                subtitles=stored.subtitles,
                duration=result.duration,
                size_bytes=result.size_bytes,
                width=result.width,
                height=result.height,
                photo_count=len(result.used),
                skipped=video.skipped,
                timings=timings,
                error_message="",
                finished_at=now,
                lease_expires_at=None,
                updated_at=now,
            )
            if done:
                VideoProject.objects.filter(pk=video.project_id).update(
                    status=ProjectStatus.COMPLETED
                )
                video.refresh_from_db()
                video_publish_event(video)
                transaction.on_commit(lambda: video_send_ready_email(video=video))
            return done

    if _with_db_retry(finish):
        log.info("render job %s completed in %.1f s", video.pk, timings["total"])
        return "completed"
    # No longer ours. If the user cancelled, the files are not wanted; if another attempt
    # finished it, they are that attempt's (same keys), so leave them.
    status = _with_db_retry(
        lambda: GeneratedVideo.objects.values_list("status", flat=True).get(pk=video.pk)
    )
    if status != VideoStatus.COMPLETED:
        storage.delete_keys(stored.keys())
    return "cancelled"


def _fail(claim: Claim, message: str, detail: str) -> None:
    video = claim.video
    now = timezone.now()

    def mark() -> int:
        with transaction.atomic():
            done = GeneratedVideo.objects.filter(
                pk=video.pk, claim_token=claim.token, status=VideoStatus.PROCESSING
            ).update(
                status=VideoStatus.FAILED,
                stage="",
                eta_seconds=None,
                error_message=message[:500],
                error_detail=detail[-8000:],
                finished_at=now,
                lease_expires_at=None,
                updated_at=now,
            )
            if done:
                project_status_settle(project_id=video.project_id, ended=ProjectStatus.FAILED)
                video.refresh_from_db()
                video_publish_event(video)
            return done

    _with_db_retry(mark)
    log.warning("render job %s failed: %s", video.pk, message)


def _release(claim: Claim) -> None:
    """Give the job back to the queue before a retry (best effort: the lease covers failure)."""
    try:
        GeneratedVideo.objects.filter(
            pk=claim.video.pk, claim_token=claim.token, status=VideoStatus.PROCESSING
        ).update(status=VideoStatus.QUEUED, claim_token=None, lease_expires_at=None, stage="")
    except DatabaseError:
        connection.close()


def _with_db_retry(fn: Callable[[], T], *, seconds: float = 60.0) -> T:
    """Run ``fn``, retrying while the database is unreachable (a restart takes seconds)."""
    deadline = time.monotonic() + seconds
    delay = 0.5
    while True:
        try:
            return fn()
        except (OperationalError, InterfaceError):
            connection.close()
            if time.monotonic() > deadline:
                raise
            log.warning("database unavailable; retrying in %.1f s", delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
