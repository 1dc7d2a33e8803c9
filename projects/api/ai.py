"""AI writing over the API: the state of a project's suggestions, asking for them, deciding them.

``GET P ai/`` is all the editor or an app needs to draw the panel and poll while a request runs;
the decisions are one small POST each. Turning AI on or off and allowing place names are project
settings (``PATCH P`` with ``ai_enabled`` / ``ai_places``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.entitlements import get_entitlements
from projects.ai.config import ai_settings
from projects.api.common import IMAGE_DETAILS, TEXT_SOURCES, validated
from projects.api.fields import StrictCharField
from projects.models import (
    AiRequest,
    AiRequestStatus,
    Suggestion,
    SuggestionField,
    SuggestionState,
    VideoProject,
)
from projects.selectors import (
    ai_request_latest,
    ai_requests_this_month,
    ai_suggestion_get,
    ai_suggestions,
    ai_usage,
    project_get,
)
from projects.services.ai import (
    ai_request_create,
    suggestion_accept,
    suggestion_reject,
    suggestion_undo,
    suggestions_accept_all,
)
from rendering.selectors import month_start

LOG_LENGTH = 20


def _translated(message: str) -> str:
    """A message stored in English, in the request's language (gettext("") is the catalog's
    header, never a message)."""
    return gettext(message) if message else ""


class AiErrorOutput(serializers.Serializer):
    class Meta:
        ref_name = "AiRequestError"

    code = serializers.CharField()
    message = serializers.CharField()


class SentPhotoOutput(serializers.Serializer):
    """What left the server of one photo: its size in bytes and which facts went with it."""

    class Meta:
        ref_name = "AiSentPhoto"

    photo = serializers.UUIDField()
    bytes = serializers.IntegerField()
    width = serializers.IntegerField(required=False, help_text="pixels of the copy sent")
    height = serializers.IntegerField(required=False)
    # DRF's metaclass lifts declared fields off the class; the name clashes only for mypy.
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.ChoiceField(["image", "month", "place"])
    )


class AiRequestOutput(serializers.Serializer):
    class Meta:
        ref_name = "AiRequest"

    id = serializers.UUIDField(source="public_id")
    status = serializers.ChoiceField(choices=AiRequestStatus.choices)
    stage = serializers.CharField()
    error = serializers.SerializerMethodField()
    retry_after_seconds = serializers.FloatField(allow_null=True)
    model = serializers.CharField()
    detail = serializers.ChoiceField(choices=IMAGE_DETAILS)
    places_allowed = serializers.BooleanField()
    photo_count = serializers.IntegerField()
    batches = serializers.IntegerField()
    from_cache = serializers.BooleanField()
    sent = SentPhotoOutput(many=True)
    sent_bytes = serializers.IntegerField()
    input_tokens = serializers.IntegerField()
    output_tokens = serializers.IntegerField()
    cached_tokens = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    duration_ms = serializers.IntegerField(allow_null=True)

    @extend_schema_field(AiErrorOutput(allow_null=True))
    def get_error(self, request: AiRequest) -> dict[str, str] | None:
        if request.status != AiRequestStatus.FAILED:
            return None
        # Stored in English by the worker; a known message is shown in the request's language.
        return {"code": request.error_code, "message": _translated(request.error_message)}


class OrderStepOutput(serializers.Serializer):
    class Meta:
        ref_name = "AiOrderStep"

    photo_id = serializers.UUIDField(source="photo")
    reason = serializers.CharField()


class CurrentTextOutput(serializers.Serializer):
    """The user's own text the suggestion would replace, and who wrote it."""

    class Meta:
        ref_name = "AiCurrentText"

    text = serializers.CharField()
    source = serializers.ChoiceField(choices=TEXT_SOURCES)  # type: ignore[assignment]


class SuggestionOutput(serializers.Serializer):
    class Meta:
        ref_name = "AiSuggestion"

    id = serializers.UUIDField(source="public_id")
    field = serializers.ChoiceField(choices=SuggestionField.choices)
    state = serializers.ChoiceField(choices=SuggestionState.choices)
    text = serializers.CharField()
    photo_id = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()
    order = OrderStepOutput(many=True)
    can_undo = serializers.SerializerMethodField()

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_photo_id(self, suggestion: Suggestion) -> str | None:
        return str(suggestion.photo.public_id) if suggestion.photo else None

    @extend_schema_field(CurrentTextOutput())
    def get_current(self, suggestion: Suggestion) -> dict[str, str]:
        if suggestion.photo is not None:
            return {"text": suggestion.photo.caption, "source": suggestion.photo.caption_source}
        project = suggestion.project
        if suggestion.field == SuggestionField.TITLE:
            return {"text": project.title, "source": "user"}
        if suggestion.field == SuggestionField.STORY:
            return {"text": project.story, "source": "user" if project.story else ""}
        return {"text": "", "source": ""}

    def get_can_undo(self, suggestion: Suggestion) -> bool:
        return suggestion.field == SuggestionField.ORDER and (
            suggestion.state == SuggestionState.ACCEPTED
        )


