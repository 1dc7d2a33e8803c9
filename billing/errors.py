"""Billing's errors, and the one "plan limit reached" error every feature raises.

``LimitExceeded`` is answered 402 Payment Required by the API with the body from ``limit_body``:
which limit, the current use, what the plan allows and where to upgrade. Projects and rendering
raise it; the web shows the same message with an upgrade button.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse


class BillingError(Exception):
    """A request billing cannot carry out; ``message`` is written for the customer."""

    code = "billing_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        self.message = message
        self.code = code or self.code
        self.status = status or self.status
        super().__init__(message)


class BillingDisabled(BillingError):
    code = "billing_disabled"
    status = 503


class LimitExceeded(Exception):
    """The user's plan does not allow this. ``limit`` names the entitlement field
    (``renders_per_month``, ``max_photos_per_project``, ``max_resolution``…)."""

    status = 402
    code = "plan_limit"

    def __init__(
        self,
        *,
        limit: str,
        current: int | str | None,
        allowed: int | str | None,
        message: str,
        upgrade_url: str | None = None,
    ) -> None:
        self.limit = limit
        self.current = current
        self.allowed = allowed
        self.message = message
        self.upgrade_url = upgrade_url or reverse("billing-pricing")
        super().__init__(message)


def limit_body(exc: LimitExceeded) -> dict[str, Any]:
    """The API's 402 body: the projects error shape plus a ``limit`` block."""
    return {
        "error": {
            "code": exc.code,
            "message": exc.message,
            "fields": {},
            "limit": {
                "name": exc.limit,
                "current": exc.current,
                "allowed": exc.allowed,
                "upgrade_url": exc.upgrade_url,
            },
        }
    }
