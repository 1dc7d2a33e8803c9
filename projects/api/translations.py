"""A project's words in other languages over the API (``projects.services.translations``).

``GET P translations/`` draws the editor's Languages panel; ``GET …/<lang>/`` lists one
language's lines; ``POST …/<lang>/refresh/`` adds the language or translates again (edits are
kept); each line is edited with a PATCH and reset with a POST; ``DELETE …/<lang>/`` removes it.

Refresh runs in the request: a project has at most a few hundred short lines, which go to the
translation service in one or a few batched requests under a short timeout, and the cache answers
lines it has seen. A failed translation is not an HTTP error: the rows are kept (missing ones are
made blank, for the user to write) and the answer's ``error`` says what happened.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.entitlements import get_entitlements
from projects.api.common import LANGUAGE_CHOICES, validated
from projects.api.fields import StrictCharField
from projects.models import TranslationField, VideoProject
from projects.selectors import project_get
from projects.services.translations import (
    MAX_LENGTH,
    Line,
    RefreshResult,
    allowed_languages,
    current_source,
    language_names,
    project_languages,
    translation_edit,
    translation_get,
    translation_lines,
    translation_reset,
    translations_delete,
    translations_refresh,
    translations_summary,
)
from projects.translation import get_translator


class TranslationErrorOutput(serializers.Serializer):
    class Meta:
        ref_name = "TranslationError"

    code = serializers.CharField(
        help_text="translation_not_configured, translation_timeout, translation_server_error, …"
    )
    message = serializers.CharField(help_text="One sentence for the user.")


class LineOutput(serializers.Serializer):
    """One line: the project's own words (``source``) and their translation (``text``)."""

    class Meta:
        ref_name = "TranslationLine"

    id = serializers.SerializerMethodField(help_text="null: not translated yet (refresh makes it)")
    field = serializers.ChoiceField(choices=TranslationField.choices)
    photo_id = serializers.SerializerMethodField()
    source = serializers.CharField(help_text="The original, in the project's language.")  # type: ignore[assignment]
    text = serializers.CharField(help_text="The translation; blank when there is none yet.")
    edited = serializers.BooleanField(help_text="Written by the user: refresh never changes it.")
    stale = serializers.BooleanField(help_text="The original changed since this line was made.")
    max_length = serializers.SerializerMethodField()

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_id(self, line: Line) -> str | None:
        return str(line.translation.public_id) if line.translation else None

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_photo_id(self, line: Line) -> str | None:
        return str(line.photo.public_id) if line.photo else None

    def get_max_length(self, line: Line) -> int:
        return MAX_LENGTH[TranslationField(line.field)]


class LanguageSummaryOutput(serializers.Serializer):
    class Meta:
        ref_name = "TranslationLanguage"

    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    name = serializers.CharField()
    lines = serializers.IntegerField()
    translated = serializers.IntegerField()
    edited = serializers.IntegerField()
    stale = serializers.IntegerField()


class LanguageChoiceOutput(serializers.Serializer):
    class Meta:
        ref_name = "TranslationLanguageChoice"

    code = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    name = serializers.CharField()


StateOutput = inline_serializer(
    "Translations",
    {
        "configured": serializers.BooleanField(
            help_text="Machine translation is set up on this site; if not, lines are written "
            "by hand."
        ),
        "project_language": serializers.ChoiceField(choices=LANGUAGE_CHOICES),
        "languages": LanguageSummaryOutput(many=True),
        "available": LanguageChoiceOutput(
            many=True, help_text="Languages that can be added (the site's, not yet added)."
        ),
        "allowed": serializers.IntegerField(
            help_text="Languages per video the plan allows, the project's own included."
        ),
    },
)

LanguageOutput = inline_serializer(
    "TranslationLanguageDetail",
    {
        "language": serializers.ChoiceField(choices=LANGUAGE_CHOICES),
        "name": serializers.CharField(),
        "configured": serializers.BooleanField(),
        "lines": LineOutput(many=True),
    },
)

RefreshOutput = inline_serializer(
    "TranslationRefresh",
    {
        "language": serializers.ChoiceField(choices=LANGUAGE_CHOICES),
        "name": serializers.CharField(),
        "configured": serializers.BooleanField(),
        "translated": serializers.IntegerField(help_text="Lines translated now."),
        "unchanged": serializers.IntegerField(help_text="Lines already translated."),
        "kept_edits": serializers.IntegerField(help_text="Lines the user wrote, kept."),
        "stale": serializers.IntegerField(help_text="Of those, lines whose original changed."),
        "created": serializers.IntegerField(),
        "removed": serializers.IntegerField(help_text="Lines whose original is gone."),
        "error": TranslationErrorOutput(
            allow_null=True, help_text="Why lines could not be translated; every row is kept."
        ),
        "lines": LineOutput(many=True),
    },
)


