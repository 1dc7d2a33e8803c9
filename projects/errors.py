"""Domain errors from projects services. ``message`` is written for the person using the app."""

from __future__ import annotations


class ProjectsError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        self.message = message
        self.fields = fields or {}
        super().__init__(message)


class UploadRejected(ProjectsError):
    """The file cannot become a photo (not an image, damaged, hostile name, …)."""

    code = "photo_rejected"


class UploadTooLarge(ProjectsError):
    code = "file_too_large"
    status = 413


class PlanLimitReached(ProjectsError):
    code = "plan_limit"
    status = 403


class NotEditable(ProjectsError):
    """The project is being rendered; its photos and options are fixed until it finishes."""

    code = "not_editable"
    status = 409
