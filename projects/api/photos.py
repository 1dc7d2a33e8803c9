"""Photo resources: a project's photos (list, upload one) and one photo (read, caption, remove);
reorder and sort by date act on the whole list."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from billing.entitlements import get_entitlements
from projects.api.common import (
    PhotoOutput,
    ordered_schema,
    paginated,
    paginated_schema,
    validated,
)
from projects.api.fields import StrictCharField, StrictUUIDField
from projects.api.parsers import StrictMultiPartParser
from projects.api.uploads import about_file, refuse_oversize_body
from projects.errors import UploadRejected, UploadTooLarge
from projects.selectors import photo_get, photo_list, project_get
from projects.services import (
    photo_add,
    photo_caption_update,
    photo_remove,
    photos_reorder,
    photos_sort_by_date,
)
from projects.upload_files import local_path


class PhotoListApi(APIView):
    """GET lists the photos; POST uploads one photo per request, so each file gets its own
    progress and its own error."""

    parser_classes = [StrictMultiPartParser]
    throttle_scope = "uploads"
    media_type_message = gettext_lazy(
        "Send the photo as multipart/form-data, with the file in the `file` field."
    )
    file_error = UploadRejected

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoUpload"  # unique in the OpenAPI schema

        file = serializers.FileField(allow_empty_file=True)
        # A multipart field is text by nature: "true"/"false" stay accepted here.
        keep_original = serializers.BooleanField(required=False, allow_null=True, default=None)

    def get_throttles(self) -> list[BaseThrottle]:
        # Only uploads count against the upload rate, not looking at the list.
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(operation_id="photos_list", responses=paginated_schema(PhotoOutput, "PhotoPage"))
    def get(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        return paginated(
            queryset=photo_list(project=project).select_related("project"),
            serializer_class=PhotoOutput,
            request=request,
            view=self,
        )

    @extend_schema(
        operation_id="photos_upload",
        request={"multipart/form-data": InputSerializer},
        responses={201: PhotoOutput},
    )
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        limit = get_entitlements(user=request.user).max_upload_bytes
        with about_file():
            refuse_oversize_body(
                request,
                limit=limit,
                error=UploadTooLarge(
                    f"This file is larger than {limit // (1024 * 1024)} MB, "
                    "the most your plan allows."
                ),
            )
            serializer = self.InputSerializer(data=request.data)
            if not serializer.is_valid():
                raise UploadRejected(_("Choose a photo to upload."), fields=serializer.errors)
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


class PhotoDetailApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoUpdate"  # unique in the OpenAPI schema

        caption = StrictCharField(allow_blank=True, max_length=200, trim_whitespace=True)

    @extend_schema(operation_id="photos_retrieve", responses=PhotoOutput)
    def get(self, request: Request, project_id: str, photo_id: str) -> Response:
        photo = photo_get(user=request.user, project_id=project_id, public_id=photo_id)
        return Response(PhotoOutput(photo, context={"request": request}).data)

    @extend_schema(operation_id="photos_update", request=InputSerializer, responses=PhotoOutput)
    def patch(self, request: Request, project_id: str, photo_id: str) -> Response:
        photo = photo_get(user=request.user, project_id=project_id, public_id=photo_id)
        data = validated(self.InputSerializer, request)
        photo = photo_caption_update(photo=photo, caption=data["caption"])
        return Response(PhotoOutput(photo, context={"request": request}).data)

    @extend_schema(operation_id="photos_delete", responses={204: None})
    def delete(self, request: Request, project_id: str, photo_id: str) -> Response:
        photo_remove(photo=photo_get(user=request.user, project_id=project_id, public_id=photo_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PhotoReorderApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoReorder"  # unique in the OpenAPI schema

        order = serializers.ListField(child=StrictUUIDField(), max_length=1000)

    @extend_schema(
        operation_id="photos_reorder",
        request=InputSerializer,
        responses=ordered_schema("PhotoOrder"),
    )
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        photos = photos_reorder(
            project=project, order=validated(self.InputSerializer, request)["order"]
        )
        return Response(_ordered(photos, request))


class PhotoSortByDateApi(APIView):
    @extend_schema(
        operation_id="photos_sort_by_date", request=None, responses=ordered_schema("PhotoDateOrder")
    )
    def post(self, request: Request, project_id: str) -> Response:
        photos = photos_sort_by_date(project=project_get(user=request.user, public_id=project_id))
        return Response(_ordered(photos, request))


def _ordered(photos: list[Any], request: Request) -> dict[str, Any]:
    return {"results": PhotoOutput(photos, many=True, context={"request": request}).data}
