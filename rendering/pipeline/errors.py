"""Errors the pipeline raises. Every message is written for the person who asked for the video."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: something stopped a render; ``str(err)`` is safe to show a user."""


class UnusablePhoto(PipelineError):
    """A file that cannot be used as a photo; the render goes on without it."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


class NoUsablePhotos(PipelineError):
    """Nothing left to render after every unusable file was skipped."""


class InvalidOptions(PipelineError):
    """An option outside what the pipeline supports (style, aspect, resolution, …)."""


class RenderFailed(PipelineError):
    """FFmpeg failed; ``detail`` keeps the tail of its stderr for logs, not for users."""

    def __init__(self, message: str, detail: str = "") -> None:
        self.detail = detail
        super().__init__(message)


class RenderCancelled(PipelineError):
    """The render was cancelled; FFmpeg and temp files are gone."""


class RenderTimeout(RenderFailed):
    """FFmpeg ran past its time limit and was killed."""


class OutputMismatch(RenderFailed):
    """The probed output does not match the plan (duration, size, codecs, audio)."""
