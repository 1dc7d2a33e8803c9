"""A render job: one request for a project's video, from queued to a published MP4.

The row is the job's whole state (the broker only carries its id), so a lost message, a killed
worker or a restarted broker never loses a job: the sweeper finds the row and queues it again.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import VideoProject


class VideoStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Processing")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class VideoStage(models.TextChoices):
    """What a running job is doing (``GeneratedVideo.stage``); blank when it is not running."""

    NONE = "", _("Not running")
    PREPARING = "preparing", _("Preparing")
    FETCHING = "fetching photos", _("Fetching photos")
    ANALYSING = "analysing photos", _("Analysing photos")
    RENDERING = "rendering", _("Rendering")
    PUBLISHING = "publishing", _("Publishing")


ACTIVE = (VideoStatus.QUEUED, VideoStatus.PROCESSING)
FINISHED = (VideoStatus.COMPLETED, VideoStatus.FAILED, VideoStatus.CANCELLED)


class GeneratedVideo(models.Model):
    project = models.ForeignKey(VideoProject, on_delete=models.CASCADE, related_name="videos")
    # Denormalised from project.owner: quotas, streams and stats read it without a join.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="videos"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=16, choices=VideoStatus.choices, default="queued")
    progress = models.PositiveSmallIntegerField(default=0)  # 0–100
    stage = models.CharField(max_length=32, blank=True)
    eta_seconds = models.PositiveIntegerField(null=True, blank=True)

    # The claim: a worker owns the job while its token matches and its lease is fresh.
    attempt = models.PositiveSmallIntegerField(default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)  # last hand-over to the broker

    spec = models.JSONField(default=dict)  # the options the video is made with
    spec_hash = models.CharField(max_length=64, blank=True)
    watermark = models.BooleanField(default=False)

    output_key = models.CharField(max_length=300, blank=True)
    poster_key = models.CharField(max_length=300, blank=True)
    # WebVTT tracks of the words on screen, one per language: [{"language", "key"}] (the key is
    # the video's with ``.vtt``; a second language would add ``.<language>.vtt``).
    subtitles = models.JSONField(default=list, blank=True)
    duration = models.FloatField(null=True, blank=True)  # seconds
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    photo_count = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list)  # [{"name", "reason"}] photos left out
    timings = models.JSONField(default=dict)  # seconds per stage, queue wait included

    error_message = models.CharField(max_length=500, blank=True)  # for the user
    error_detail = models.TextField(blank=True)  # for staff: exception, FFmpeg's stderr tail

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "generated_videos"
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["project", "-created_at"]),
            models.Index(fields=["owner", "created_at"]),
            models.Index(fields=["status", "lease_expires_at"]),
        ]
        constraints = [
            # The database itself refuses a second live render of one project, so two
            # concurrent "Render" presses cannot both get through.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status__in=["queued", "processing"]),
                name="one_active_video_per_project",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="video_progress_le_100"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    def object_keys(self) -> list[str]:
        return [k for k in (self.output_key, self.poster_key, *self.subtitle_keys()) if k]

    def subtitle_keys(self) -> list[str]:
        return [str(s.get("key", "")) for s in self.subtitles or () if isinstance(s, dict)]

    def subtitle_key(self, language: str | None = None) -> tuple[str, str]:
        """(language, storage key) of the track in ``language``, else of the first track;
        ``("", "")`` when the video has none."""
        tracks = [s for s in self.subtitles or () if isinstance(s, dict) and s.get("key")]
        for track in tracks:
            if language and track.get("language") == language:
                return str(track["language"]), str(track["key"])
        if tracks and not language:
            return str(tracks[0].get("language", "")), str(tracks[0]["key"])
        return "", ""
