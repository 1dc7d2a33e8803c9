"""Photo uploads: multipart through the app, or straight into storage (start → POST → finish)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from billing.entitlements import get_entitlements
from projects.api.common import PhotoOutput, ProjectOutput
from projects.api.errors import ApiView
from projects.api.parsers import StrictMultiPartParser
from projects.api.projects import _valid
from projects.errors import UploadRejected, UploadTooLarge
from projects.selectors import project_get
from projects.services import (
    photo_add,
    photo_upload_finish,
    photo_upload_start,
    project_music_upload,
)
from projects.upload_files import local_path

# Multipart framing and the other fields; a body larger than the file limit plus this is refused
# before a byte of it is read.
_FORM_OVERHEAD = 64 * 1024


class PhotoUploadApi(ApiView):
    """One photo per request, so each file gets its own progress and its own error."""

    parser_classes = [StrictMultiPartParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "uploads"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoUpload"  # unique in the OpenAPI schema

        file = serializers.FileField(allow_empty_file=True)
        keep_original = serializers.BooleanField(required=False, allow_null=True, default=None)

    @extend_schema(
        operation_id="photos_upload",
        request={"multipart/form-data": InputSerializer},
        responses={201: PhotoOutput},
    )
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        _refuse_oversize_body(request)
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            raise UploadRejected("Choose a photo to upload.", fields=serializer.errors)
        upload: UploadedFile = serializer.validated_data["file"]
        with local_path(upload) as path:
            photo = photo_add(
                project=project,
                path=path,
                name=upload.name or "photo",
                size=upload.size or 0,
                keep_original=serializer.validated_data["keep_original"],
            )
        return Response(
            PhotoOutput(photo, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class PhotoUploadStartApi(ApiView):
    parser_classes = [JSONParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "uploads"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoUploadStart"  # unique in the OpenAPI schema

        name = serializers.CharField(max_length=1000, trim_whitespace=False)
        size = serializers.IntegerField(min_value=0)
        keep_original = serializers.BooleanField(required=False, allow_null=True, default=None)

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
        data = _valid(self.InputSerializer, request)
        started = photo_upload_start(project=project, **data)
        return Response(started, status=status.HTTP_201_CREATED)


class PhotoUploadFinishApi(ApiView):
    parser_classes = [JSONParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "uploads"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoUploadFinish"  # unique in the OpenAPI schema

        token = serializers.CharField(max_length=2000)

    @extend_schema(
        operation_id="photos_upload_finish", request=InputSerializer, responses={201: PhotoOutput}
    )
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        photo = photo_upload_finish(
            project=project, token=_valid(self.InputSerializer, request)["token"]
        )
        return Response(
            PhotoOutput(photo, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class ProjectMusicUploadApi(ApiView):
    """The project's own soundtrack (MP3, M4A, WAV, …); re-encoded by the server."""

    parser_classes = [StrictMultiPartParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "uploads"

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
        serializer = self.InputSerializer(data=request.data)
        if not serializer.is_valid():
            raise UploadRejected("Choose an audio file to upload.", fields=serializer.errors)
        upload: UploadedFile = serializer.validated_data["file"]
        with local_path(upload) as path:
            project = project_music_upload(
                project=project, path=path, name=upload.name or "music", size=upload.size or 0
            )
        return Response(ProjectOutput(project, context={"request": request}).data)


def _refuse_oversize_body(request: Request) -> None:
    limit = get_entitlements(user=request.user).max_upload_bytes
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + _FORM_OVERHEAD:
        mb = limit // (1024 * 1024)
        raise UploadTooLarge(f"This file is larger than {mb} MB, the most your plan allows.")
