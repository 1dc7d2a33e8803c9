"""Under /api/, whatever Django answers itself is JSON in the API's one error shape.

API views answer their own errors (``projects.api.errors.exception_handler``). This covers the
rest: a path no route matches (with DEBUG on Django would show its HTML debug page, as it does
not use handler404 then), a crash (a JSON 500 with a generic message, logged with its
traceback), a 4xx that a middleware or Django's request parsing produced, and a POST, PATCH or
DELETE to an API path without its trailing slash.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import is_valid_path
from django.utils.log import log_response

from projects.api.errors import django_error, error_body, status_body

API_PREFIX = "/api/"


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        missing_slash = _missing_slash(request)
        if missing_slash:
            return JsonResponse(error_body("not_found", missing_slash), status=404)
        response = self.get_response(request)
        if not _is_api(request) or response.status_code < 400 or _is_json(response):
            return response
        answer = JsonResponse(status_body(response.status_code), status=response.status_code)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                answer[header] = response[header]
        # Django has logged this response already (with the traceback, for a crash).
        answer._has_been_logged = True  # type: ignore[attr-defined]
        return answer

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_api(request):
            return None
        known = django_error(exception)
        if known is not None:
            return JsonResponse(known[1], status=known[0])
        response = JsonResponse(status_body(500), status=500)
        # As Django's own handler does for a crash: tell error reporters, log the traceback.
        got_request_exception.send(sender=None, request=request)
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


def _missing_slash(request: HttpRequest) -> str:
    """Every API path ends with a slash. Django would redirect there (with DEBUG on, crash for a
    POST), and a redirected POST, PATCH or DELETE arrives as a GET, without its body."""
    path = request.path_info
    if not _is_api(request) or path.endswith("/") or request.method in ("GET", "HEAD"):
        return ""
    if is_valid_path(path) or not is_valid_path(f"{path}/"):
        return ""
    return f"This address ends with a slash: send the request to {request.path}/ instead."


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")
