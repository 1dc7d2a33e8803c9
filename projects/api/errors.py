"""One error body for the whole API: ``{"error": {"code", "message", "fields"}}``.

Clients show ``message`` as is, and ``fields`` next to the inputs they belong to.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from billing.errors import LimitExceeded, limit_body
from projects.errors import PlanLimitReached, ProjectsError

_MESSAGES = {
    "not_authenticated": "Sign in to continue.",
    "authentication_failed": "Your session has ended. Sign in again.",
    "permission_denied": "You are not allowed to do that.",
    "not_found": "We could not find that. It may have been deleted.",
    "method_not_allowed": "This address does not accept that kind of request.",
    "throttled": "Too many requests in a short time. Wait a moment and try again.",
    "unsupported_media_type": "Send the data as JSON or as a multipart form.",
    "parse_error": "The request body could not be read.",
}


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, PlanLimitReached):
        # Billing's 402 body: which limit, the use, what the plan allows, where to upgrade.
        limit = LimitExceeded(
            limit=exc.limit, current=exc.current, allowed=exc.allowed, message=exc.message
        )
        body = limit_body(limit)
        body["error"]["fields"] = exc.fields
        body["error"]["limit"]["upgrade_url"] = context["request"].build_absolute_uri(
            limit.upgrade_url
        )
        return Response(body, status=exc.status)
    if isinstance(exc, ProjectsError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response  # a real bug: Django's 500 handling and logging take over
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body("invalid", _first_message(fields), fields)
        return response
    code = exc.default_code if isinstance(exc.default_code, str) else "error"
    message = _MESSAGES.get(code, str(exc.detail))
    wait = getattr(exc, "wait", None)
    if code == "throttled" and wait:
        message = f"Too many uploads in a short time. Try again in {int(wait) + 1} s."
    response.data = error_body(code, message)
    return response


def _first_message(fields: Any) -> str:
    """A sentence for the whole body: the first field problem, named."""
    if not isinstance(fields, dict):
        return "Some fields are not valid."
    for name, problems in fields.items():
        first = problems[0] if isinstance(problems, list) and problems else problems
        if isinstance(first, str):
            return first if name == "non_field_errors" else f"{name}: {first}"
    return "Some fields are not valid."


class ApiView(APIView):
    """Base for projects API views: errors in the one shape above.

    Set per view rather than in REST_FRAMEWORK so /api/v1/me/ keeps the body its clients use;
    moving it to EXCEPTION_HANDLER makes the shape global.
    """

    def get_exception_handler(self) -> Any:
        return exception_handler
