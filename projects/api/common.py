"""Shared API pieces: pagination and the photo and project output shapes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects import storage
from projects.media import photo_url
from projects.models import (
    MUSIC_DEFAULT,
    MUSIC_NONE,
    Aspect,
    Photo,
    ProjectStatus,
    Resolution,
    Style,
)

# What ``ProjectOutput.music`` says: the style's track, none, or the project's own upload.
MUSIC_CHOICES = [MUSIC_DEFAULT, MUSIC_NONE, "uploaded"]
# The languages a user or a project can have (the schema's Language enum).
LANGUAGE_CHOICES = settings.VIDEO_LANGUAGES
# Who wrote a caption (or title, story): the user, an accepted AI draft, or nobody yet.
TEXT_SOURCES = ["user", "ai", ""]
IMAGE_DETAILS = ["low", "high"]


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


def paginated(
    *,
    queryset: Any,
    serializer_class: type[serializers.Serializer],
    request: Request,
    view: APIView,
) -> Response:
    paginator = Pagination()
    page: list[Any] | None = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer_class(page, many=True, context={"request": request}).data
    return paginator.get_paginated_response(data)


class SubjectBox(serializers.Serializer):
    """Where the photo's subject is, as fractions of the upright image (0–1)."""

    x = serializers.FloatField()
    y = serializers.FloatField()
    w = serializers.FloatField()
    h = serializers.FloatField()


class PhotoOutput(serializers.Serializer):
    """A photo as clients see it. GPS stays on the server."""

    class Meta:
        ref_name = "Photo"  # unique in the OpenAPI schema

    id = serializers.UUIDField(source="public_id")
    position = serializers.IntegerField()
    caption = serializers.CharField()
    caption_source = serializers.ChoiceField(
        choices=["user", "ai", ""],
        help_text="Who wrote the caption: the user, or an accepted AI draft.",
    )
    original_name = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    size_bytes = serializers.IntegerField()
    taken_at = serializers.DateTimeField(allow_null=True)
    camera = serializers.CharField()
    sharpness = serializers.FloatField()
    subject_box = serializers.SerializerMethodField()
    has_original = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(SubjectBox(allow_null=True))
    def get_subject_box(self, photo: Photo) -> dict[str, float] | None:
        return photo.subject_box or None  # {} on a photo analysed before boxes existed

    def get_has_original(self, photo: Photo) -> bool:
        return bool(photo.original_key)

    def get_thumbnail_url(self, photo: Photo) -> str | None:
        return photo_url(self.context.get("request"), photo, "thumb")

    def get_image_url(self, photo: Photo) -> str | None:
        return photo_url(self.context.get("request"), photo, "image")


class ProjectOutput(serializers.Serializer):
    class Meta:
        ref_name = "Project"  # unique in the OpenAPI schema

    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    # DRF's metaclass lifts declared fields off the class; "style" clashes only for mypy.
    style = serializers.ChoiceField(choices=Style.choices)  # type: ignore[assignment]
    aspect = serializers.ChoiceField(choices=Aspect.choices)
    resolution = serializers.ChoiceField(choices=Resolution.choices)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    music = serializers.SerializerMethodField()
    keep_originals = serializers.BooleanField()
    story = serializers.CharField(help_text="The end card's words.")
    ai_enabled = serializers.BooleanField(help_text="AI suggestions are on for this project.")
    ai_places = serializers.BooleanField(help_text="Place names may be sent to the AI service.")
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    photo_count = serializers.SerializerMethodField()
    cover_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ChoiceField(choices=MUSIC_CHOICES))
    def get_music(self, project: Any) -> str:
        # The key of an own track is internal; clients only need to know there is one.
        return "uploaded" if project.has_own_music else project.music

    def get_photo_count(self, project: Any) -> int:
        count = getattr(project, "photo_count", None)
        return count if count is not None else project.photos.count()

    def get_cover_url(self, project: Any) -> str | None:
        key = getattr(project, "cover_key", None)
        if key is None:
            first = project.photos.order_by("position", "id").first()
            key = first.thumbnail_key if first else None
        if not key:
            return None
        signed = storage.signed_url(key, content_type="image/jpeg", filename="cover.jpg")
        if signed:
            return signed
        photo = project.photos.filter(thumbnail_key=key).first()
        return photo_url(self.context.get("request"), photo, "thumb") if photo else None


class Page(serializers.Serializer):
    """A page of a list (limit/offset); the schema documents ``limit`` and ``offset`` on it."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


def paginated_schema(item: type[serializers.Serializer], name: str) -> serializers.Serializer:
    """The OpenAPI shape of a page of ``item`` (limit/offset pagination)."""
    page = type(name, (Page,), {"results": item(many=True), "__module__": __name__})
    return page()


def ordered_schema(name: str) -> serializers.Serializer:
    return inline_serializer(name=name, fields={"results": PhotoOutput(many=True)})


def validated(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The request body checked by ``serializer_class``; a 400 ``invalid`` otherwise."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
