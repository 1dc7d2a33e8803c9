"""Staff view of render jobs: find them, read their errors and timings, retry or cancel."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from rendering.errors import RenderingError
from rendering.models import GeneratedVideo
from rendering.services import video_cancel, video_retry


@admin.register(GeneratedVideo)
class GeneratedVideoAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
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
    readonly_fields = [f.name for f in GeneratedVideo._meta.fields]
    fieldsets = (
        (None, {"fields": ("public_id", "project", "owner", "status", "progress", "stage")}),
        ("Problem", {"fields": ("error_message", "error_detail", "skipped")}),
        (
            "Result",
            {
                "fields": (
                    "output_key",
                    "poster_key",
                    "duration",
                    "size_bytes",
                    "width",
                    "height",
                    "photo_count",
                    "watermark",
                    "timings",
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
                    "spec",
                )
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs start from the project, with the owner's quota checked

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # read-only; the actions change state through the services

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
