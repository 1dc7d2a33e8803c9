"""Staff look at a customer's project: its photos (thumbnails, metadata) and its videos.

Read-only: projects and photos change through the owner's editor and the services (ordering,
storage clean-up, quotas); a staff edit here would bypass all of that.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from photomemory.admin import admin_link, file_size, pretty_json
from projects.media import photo_url
from projects.models import AiRequest, Photo, Suggestion, VideoProject
from rendering.admin import video_links, video_player
from rendering.models import GeneratedVideo


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting must also delete the stored files: the owner's editor does it


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def thumbnail(photo: Photo, css: str = "staff-thumb") -> str:
    # No request: a signed link does not depend on who asks, and a path works from this page.
    url = photo_url(None, photo, "thumb")
    if not url:
        return "—"
    return format_html('<img class="{}" src="{}" alt="{}">', css, url, photo.original_name)


class PhotoInline(ReadOnlyInline):
    model = Photo
    fields = ("preview", "original_name", "position", "dimensions", "size", "taken_at", "camera")
    readonly_fields = fields
    ordering = ("position", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Photo]:
        return super().get_queryset(request).select_related("project")  # for the file links

    @admin.display(description="photo")
    def preview(self, photo: Photo) -> str:
        return thumbnail(photo)

    @admin.display(description="size")
    def dimensions(self, photo: Photo) -> str:
        return f"{photo.width}×{photo.height}"

    @admin.display(description="upload")
    def size(self, photo: Photo) -> str:
        return file_size(photo.size_bytes)


class VideoInline(ReadOnlyInline):
    model = GeneratedVideo
    fk_name = "project"
    fields = ("player", "status", "created_at", "length", "resolution", "links", "error_message")
    readonly_fields = fields
    ordering = ("-created_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[GeneratedVideo]:
        return super().get_queryset(request).select_related("project")  # for the file names

    @admin.display(description="video")
    def player(self, video: GeneratedVideo) -> str:
        return video_player(video, "staff-player small")

    @admin.display(description="length")
    def length(self, video: GeneratedVideo) -> str:
        return f"{video.duration:.1f} s" if video.duration else "—"

    @admin.display(description="resolution")
    def resolution(self, video: GeneratedVideo) -> str:
        return f"{video.width}×{video.height}" if video.width else "—"

    @admin.display(description="links")
    def links(self, video: GeneratedVideo) -> str:
        return video_links(video)


@admin.register(VideoProject)
class VideoProjectAdmin(ReadOnlyAdmin):
    list_display = ("title", "owner_link", "status", "photo_count", "video_count", "updated_at")
    list_filter = ("status", "style", "resolution")
    search_fields = ("title", "public_id", "owner__email")
    list_select_related = ("owner",)
    date_hierarchy = "updated_at"
    fields = (
        "public_id",
        "title",
        "owner_link",
        "status",
        ("style", "aspect", "resolution"),
        ("language", "music", "keep_originals"),
        ("photo_count", "video_count"),
        ("created_at", "updated_at"),
    )
    readonly_fields = (
        "public_id",
        "title",
        "owner_link",
        "status",
        "style",
        "aspect",
        "resolution",
        "language",
        "music",
        "keep_originals",
        "photo_count",
        "video_count",
        "created_at",
        "updated_at",
    )
    inlines = (PhotoInline, VideoInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[VideoProject]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_photos=Count("photos", distinct=True), n_videos=Count("videos", distinct=True)
            )
        )

    @admin.display(description="owner", ordering="owner__email")
    def owner_link(self, project: VideoProject) -> str:
        return admin_link(project.owner, project.owner.email)

    @admin.display(description="photos", ordering="n_photos")
    def photo_count(self, project: Any) -> int:
        return int(project.n_photos)

    @admin.display(description="videos", ordering="n_videos")
    def video_count(self, project: Any) -> int:
        return int(project.n_videos)


@admin.register(Photo)
class PhotoAdmin(ReadOnlyAdmin):
    list_display = ("preview", "original_name", "project_link", "owner", "taken_at", "created_at")
    list_display_links = ("preview", "original_name")
    search_fields = ("original_name", "public_id", "project__title", "project__owner__email")
    list_select_related = ("project__owner",)
    fieldsets = (
        (None, {"fields": ("large_preview", "links", "original_name", "project_link", "owner")}),
        (
            "Metadata",
            {
                "fields": (
                    ("width", "height", "size"),
                    ("taken_at", "camera"),
                    "location",
                    ("position", "caption"),
                    ("sharpness", "phash"),
                    "subject",
                )
            },
        ),
        ("Storage", {"fields": ("public_id", "storage_key", "thumbnail_key", "original_key")}),
    )
    readonly_fields = (
        "large_preview",
        "links",
        "original_name",
        "project_link",
        "owner",
        "width",
        "height",
        "size",
        "taken_at",
        "camera",
        "location",
        "position",
        "caption",
        "sharpness",
        "phash",
        "subject",
        "public_id",
        "storage_key",
        "thumbnail_key",
        "original_key",
    )

    @admin.display(description="photo")
    def preview(self, photo: Photo) -> str:
        return thumbnail(photo, "staff-thumb small")

    @admin.display(description="photo")
    def large_preview(self, photo: Photo) -> str:
        url = photo_url(None, photo, "image")
        if not url:
            return "—"
        return format_html('<img class="staff-photo" src="{}" alt="">', url)

    @admin.display(description="files")
    def links(self, photo: Photo) -> str:
        kinds = (("image", "Working copy"), ("thumb", "Thumbnail"), ("original", "Original"))
        parts = [(photo_url(None, photo, kind), label) for kind, label in kinds]
        return format_html(
            '<span class="staff-links">{}</span>',
            format_html_join("", '<a href="{}">{}</a>', ((u, label) for u, label in parts if u)),
        )

    @admin.display(description="project", ordering="project__title")
    def project_link(self, photo: Photo) -> str:
        return admin_link(photo.project)

    @admin.display(description="owner", ordering="project__owner__email")
    def owner(self, photo: Photo) -> str:
        return admin_link(photo.project.owner, photo.project.owner.email)

    @admin.display(description="uploaded file")
    def size(self, photo: Photo) -> str:
        return file_size(photo.size_bytes)

    @admin.display(description="location")
    def location(self, photo: Photo) -> str:
        # The coordinates stay private even from staff: whether there are any is what matters.
        return "recorded" if photo.gps_lat is not None else "none"

    @admin.display(description="subject box")
    def subject(self, photo: Photo) -> str:
        return pretty_json(photo.subject_box) if photo.subject_box else "—"


class SuggestionInline(ReadOnlyInline):
    model = Suggestion
    fields = ("field", "state", "photo", "text", "decided_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(AiRequest)
class AiRequestAdmin(ReadOnlyAdmin):
    """Every suggestion request: what it cost, what was sent, why it failed. The changelist
    filtered to one owner and a month is that customer's AI usage; the totals row sums it."""

    list_display = (
        "created_at",
        "owner_link",
        "project_link",
        "status",
        "model",
        "photo_count",
        "input_tokens",
        "output_tokens",
        "cached_tokens",
        "from_cache",
        "duration_ms",
    )
    list_filter = ("status", "model", "from_cache", "detail", "created_at")
    search_fields = ("public_id", "owner__email", "project__title", "error_code")
    list_select_related = ("owner", "project")
    date_hierarchy = "created_at"
    inlines = (SuggestionInline,)
    fields = (
        ("public_id", "status", "stage"),
        ("owner_link", "project_link"),
        ("model", "prompt_version", "detail", "places_allowed"),
        ("photo_count", "batches", "from_cache"),
        ("input_tokens", "output_tokens", "cached_tokens"),
        ("sent_bytes", "sent_json"),
        ("error_code", "error_message"),
        "error_detail",
        ("created_at", "started_at", "finished_at", "duration_ms"),
    )
    readonly_fields = tuple(
        name for row in fields for name in (row if isinstance(row, tuple) else (row,))
    )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)
        if not isinstance(response, TemplateResponse) or response.context_data is None:
            return response  # a redirect (e.g. a bad filter)
        changelist = response.context_data.get("cl")
        if changelist is not None:
            totals = changelist.queryset.aggregate(
                input=Sum("input_tokens"), output=Sum("output_tokens"), cached=Sum("cached_tokens")
            )
            response.context_data["subtitle"] = (
                f"Tokens in this list: {totals['input'] or 0} input, {totals['output'] or 0} "
                f"output ({totals['cached'] or 0} of the input cached)"
            )
        return response

    @admin.display(description="owner", ordering="owner__email")
    def owner_link(self, request: AiRequest) -> str:
        return admin_link(request.owner, request.owner.email)

    @admin.display(description="project", ordering="project__title")
    def project_link(self, request: AiRequest) -> str:
        return admin_link(request.project)

    @admin.display(description="what was sent")
    def sent_json(self, request: AiRequest) -> str:
        return pretty_json(request.sent) if request.sent else "—"
