"""Project resources: the collection (list, create) and one project (read, change, delete)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.api.common import ProjectOutput, paginated, paginated_schema, validated
from projects.api.fields import StrictBooleanField, StrictCharField, StrictChoiceField
from projects.models import MUSIC_DEFAULT, MUSIC_NONE, Aspect, Resolution, Style
from projects.selectors import project_get, project_list
from projects.services import project_create, project_delete, project_update

MUSIC_SETTINGS = [MUSIC_DEFAULT, MUSIC_NONE]  # an own track comes in through the music upload


class ProjectListApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ProjectCreate"  # unique in the OpenAPI schema

        title = StrictCharField(max_length=120)
        style = StrictChoiceField(choices=Style.choices, required=False)  # type: ignore[assignment]
        aspect = StrictChoiceField(choices=Aspect.choices, required=False)
        resolution = StrictChoiceField(choices=Resolution.choices, required=False)
        language = StrictChoiceField(choices=settings.VIDEO_LANGUAGES, required=False)
        keep_originals = StrictBooleanField(required=False)

    @extend_schema(
        operation_id="projects_list", responses=paginated_schema(ProjectOutput, "ProjectPage")
    )
    def get(self, request: Request) -> Response:
        return paginated(
            queryset=project_list(user=request.user),
            serializer_class=ProjectOutput,
            request=request,
            view=self,
        )

    @extend_schema(
        operation_id="projects_create", request=InputSerializer, responses={201: ProjectOutput}
    )
    def post(self, request: Request) -> Response:
        project = project_create(owner=request.user, **validated(self.InputSerializer, request))
        return Response(
            ProjectOutput(project, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProjectDetailApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ProjectUpdate"  # unique in the OpenAPI schema

        title = StrictCharField(max_length=120, required=False)
        style = StrictChoiceField(choices=Style.choices, required=False)  # type: ignore[assignment]
        aspect = StrictChoiceField(choices=Aspect.choices, required=False)
        resolution = StrictChoiceField(choices=Resolution.choices, required=False)
        language = StrictChoiceField(choices=settings.VIDEO_LANGUAGES, required=False)
        music = StrictChoiceField(choices=MUSIC_SETTINGS, required=False)
        keep_originals = StrictBooleanField(required=False)
        story = StrictCharField(max_length=600, required=False, allow_blank=True)
        ai_enabled = StrictBooleanField(required=False)
        ai_places = StrictBooleanField(required=False)

    @extend_schema(operation_id="projects_retrieve", responses=ProjectOutput)
    def get(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        return Response(ProjectOutput(project, context={"request": request}).data)

    @extend_schema(operation_id="projects_update", request=InputSerializer, responses=ProjectOutput)
    def patch(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        project = project_update(project=project, **validated(self.InputSerializer, request))
        return Response(ProjectOutput(project, context={"request": request}).data)

    @extend_schema(operation_id="projects_delete", responses={204: None})
    def delete(self, request: Request, project_id: str) -> Response:
        project_delete(project=project_get(user=request.user, public_id=project_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
