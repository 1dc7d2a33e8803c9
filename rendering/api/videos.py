"""Render-job endpoints: render, list, read, cancel, retry. One view per operation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.request import Request, is_form_media_type
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.api.common import paginated, paginated_schema, validated
from projects.api.fields import StrictBooleanField
from projects.selectors import project_get
from rendering.media import events_url, video_subtitles, video_url
from rendering.models import VideoStage, VideoStatus
from rendering.selectors import video_get, video_list
from rendering.services import video_cancel, video_request_render, video_retry


class SkippedPhoto(serializers.Serializer):  # type: ignore[type-arg]
    """A photo left out of the video, and why (one line for the user)."""

    name = serializers.CharField()
    reason = serializers.CharField()


class SubtitleTrack(serializers.Serializer):  # type: ignore[type-arg]
    """A WebVTT track of the video's words (title, dates, captions, end card, story)."""

    language = serializers.CharField(help_text="BCP 47 language tag, for `<track srclang>`")
    label = serializers.CharField(help_text="The language's name in that language")  # type: ignore[assignment]
    url = serializers.URLField(
        help_text="Short-lived link to the `text/vtt` file, like `video_url`; read the video "
        "again for a fresh one"
    )


class VideoOutput(serializers.Serializer):  # type: ignore[type-arg]
    class Meta:
        ref_name = "Video"  # unique in the OpenAPI schema

    id = serializers.UUIDField(source="public_id")
    project = serializers.UUIDField(source="project.public_id")
    status = serializers.ChoiceField(choices=VideoStatus.choices)
    progress = serializers.IntegerField(help_text="0–100")
    stage = serializers.ChoiceField(choices=VideoStage.choices)
    eta_seconds = serializers.IntegerField(allow_null=True)
    attempt = serializers.IntegerField()
    error_message = serializers.CharField()
    duration = serializers.FloatField(allow_null=True, help_text="seconds")
    size_bytes = serializers.IntegerField(allow_null=True)
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    photo_count = serializers.IntegerField()
    skipped = SkippedPhoto(many=True)
    watermark = serializers.BooleanField()
    burn_text = serializers.SerializerMethodField(
        help_text="Whether the words are drawn into the picture; they are in `subtitles` either way"
    )
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    video_url = serializers.SerializerMethodField()
    poster_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    events_url = serializers.SerializerMethodField()
    subtitles = serializers.SerializerMethodField()

    def get_burn_text(self, video: Any) -> bool:
        return bool(video.spec.get("burn_text", True))

    @extend_schema_field(SubtitleTrack(many=True))
    def get_subtitles(self, video: Any) -> list[dict[str, str]]:
        return video_subtitles(self.context.get("request"), video)

    def get_video_url(self, video: Any) -> str | None:
        return video_url(self.context.get("request"), video, "mp4")

    def get_poster_url(self, video: Any) -> str | None:
        return video_url(self.context.get("request"), video, "poster")

    def get_download_url(self, video: Any) -> str | None:
        return video_url(self.context.get("request"), video, "download")

    def get_events_url(self, video: Any) -> str:
        return events_url(self.context.get("request"), video)


class ProjectRenderApi(APIView):
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        class Meta:
            ref_name = "RenderRequest"  # unique in the OpenAPI schema

        burn_text = StrictBooleanField(
            required=False,
            default=True,
            help_text="Draw the words (title, dates, captions, end card, story) into the picture. "
            "False: they are only in the video's subtitle track. Default true.",
        )

    @extend_schema(
        operation_id="projects_render",
        request=InputSerializer,
        responses={202: VideoOutput, 200: VideoOutput},
        description="Queue a render. If one is already queued or running, that one comes back "
        "with 200. 402 when the plan's limit is reached. The body may be left out.",
    )
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        options = self._options(request)
        video, created = video_request_render(
            user=request.user, project=project, burn_text=options["burn_text"]
        )
        code = status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK
        return Response(VideoOutput(video, context={"request": request}).data, status=code)

    def _options(self, request: Request) -> dict[str, Any]:
        """The JSON body's options. A bare POST — no body, or the empty form some HTTP clients
        send for one (clients made before the body existed) — takes the defaults; a form with
        fields is refused (415) like any other body that is not JSON."""
        if is_form_media_type(request.content_type):
            form = request._request  # Django's own request: parse the form without DRF's parsers
            if form.POST or form.FILES:
                raise UnsupportedMediaType(request.content_type)
            return {"burn_text": True}
        return validated(self.InputSerializer, request)


class VideoListApi(APIView):
    @extend_schema(operation_id="videos_list", responses=paginated_schema(VideoOutput, "VideoPage"))
    def get(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        return paginated(
            queryset=video_list(project=project),
            serializer_class=VideoOutput,
            request=request,
            view=self,
        )


class VideoDetailApi(APIView):
    @extend_schema(operation_id="videos_retrieve", responses=VideoOutput)
    def get(self, request: Request, project_id: str, video_id: str) -> Response:
        video = video_get(user=request.user, project_id=project_id, public_id=video_id)
        return Response(VideoOutput(video, context={"request": request}).data)


class VideoCancelApi(APIView):
    @extend_schema(operation_id="videos_cancel", request=None, responses=VideoOutput)
    def post(self, request: Request, project_id: str, video_id: str) -> Response:
        video = video_get(user=request.user, project_id=project_id, public_id=video_id)
        video = video_cancel(video=video)
        return Response(VideoOutput(video, context={"request": request}).data)


class VideoRetryApi(APIView):
    @extend_schema(operation_id="videos_retry", request=None, responses={202: VideoOutput})
    def post(self, request: Request, project_id: str, video_id: str) -> Response:
        video = video_get(user=request.user, project_id=project_id, public_id=video_id)
        video = video_retry(video=video)
        return Response(
            VideoOutput(video, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )
