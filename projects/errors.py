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


class MusicRejected(ProjectsError):
    """The file cannot become the project's soundtrack (not audio, damaged, hostile name, …)."""

    code = "music_rejected"


class MusicTooLarge(ProjectsError):
    code = "music_too_large"
    status = 413


class PlanLimitReached(ProjectsError):
    """The user's plan does not allow this (402: a bigger plan does). ``limit`` names the
    entitlement, as billing's ``LimitExceeded`` does; the API answers both with one body."""

    code = "plan_limit"
    status = 402

    def __init__(
        self,
        message: str,
        *,
        limit: str,
        current: int | str | None,
        allowed: int | str | None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, fields=fields)
        self.limit, self.current, self.allowed = limit, current, allowed


class NotEditable(ProjectsError):
    """The project is being rendered; its photos and options are fixed until it finishes."""

    code = "not_editable"
    status = 409