def _language_body(project: VideoProject, language: str) -> dict[str, Any]:
    return {
        "language": language,
        "name": language_names().get(language, language),
        "configured": get_translator().configured,
        "lines": LineOutput(translation_lines(project=project, language=language), many=True).data,
    }


def _refresh_body(project: VideoProject, result: RefreshResult) -> dict[str, Any]:
    error = result.error
    return {
        **_language_body(project, result.language),
        "translated": result.translated,
        "unchanged": result.unchanged,
        "kept_edits": result.kept_edits,
        "stale": result.stale,
        "created": result.created,
        "removed": result.removed,
        "error": {"code": error.code, "message": result.error_message} if error else None,
    }


def translations_state(*, project: VideoProject, user: Any) -> dict[str, Any]:
    added = set(project_languages(project=project))
    names = language_names()
    return {
        "configured": get_translator().configured,
        "project_language": project.language,
        "languages": translations_summary(project=project),
        "available": [
            {"code": code, "name": names[code]}
            for code in allowed_languages(project=project)
            if code not in added
        ],
        "allowed": get_entitlements(user=user).languages_per_video,
    }


class TranslationsApi(APIView):
    @extend_schema(operation_id="translations_retrieve", responses=StateOutput)
    def get(self, request: Request, project_id: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        return Response(translations_state(project=project, user=request.user))


class TranslationLanguageApi(APIView):
    @extend_schema(
        operation_id="translations_language_retrieve",
        responses=LanguageOutput,
        description="Every line of the project in `language`: 404 if it has not been added.",
    )
    def get(self, request: Request, project_id: str, language: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        return Response(_language_body(project, language))

    @extend_schema(
        operation_id="translations_language_delete",
        responses={204: None},
        description="Remove the language and every one of its lines, the user's edits too "
        "(any language the project has, even one that has since become its own).",
    )
    def delete(self, request: Request, project_id: str, language: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        if not translations_delete(project=project, language=language):
            raise Http404("This language has not been added to the project.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class TranslationRefreshApi(APIView):
    @extend_schema(
        operation_id="translations_refresh",
        request=None,
        responses=RefreshOutput,
        description="Add `language` to the project, or translate it again: new lines and lines "
        "whose original changed are translated; lines the user edited are kept (and marked "
        "`stale` when their original changed). When translation fails or is not set up the "
        "answer is still 200: `error` says why, existing lines are unchanged and missing ones "
        "are made blank for the user to write. 402 when the plan allows no more languages.",
    )
    def post(self, request: Request, project_id: str, language: str) -> Response:
        project = project_get(user=request.user, public_id=project_id)
        result = translations_refresh(user=request.user, project=project, language=language)
        return Response(_refresh_body(project, result))


class LineInput(serializers.Serializer):
    class Meta:
        ref_name = "TranslationLineUpdate"

    text = StrictCharField(
        allow_blank=True,
        max_length=600,
        help_text="The user's own translation (plain text; title 120, caption 200, story 600).",
    )


def _line(translation: Any) -> dict[str, Any]:
    line = Line(translation.field, translation.photo, current_source(translation), translation)
    return dict(LineOutput(line).data)


class TranslationLineApi(APIView):
    @extend_schema(
        operation_id="translations_line_update",
        request=LineInput,
        responses=LineOutput,
        description="The user's words for the line: kept through every refresh until reset.",
    )
    def patch(
        self, request: Request, project_id: str, language: str, translation_id: str
    ) -> Response:
        translation = translation_get(
            user=request.user, project_id=project_id, language=language, public_id=translation_id
        )
        text = validated(LineInput, request)["text"]
        return Response(_line(translation_edit(translation=translation, text=text)))


class TranslationResetApi(APIView):
    @extend_schema(
        operation_id="translations_line_reset",
        request=None,
        responses=LineOutput,
        description="Drop the user's edit and translate the line again. 503 (the edit kept) "
        "when machine translation is not set up or fails.",
    )
    def post(
        self, request: Request, project_id: str, language: str, translation_id: str
    ) -> Response:
        translation = translation_get(
            user=request.user, project_id=project_id, language=language, public_id=translation_id
        )
        return Response(_line(translation_reset(translation=translation)))
