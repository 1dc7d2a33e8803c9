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


class CaptionSource(models.TextChoices):
    USER = "user", _("Written by you")
    AI = "ai", _("AI suggestion")


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
    story = models.CharField(max_length=600, blank=True)  # the end card's words, user-owned
    # AI writing is opt-in per project; place names go to the model only if allowed too.
    ai_enabled = models.BooleanField(default=False)
    ai_places = models.BooleanField(default=False)
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
    # Who wrote ``caption``: the user's own words are never replaced by "accept all".
    caption_source = models.CharField(max_length=8, choices=CaptionSource.choices, blank=True)
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


# --- AI writing ---------------------------------------------------------------------------------


class AiRequestStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Writing")
    COMPLETED = "completed", _("Done")
    FAILED = "failed", _("Failed")


AI_ACTIVE = (AiRequestStatus.QUEUED, AiRequestStatus.RUNNING)


class AiRequest(models.Model):
    """One "suggest a title, captions and a story" request: its state, what was sent, its cost.

    The rows are the project's AI log: ``sent`` records per photo what left the server (bytes,
    pixel size, which facts), never the facts themselves.
    """

    project = models.ForeignKey(VideoProject, on_delete=models.CASCADE, related_name="ai_requests")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ai_requests"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=16, choices=AiRequestStatus.choices, default=AiRequestStatus.QUEUED
    )
    stage = models.CharField(max_length=80, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.CharField(max_length=300, blank=True)  # for the user
    error_detail = models.TextField(blank=True)  # for staff
    retry_after_seconds = models.FloatField(null=True, blank=True)
    model = models.CharField(max_length=80, blank=True)
    prompt_version = models.CharField(max_length=20, blank=True)
    detail = models.CharField(max_length=8, default="low")
    places_allowed = models.BooleanField(default=False)
    photo_count = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)  # requests made to the model
    sent = models.JSONField(default=list, blank=True)
    sent_bytes = models.PositiveBigIntegerField(default=0)
    from_cache = models.BooleanField(default=False)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    cached_tokens = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        db_table = "ai_requests"
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["owner", "created_at"]),
            models.Index(fields=["project", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_ai_request_per_project",
            )
        ]

    def __str__(self) -> str:
        return f"AI request {self.public_id} ({self.status})"

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


class SuggestionField(models.TextChoices):
    TITLE = "title", _("Title")
    STORY = "story", _("Story")
    CAPTION = "caption", _("Caption")
    ORDER = "order", _("Order")


class SuggestionState(models.TextChoices):
    PENDING = "pending", _("Suggested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Suggestion(models.Model):
    """A draft the user may accept (as is or edited) or reject. Never applied on its own."""

    request = models.ForeignKey(AiRequest, on_delete=models.CASCADE, related_name="suggestions")
    project = models.ForeignKey(VideoProject, on_delete=models.CASCADE, related_name="suggestions")
    photo = models.ForeignKey(
        Photo, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    field = models.CharField(max_length=8, choices=SuggestionField.choices)
    state = models.CharField(
        max_length=8, choices=SuggestionState.choices, default=SuggestionState.PENDING
    )
    text = models.CharField(max_length=600, blank=True)
    # field=order: [{"photo": public id, "reason": "…"}]; ``previous`` is the order it replaced,
    # kept so accepting it can be undone.
    order = models.JSONField(default=list, blank=True)
    previous = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "ai_suggestions"
        ordering = ("id",)
        indexes = [models.Index(fields=["project", "state"])]

    def __str__(self) -> str:
        return f"{self.field} suggestion ({self.state})"


# --- translations -------------------------------------------------------------------------------


class TranslationField(models.TextChoices):
    TITLE = "title", _("Title")
    STORY = "story", _("Story")
    CAPTION = "caption", _("Caption")


class TextTranslation(models.Model):
    """One line of the project's words (its title, story or a photo's caption) in another language.

    ``source_text`` is the original the line was made (or last edited) from: when the original
    changes, a machine line is translated again, and a line the user edited (``edited``) is kept
    and shown as stale. ``text`` is blank while a line has no translation yet.
    """

    project = models.ForeignKey(VideoProject, on_delete=models.CASCADE, related_name="translations")
    photo = models.ForeignKey(
        Photo, on_delete=models.CASCADE, null=True, blank=True, related_name="translations"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    field = models.CharField(max_length=8, choices=TranslationField.choices)
    language = models.CharField(max_length=16)
    text = models.CharField(max_length=600, blank=True)
    source_text = models.CharField(max_length=600, blank=True)
    edited = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "text_translations"
        ordering = ("id",)
        indexes = [models.Index(fields=["project", "language"])]
        constraints = [
            # NULL photos are distinct in a plain unique constraint: one per kind of row.
            models.UniqueConstraint(
                fields=["project", "field", "language"],
                condition=models.Q(photo__isnull=True),
                name="one_project_line_per_language",
            ),
            models.UniqueConstraint(
                fields=["photo", "field", "language"],
                condition=models.Q(photo__isnull=False),
                name="one_photo_line_per_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field} in {self.language}"