class UsageOutput(serializers.Serializer):
    class Meta:
        ref_name = "AiUsage"

    requests = serializers.IntegerField()
    input_tokens = serializers.IntegerField()
    output_tokens = serializers.IntegerField()
    cached_tokens = serializers.IntegerField()
    sent_bytes = serializers.IntegerField()


StateOutput = inline_serializer(
    "AiState",
    {
        "configured": serializers.BooleanField(help_text="AI writing is set up on this server."),
        "enabled": serializers.BooleanField(help_text="The project's AI switch."),
        "places": serializers.BooleanField(help_text="Place names may be sent."),
        "allowance": inline_serializer(
            "AiAllowance",
            {
                "used": serializers.IntegerField(),
                "allowed": serializers.IntegerField(),
                "detail": serializers.ChoiceField(choices=IMAGE_DETAILS),
            },
        ),
        "request": AiRequestOutput(allow_null=True),
        "suggestions": SuggestionOutput(many=True),
        "log": AiRequestOutput(many=True),
        "usage": inline_serializer(
            "AiUsageTotals", {"project": UsageOutput(), "month": UsageOutput()}
        ),
    },
)
AcceptAllOutput = inline_serializer(
    "AiAcceptAll", {"accepted": serializers.IntegerField(), "kept": serializers.IntegerField()}
)


def ai_state(*, project: VideoProject, user: Any) -> dict[str, Any]:
    limits = get_entitlements(user=user)
    log = list(project.ai_requests.order_by("-created_at", "-id")[:LOG_LENGTH])
    latest = ai_request_latest(project=project)
    suggestions = ai_suggestions(project=project)
    return {
        "configured": bool(ai_settings().api_key),
        "enabled": project.ai_enabled,
        "places": project.ai_places,
        "allowance": {
            "used": ai_requests_this_month(user=user),
            "allowed": limits.ai_drafts_per_month,
            "detail": limits.ai_image_detail,
        },
        "request": AiRequestOutput(latest).data if latest else None,
        "suggestions": SuggestionOutput(suggestions, many=True).data,
        "log": AiRequestOutput(log, many=True).data,
        "usage": {
            "project": ai_usage(project=project),
            "month": ai_usage(owner=user, since=month_start()),
        },
    }


class AiStateApi(APIView):
    @extend_schema(operation_id="ai_retrieve", responses=StateOutput)
    def get(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        return Response(ai_state(project=project, user=request.user))


class AiRequestsApi(APIView):
    @extend_schema(
        operation_id="ai_request",
        request=None,
        responses={202: AiRequestOutput, 200: AiRequestOutput},
        description="Ask for a title, captions, a story and an order. 202 when queued; 200 "
        "with the request already running. Poll `GET …/ai/` for its state.",
    )
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        ai_request, created = ai_request_create(user=request.user, project=project)
        code = status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK
        return Response(AiRequestOutput(ai_request).data, status=code)


class AcceptInput(serializers.Serializer):
    class Meta:
        ref_name = "AiAccept"

    text = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=600,
        help_text="The user's edit of the suggestion; omit to accept it as suggested.",
    )


class SuggestionAcceptApi(APIView):
    @extend_schema(
        operation_id="ai_suggestion_accept", request=AcceptInput, responses=SuggestionOutput
    )
    def post(self, request: Request, project_id: str, suggestion_id: str) -> Response:
        suggestion = ai_suggestion_get(
            user=request.user, project_id=project_id, public_id=suggestion_id
        )
        text = validated(AcceptInput, request).get("text")
        return Response(SuggestionOutput(suggestion_accept(suggestion=suggestion, text=text)).data)


class SuggestionRejectApi(APIView):
    @extend_schema(operation_id="ai_suggestion_reject", request=None, responses=SuggestionOutput)
    def post(self, request: Request, project_id: str, suggestion_id: str) -> Response:
        suggestion = ai_suggestion_get(
            user=request.user, project_id=project_id, public_id=suggestion_id
        )
        return Response(SuggestionOutput(suggestion_reject(suggestion=suggestion)).data)


class SuggestionUndoApi(APIView):
    @extend_schema(operation_id="ai_suggestion_undo", request=None, responses=SuggestionOutput)
    def post(self, request: Request, project_id: str, suggestion_id: str) -> Response:
        suggestion = ai_suggestion_get(
            user=request.user, project_id=project_id, public_id=suggestion_id
        )
        return Response(SuggestionOutput(suggestion_undo(suggestion=suggestion)).data)


class AcceptAllApi(APIView):
    @extend_schema(operation_id="ai_accept_all", request=None, responses=AcceptAllOutput)
    def post(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        return Response(suggestions_accept_all(project=project))
