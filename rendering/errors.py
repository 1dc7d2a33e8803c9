"""Domain errors from render-job services. ``message`` is written for the person using the app."""

from __future__ import annotations

from typing import Any


class RenderingError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, Any] | None = None) -> None:
        self.message = message
        self.fields = fields or {}
        super().__init__(message)


class NothingToRender(RenderingError):
    code = "no_photos"


class InvalidTransition(RenderingError):
    """A cancel or retry that the job's status does not allow (e.g. cancelling a finished one)."""

    code = "invalid_state"
    status = 409
