"""Staff view of render jobs: watch the video, read its errors, spec and timings, retry, cancel."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from photomemory.admin import admin_link, file_size, pretty_json
from rendering.errors import RenderingError
from rendering.media import video_url
from rendering.models import GeneratedVideo
from rendering.services import video_cancel, video_retry


def video_player(video: GeneratedVideo, css: str = "staff-player") -> str:
    """The finished video, playable in the page (its poster until it plays)."""
    # No request: a signed link does not depend on who asks, and a path works from this page.
    src, poster = video_url(None, video, "mp4"), video_url(None, video, "poster")
    if not src:
        return "—"
    return format_html(
        '<video class="{}" src="{}" poster="{}" controls preload="metadata"></video>',
        css,
        src,
        poster or "",
    )


def video_links(video: GeneratedVideo) -> str:
    download = video_url(None, video, "download")
    return format_html(
        '<span class="staff-links">{}{}</span>',
        admin_link(video, "Job details"),
        format_html(' <a href="{}">Download MP4</a>', download) if download else "",
    )


@admin.register(GeneratedVideo)
class GeneratedVideoAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "poster",
        "public_id",
        "project",
        "owner",
        "status",
        "progress",
        "attempt",
        "duration",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", ("owner", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("public_id", "project__title", "project__public_id", "owner__email")
    list_select_related = ("project", "owner")
    date_hierarchy = "created_at"
    actions = ("retry_videos", "cancel_videos")
    list_display_links = ("poster", "public_id")
    readonly_fields = [f.name for f in GeneratedVideo._meta.fields] + [
        "player",
        "links",
        "project_link",
        "owner_link",
        "size",
        "skipped_pretty",
        "timings_pretty",
        "spec_pretty",
    ]
    fieldsets = (
        (None, {"fields": ("player", "links")}),
        (
            "Job",
            {
                "fields": (
                    "public_id",
                    "project_link",
                    "owner_link",
                    ("status", "progress", "stage"),
                )
            },
        ),
        ("Problem", {"fields": ("error_message", "error_detail", "skipped_pretty")}),
        (
            "Result",
            {
                "fields": (
                    ("duration", "width", "height"),
                    ("size", "photo_count", "watermark"),
                    "output_key",
                    "poster_key",
                    "subtitles",
                    "timings_pretty",
                )
            },
        ),
        (
            "Claim",
            {
                "fields": (
                    "attempt",
                    "claim_token",
                    "claimed_at",
                    "lease_expires_at",
                    "enqueued_at",
                    "created_at",
                    "started_at",
                    "finished_at",
                    "spec_hash",
                )
            },
        ),
        ("Spec (the options the video was made with)", {"fields": ("spec_pretty",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs start from the project, with the owner's quota checked

    def get_queryset(self, request: HttpRequest) -> QuerySet[GeneratedVideo]:
        return super().get_queryset(request).select_related("project", "owner")

    @admin.display(description="preview")
    def poster(self, video: GeneratedVideo) -> str:
        url = video_url(None, video, "poster")
        return format_html('<img class="staff-thumb small" src="{}" alt="">', url) if url else "—"

    @admin.display(description="video")
    def player(self, video: GeneratedVideo) -> str:
        return video_player(video)

    @admin.display(description="links")
    def links(self, video: GeneratedVideo) -> str:
        return video_links(video)

    @admin.display(description="project")
    def project_link(self, video: GeneratedVideo) -> str:
        return admin_link(video.project)

    @admin.display(description="owner")
    def owner_link(self, video: GeneratedVideo) -> str:
        return admin_link(video.owner, video.owner.email)

    @admin.display(description="file size")
    def size(self, video: GeneratedVideo) -> str:
        return file_size(video.size_bytes)

    @admin.display(description="skipped photos")
    def skipped_pretty(self, video: GeneratedVideo) -> str:
        return pretty_json(video.skipped) if video.skipped else "—"

    @admin.display(description="timings (seconds)")
    def timings_pretty(self, video: GeneratedVideo) -> str:
        return pretty_json(video.timings) if video.timings else "—"

    @admin.display(description="spec")
    def spec_pretty(self, video: GeneratedVideo) -> str:
        return pretty_json(video.spec)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # read-only; the actions change state through the services

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a deleted row would leave its files in storage and its render counted

    @admin.action(description="Retry the selected failed or cancelled videos")
    def retry_videos(self, request: HttpRequest, queryset: QuerySet[GeneratedVideo]) -> None:
        self._apply(request, queryset, video_retry, "queued again")

    @admin.action(description="Cancel the selected queued or rendering videos")
    def cancel_videos(self, request: HttpRequest, queryset: QuerySet[GeneratedVideo]) -> None:
        self._apply(request, queryset, video_cancel, "cancelled")

    def _apply(
        self, request: HttpRequest, queryset: QuerySet[GeneratedVideo], service: Any, done: str
    ) -> None:
        ok = 0
        for video in queryset.select_related("project", "owner"):
            try:
                service(video=video)
                ok += 1
            except RenderingError as exc:
                self.message_user(request, f"{video.public_id}: {exc.message}", messages.WARNING)
        if ok:
            self.message_user(request, f"{ok} video(s) {done}.", messages.SUCCESS)
