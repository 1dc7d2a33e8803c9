"""Photo endpoints: list, read, caption, reorder, sort by date, remove."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from projects.api.common import PhotoOutput, ordered_schema, paginated, paginated_schema
from projects.api.errors import ApiView
from projects.api.projects import _valid
from projects.selectors import photo_get, photo_list, project_get
from projects.services import (
    photo_caption_update,
    photo_remove,
    photos_reorder,
    photos_sort_by_date,
)


class PhotoListApi(ApiView):
    @extend_schema(operation_id="photos_list", responses=paginated_schema(PhotoOutput, "PhotoPage"))
    def get(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        return paginated(
            queryset=photo_list(project=project).select_related("project"),
            serializer_class=PhotoOutput,
            request=request,
            view=self,
        )


class PhotoDetailApi(ApiView):
    @extend_schema(operation_id="photos_retrieve", responses=PhotoOutput)
    def get(self, request: Request, project_id: str, photo_id: str) -> Response:
        photo = photo_get(user=request.user, project_id=project_id, public_id=photo_id)
        return Response(PhotoOutput(photo, context={"request": request}).data)


class PhotoUpdateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoUpdate"  # unique in the OpenAPI schema

        caption = serializers.CharField(allow_blank=True, max_length=200, trim_whitespace=True)

    @extend_schema(operation_id="photos_update", request=InputSerializer, responses=PhotoOutput)
    def patch(self, request: Request, project_id: str, photo_id: str) -> Response:
        photo = photo_get(user=request.user, project_id=project_id, public_id=photo_id)
        data = _valid(self.InputSerializer, request)
        photo = photo_caption_update(photo=photo, caption=data["caption"])
        return Response(PhotoOutput(photo, context={"request": request}).data)


class PhotoDeleteApi(ApiView):
    @extend_schema(operation_id="photos_delete", responses={204: None})
    def delete(self, request: Request, project_id: str, photo_id: str) -> Response:
        photo_remove(photo=photo_get(user=request.user, project_id=project_id, public_id=photo_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PhotoReorderApi(ApiView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoReorder"  # unique in the OpenAPI schema

        order = serializers.ListField(child=serializers.UUIDField(), max_length=1000)

    @extend_schema(
        operation_id="photos_reorder",
        request=InputSerializer,
        responses=ordered_schema("PhotoOrder"),
    )
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        photos = photos_reorder(
            project=project, order=_valid(self.InputSerializer, request)["order"]
        )
        return Response(_ordered(photos, request))


class PhotoSortByDateApi(ApiView):
    @extend_schema(
        operation_id="photos_sort_by_date", request=None, responses=ordered_schema("PhotoDateOrder")
    )
    def post(self, request: Request, project_id: str) -> Response:
        photos = photos_sort_by_date(project=project_get(user=request.user, public_id=project_id))
        return Response(_ordered(photos, request))


def _ordered(photos: list, request: Request) -> dict:
    return {"results": PhotoOutput(photos, many=True, context={"request": request}).data}
