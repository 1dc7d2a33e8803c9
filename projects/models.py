"""A video project and its photos. Public UUIDs are the only ids that leave the server."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Style(models.TextChoices):
    CLASSIC = "classic", _("Classic")
    MODERN = "modern", _("Modern")
    CINEMATIC = "cinematic", _("Cinematic")
    VINTAGE = "vintage", _("Vintage")


class Aspect(models.TextChoices):
    LANDSCAPE = "16:9", _("Landscape 16:9")
    PORTRAIT = "9:16", _("Portrait 9:16")
    SQUARE = "1:1", _("Square 1:1")


class Resolution(models.TextChoices):
    HD = "720p", _("720p HD")
    FULL_HD = "1080p", _("1080p Full HD")
    UHD = "2160p", _("2160p 4K")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROCESSING = "processing", _("Processing")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# `music` is one of these two words or the storage key of the user's own uploaded track.
MUSIC_DEFAULT = "default"
MUSIC_NONE = "none"


class VideoProject(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_projects"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=120)
    style = models.CharField(max_length=16, choices=Style.choices, default=Style.CLASSIC)
    aspect = models.CharField(max_length=8, choices=Aspect.choices, default=Aspect.LANDSCAPE)
    resolution = models.CharField(
        max_length=8, choices=Resolution.choices, default=Resolution.FULL_HD
    )
    language = models.CharField(max_length=8, default="en")
    music = models.CharField(max_length=300, default=MUSIC_DEFAULT)
    keep_originals = models.BooleanField(
        default=False, help_text=_("Keep each uploaded file, untouched and private.")
    )
    status = models.CharField(
        max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "video_projects"
        ordering = ("-updated_at",)
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def has_own_music(self) -> bool:
        return self.music not in (MUSIC_DEFAULT, MUSIC_NONE)


class Photo(models.Model):
    project = models.ForeignKey(VideoProject, on_delete=models.CASCADE, related_name="photos")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    storage_key = models.CharField(max_length=300, unique=True)
    thumbnail_key = models.CharField(max_length=300)
    original_key = models.CharField(max_length=300, blank=True)
    original_name = models.CharField(max_length=200)
    width = models.PositiveIntegerField()  # of the working copy, upright
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveBigIntegerField()  # of the uploaded file
    taken_at = models.DateTimeField(null=True, blank=True)
    # Private: used for place names only, never in API output or shared videos.
    gps_lat = models.FloatField(null=True, blank=True)
    gps_lon = models.FloatField(null=True, blank=True)
    camera = models.CharField(max_length=120, blank=True)
    position = models.PositiveIntegerField()
    caption = models.CharField(max_length=200, blank=True)
    sharpness = models.FloatField(default=0.0)
    phash = models.CharField(max_length=16, blank=True)  # 64-bit perceptual hash, hex
    subject_box = models.JSONField(default=dict)  # {"x","y","w","h"} normalised, upright
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "photos"
        ordering = ("position", "id")
        indexes = [models.Index(fields=["project", "position"])]

    def __str__(self) -> str:
        return self.original_name

    def object_keys(self) -> list[str]:
        """Every storage object this photo owns."""
        return [k for k in (self.storage_key, self.thumbnail_key, self.original_key) if k]
