"""Uploads straight into storage (start → POST to storage → complete) and the project's own
music; the helpers the multipart upload views share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from projects.api.common import PhotoOutput, ProjectOutput, validated
from projects.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField
from projects.api.parsers import StrictMultiPartParser
from projects.errors import (
    MusicRejected,
    MusicTooLarge,
    ProjectsError,
    UploadRejected,
    UploadTooLarge,
)
from projects.selectors import project_get
from projects.services import photo_upload_finish, photo_upload_start, project_music_upload
from projects.services.music import MAX_MUSIC_BYTES
from projects.upload_files import local_path

# Multipart framing and the other fields; a body larger than the file limit plus this is refused
# before a byte of it is read.
_FORM_OVERHEAD = 64 * 1024
_FILE_ERRORS = (UploadRejected, UploadTooLarge, MusicRejected, MusicTooLarge)


@contextmanager
def about_file(field: str = "file") -> Iterator[None]:
    """A refused file is about the form field the client sent it in: name that field."""
    try:
        yield
    except _FILE_ERRORS as exc:
        if not exc.fields:
            exc.fields = {field: [exc.message]}
        raise


def refuse_oversize_body(request: Request, *, limit: int, error: ProjectsError) -> None:
    """Raise ``error`` when the declared body is over ``limit`` (plus form overhead)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + _FORM_OVERHEAD:
        raise error


class PhotoUploadStartApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "uploads"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoUploadStart"  # unique in the OpenAPI schema

        name = StrictCharField(max_length=1000, trim_whitespace=False)
        size = StrictIntegerField(min_value=0)
        keep_original = StrictBooleanField(required=False, allow_null=True, default=None)

    @extend_schema(
        operation_id="photos_upload_start",
        request=InputSerializer,
        responses={
            201: inline_serializer(
                name="DirectUpload",
                fields={
                    "upload": inline_serializer(
                        name="PresignedPost",
                        fields={
                            "url": serializers.URLField(),
                            "fields": serializers.DictField(child=serializers.CharField()),
                        },
                    ),
                    "token": serializers.CharField(),
                    "expires_in": serializers.IntegerField(),
                },
            )
        },
    )
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        data = validated(self.InputSerializer, request)
        started = photo_upload_start(project=project, **data)
        return Response(started, status=status.HTTP_201_CREATED)


class PhotoUploadFinishApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "uploads"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoUploadFinish"  # unique in the OpenAPI schema

        token = StrictCharField(max_length=2000)

    @extend_schema(
        operation_id="photos_upload_finish", request=InputSerializer, responses={201: PhotoOutput}
    )
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        photo = photo_upload_finish(
            project=project, token=validated(self.InputSerializer, request)["token"]
        )
        return Response(
            PhotoOutput(photo, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class ProjectMusicApi(APIView):
    """The project's own soundtrack (MP3, M4A, WAV, …); re-encoded by the server."""

    parser_classes = [StrictMultiPartParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "uploads"
    media_type_message = gettext_lazy(
        "Send the track as multipart/form-data, with the audio file in the `file` field."
    )
    file_error = MusicRejected

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MusicUpload"  # unique in the OpenAPI schema

        file = serializers.FileField(allow_empty_file=True)

    @extend_schema(
        operation_id="projects_music_upload",
        request={"multipart/form-data": InputSerializer},
        responses=ProjectOutput,
    )
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        with about_file():
            refuse_oversize_body(
                request,
                limit=MAX_MUSIC_BYTES,
                error=MusicTooLarge("This track is larger than 30 MB. Choose a shorter one."),
            )
            serializer = self.InputSerializer(data=request.data)
            if not serializer.is_valid():
                raise MusicRejected(_("Choose an audio file to upload."), fields=serializer.errors)
            upload: UploadedFile = serializer.validated_data["file"]
            with local_path(upload) as path:
                project = project_music_upload(
                    project=project, path=path, name=upload.name or "music", size=upload.size or 0
                )
        return Response(ProjectOutput(project, context={"request": request}).data)
