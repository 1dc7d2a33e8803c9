"""One error body for the whole API: ``{"error": {"code", "message", "fields"}}``.

Clients show ``message`` as is, and ``fields`` next to the inputs they belong to. A 402 adds a
``limit`` block (which limit, the use, what the plan allows, where to upgrade).

``exception_handler`` is REST_FRAMEWORK's EXCEPTION_HANDLER, so every API view answers in this
shape; ``projects.api.middleware`` puts what Django itself answers under /api/ (an unknown path,
a crash, a body over the request limit) into the same shape.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from billing.errors import BillingError, LimitExceeded, limit_body
from projects.errors import PlanLimitReached, ProjectsError
from rendering.errors import RenderingError

# Messages are translated into the request's language when a body is built (lazy strings);
# the codes are part of the API and never translated.
MESSAGES = {
    "bad_request": gettext_lazy("The request could not be read."),
    "not_authenticated": gettext_lazy("Sign in to continue."),
    "authentication_failed": gettext_lazy("Your session has ended. Sign in again."),
    "session_invalid": gettext_lazy("Your session token is invalid or has expired. Sign in again."),
    "permission_denied": gettext_lazy("You are not allowed to do that."),
    "csrf_failed": gettext_lazy(
        "The CSRF token is missing or wrong. A browser sends the csrftoken cookie's value in "
        "the X-CSRFToken header; an app signs in for an X-Session-Token instead."
    ),
    "not_found": gettext_lazy("We could not find that. It may have been deleted."),
    "method_not_allowed": gettext_lazy("This address does not accept that kind of request."),
    "not_acceptable": gettext_lazy("This address answers in JSON only."),
    "throttled": gettext_lazy("Too many requests in a short time. Wait a moment and try again."),
    "unsupported_media_type": gettext_lazy(
        "Send the body as JSON, with Content-Type: application/json."
    ),
    "server_error": gettext_lazy("Something went wrong on our side. Try again in a moment."),
}
# What an answer of Django's own (not an API view's) means, by status.
STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "throttled",
}


def error_body(
    code: str, message: StrOrPromise, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def status_body(status: int) -> dict[str, Any]:
    """The body for a bare status (Django answered before or instead of a view)."""
    if status >= 500:
        return error_body("server_error", MESSAGES["server_error"])
    if status == 413:
        return error_body("request_too_large", too_large_message())
    code = STATUS_CODES.get(status, "bad_request")
    return error_body(code, MESSAGES.get(code, MESSAGES["bad_request"]))


def too_large_message() -> str:
    mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return _(
        "The request is too large: send at most %(mb)s MB of fields and at most %(count)s "
        "fields. Files go in a multipart/form-data body."
    ) % {"mb": f"{mb:g}", "count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}


def django_error(exc: Exception) -> tuple[int, dict[str, Any]] | None:
    """Status and body for the exceptions Django raises on its own, ``None`` for a bug."""
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return 413, error_body("request_too_large", too_large_message())
    if isinstance(exc, Http404):
        return 404, status_body(404)
    if isinstance(exc, PermissionDenied):
        return 403, status_body(403)
    if isinstance(exc, SuspiciousOperation | BadRequest):
        return 400, status_body(400)
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST framework's handler for every API view. ``None`` (a real bug) re-raises; the API
    middleware then answers a logged JSON 500."""
    request = context.get("request")
    if isinstance(exc, PlanLimitReached):
        exc = _as_limit(exc)
    if isinstance(exc, LimitExceeded):
        body = limit_body(exc)
        if request is not None:
            body["error"]["limit"]["upgrade_url"] = request.build_absolute_uri(exc.upgrade_url)
        body["error"]["fields"] = getattr(exc, "fields", {})
        return Response(body, status=exc.status)
    if isinstance(exc, ProjectsError | RenderingError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, BillingError):
        return Response(error_body(exc.code, exc.message), status=exc.status)
    known = django_error(exc)
    if known is not None:
        return Response(known[1], status=known[0])
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return None
    response.data = _api_exception_body(exc, context)
    return response


def _as_limit(exc: PlanLimitReached) -> LimitExceeded:
    limit = LimitExceeded(
        limit=exc.limit, current=exc.current, allowed=exc.allowed, message=exc.message
    )
    limit.fields = exc.fields  # type: ignore[attr-defined]  # carried into the body
    return limit


def _api_exception_body(exc: exceptions.APIException, context: dict[str, Any]) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return error_body("invalid", _first_message(fields), fields)
    code = _code_of(exc)
    message = MESSAGES.get(code, str(exc.detail))
    if code == "unsupported_media_type":
        message = getattr(context.get("view"), "media_type_message", message)
    if code == "parse_error":
        message = _("The request body could not be read: %(detail)s") % {"detail": exc.detail}
    wait = getattr(exc, "wait", None)
    if code == "throttled" and wait:
        seconds = int(wait) + 1
        if getattr(context.get("view"), "throttle_scope", ""):
            message = _("Too many uploads in a short time. Try again in %(seconds)s s.")
        else:
            message = _("Too many requests in a short time. Try again in %(seconds)s s.")
        message = message % {"seconds": seconds}
    return error_body(code, message)


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return "csrf_failed"  # REST framework's SessionAuthentication says so only in English
    # Our authentication raises AuthenticationFailed("…", code="session_invalid").
    if isinstance(codes, str) and codes in MESSAGES:
        return codes
    return exc.default_code if isinstance(exc.default_code, str) else "error"


def _first_message(fields: Any) -> str:
    """A sentence for the whole body: the first field problem, named."""
    if not isinstance(fields, dict):
        return _("Some fields are not valid.")
    for name, problems in fields.items():
        first = problems[0] if isinstance(problems, list) and problems else problems
        if isinstance(first, str):
            return first if name == "non_field_errors" else f"{name}: {first}"
    return _("Some fields are not valid.")
