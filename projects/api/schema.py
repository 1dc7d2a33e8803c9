"""The OpenAPI schema as a client generator needs it: one error shape on every operation.

Every view raises domain errors that the API answers as ``{"error": {"code", "message",
"fields"}}`` (402 adds a ``limit`` block). drf-spectacular cannot see those from the code, so
``ApiAutoSchema`` adds the responses each operation can give: the generic ones from what the
view is (authenticated, has an id in its path, takes a body, is throttled) and the domain ones
from ``DOMAIN_ERRORS`` below, kept next to the services that raise them in mind.
"""

from __future__ import annotations

import inspect
from typing import Any

import uritemplate
from django.db.models import Choices
from django.utils.module_loading import import_string
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny

from projects.api.common import Page, Pagination


class ErrorDetail(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(
        help_text="Stable, for programs: invalid, not_found, not_authenticated, plan_limit, …"
    )
    message = serializers.CharField(help_text="One sentence for the person using the app.")
    fields = serializers.DictField(  # type: ignore[assignment]  # DRF's metaclass lifts it
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The problems of each input field, by field name; empty when none.",
    )

    class Meta:
        ref_name = "ErrorDetail"


class Error(serializers.Serializer):  # type: ignore[type-arg]
    """Every failure of the API."""

    error = ErrorDetail()

    class Meta:
        ref_name = "Error"


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}], "nullable": True},
)
class _Amount(serializers.Field):  # type: ignore[type-arg]
    """A count (renders, photos) or a setting (``1080p``, a list of styles)."""


class PlanLimit(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(
        help_text="The plan entitlement: renders_per_month, max_photos_per_project, "
        "max_resolution, styles, …"
    )
    current = _Amount(help_text="What the request would use.")
    allowed = _Amount(help_text="What the plan allows.")
    upgrade_url = serializers.CharField(help_text="Where the user can choose a bigger plan.")

    class Meta:
        ref_name = "PlanLimit"


class PlanLimitErrorDetail(ErrorDetail):
    limit = PlanLimit()

    class Meta:
        ref_name = "PlanLimitErrorDetail"


class PlanLimitError(Error):
    """402: the user's plan does not allow this; a bigger plan does."""

    error = PlanLimitErrorDetail()

    class Meta:
        ref_name = "PlanLimitError"


_RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}

ERRORS: dict[int, tuple[type[serializers.Serializer], str]] = {  # type: ignore[type-arg]
    400: (Error, "The request is not valid; `fields` says which input is wrong and why."),
    401: (Error, "Not signed in, or the session has ended: send a valid X-Session-Token."),
    402: (
        PlanLimitError,
        "The plan's limit is reached: `limit` names it, the use, what the plan allows and "
        "where to upgrade.",
    ),
    403: (Error, "A web-session request without its CSRF token (csrf_failed)."),
    404: (Error, "Not found, or not yours (another user's objects are not found either)."),
    409: (Error, "The current state does not allow this, e.g. the project is being rendered."),
    413: (Error, "The file is larger than the plan allows."),
    415: (Error, "The body's content type is not accepted here."),
    429: (Error, "Too many requests in a short time; wait Retry-After seconds."),
    503: (Error, "The service this needs (payments, AI writing) is not available."),
}

# What the services behind an operation raise, beyond what ``_generic_errors`` finds.
DOMAIN_ERRORS: dict[str, set[int]] = {
    "projects_create": {402},  # a style or resolution the plan does not include
    "projects_update": {402, 409},  # …, and a project being rendered is fixed
    "projects_music_upload": {409, 413},
    "photos_upload": {402, 409, 413},  # photos per project, file size
    "photos_upload_start": {402, 409, 413},
    "photos_upload_finish": {402, 409, 413},
    "photos_update": {409},
    "photos_delete": {409},
    "photos_reorder": {409},
    "photos_sort_by_date": {409},
    "projects_render": {400, 402},  # no photos; renders per month, resolution, photos
    "videos_cancel": {409},  # only a queued or running video can be cancelled
    "videos_retry": {400, 402, 409},  # only a failed or cancelled one can be retried
    "ai_request": {400, 402, 409, 503},  # no photos; allowance; AI off; no key on the server
    "ai_suggestion_accept": {409},  # already decided, or the project is being rendered
    "ai_suggestion_reject": {409},
    "ai_suggestion_undo": {409},
    "ai_accept_all": {409},
    # Translations: a language beyond the plan; the project being rendered; a language the site
    # does not offer (or the project's own); reset without a working translator (edit kept).
    "translations_refresh": {400, 402, 409},
    "translations_language_delete": {409},
    "translations_line_update": {409},
    "translations_line_reset": {409, 503},
    "billing_checkout": {503},
    "billing_portal": {400, 503},
}

