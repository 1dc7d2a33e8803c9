"""The API's answer to billing errors and plan limits, in the one error body of the API."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response

from billing.errors import BillingError, LimitExceeded, limit_body
from projects.api.errors import ApiView, error_body
from projects.api.errors import exception_handler as projects_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """402 with the limit block for ``LimitExceeded``; billing errors with their status; the
    rest as projects' handler answers it. Any API view may use this one."""
    if isinstance(exc, LimitExceeded):
        return Response(limit_body(exc), status=exc.status)
    if isinstance(exc, BillingError):
        return Response(error_body(exc.code, exc.message), status=exc.status)
    return projects_exception_handler(exc, context)


class BillingApiView(ApiView):
    def get_exception_handler(self) -> Any:
        return exception_handler