_BODY = {"POST", "PUT", "PATCH"}
_UNSAFE = _BODY | {"DELETE"}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with our error responses, paging and binary uploads."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status in sorted(self.error_statuses()):
            serializer, description = ERRORS[status]
            response = self._get_response_for_code(
                OpenApiResponse(response=serializer, description=description), str(status)
            )
            if status == 429:
                response["headers"] = _RETRY_AFTER
            responses.setdefault(str(status), response)
        return responses

    def error_statuses(self) -> set[int]:
        return self._generic_errors() | DOMAIN_ERRORS.get(self.get_operation_id(), set())

    def _generic_errors(self) -> set[int]:
        statuses: set[int] = set()
        if self.method in _BODY and self.get_request_serializer() is not None:
            statuses |= {400, 415}
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            statuses.add(401)
            csrf = any(isinstance(a, SessionAuthentication) for a in self.view.get_authenticators())
            if self.method in _UNSAFE and csrf:
                statuses.add(403)
        if uritemplate.variables(self.path):
            statuses.add(404)
        if self.view.get_throttles():
            statuses.add(429)
        return statuses

    def get_description(self) -> str:  # type: ignore[override]
        # A view's own docstring only: a base class's describes our code, not the API.
        own = type(self.view).__dict__.get("__doc__")
        method_doc = getattr(getattr(self.view, self.method.lower(), None), "__doc__", None)
        return inspect.cleandoc(method_doc or own or "")

    def map_parsers(self) -> list[Any]:
        # JSON bodies are documented as JSON only: a generator offered JSON, form and multipart
        # for the same model cannot tell which to send. Uploads take multipart alone.
        media_types: list[Any] = super().map_parsers()
        return ["application/json"] if "application/json" in media_types else media_types

    def _get_pagination_parameters(self) -> list[dict[str, Any]]:
        # The views page by hand (projects.api.common.paginated), so the paginator is ours to
        # name here; a page-shaped response is the sign.
        if self.method == "GET" and isinstance(self._main_response(), Page):
            return Pagination().get_schema_operation_parameters(self.view)  # type: ignore[no-any-return]
        return []

    def _main_response(self) -> Any:
        response = self.get_response_serializers()
        if isinstance(response, dict):
            response = response.get(200, response.get("200"))
        return force_instance(response)

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        # Uploads are files in a multipart body, not URLs (how DRF renders a stored file).
        if isinstance(field, serializers.FileField) and direction == "request":
            return {"type": "string", "format": "binary"}
        return super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[no-any-return]


def name_enum_members(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: give enum values the names of their Django choices.

    A generator names ``"16:9"`` ``VALUE_0``; with ``x-enum-varnames`` it is ``LANDSCAPE``, as
    in the code. Enums from plain lists keep the generator's names (their values are words).
    """
    schemas = result.get("components", {}).get("schemas", {})
    for name, path in spectacular_settings.ENUM_NAME_OVERRIDES.items():
        choices = import_string(path) if isinstance(path, str) else None
        component = schemas.get(name)
        if component is None or not (isinstance(choices, type) and issubclass(choices, Choices)):
            continue
        by_value = {member.value: member.name for member in choices}
        component["x-enum-varnames"] = [by_value[value] for value in component["enum"]]
    if "BlankEnum" in schemas:
        schemas["BlankEnum"]["x-enum-varnames"] = ["BLANK"]
    return result
