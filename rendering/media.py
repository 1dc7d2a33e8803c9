"""Links to a video's files that only its owner can follow."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import slugify

from projects import storage
from rendering.models import GeneratedVideo

KINDS = ("mp4", "poster", "download")


def video_file(video: GeneratedVideo, kind: str) -> tuple[str, str, str, bool]:
    """(storage key, content type, file name, inline) of one of the video's files."""
    name = slugify(video.project.title) or "memory"
    if kind == "poster":
        return video.poster_key, "image/jpeg", f"{name}.jpg", True
    return video.output_key, "video/mp4", f"{name}.mp4", kind == "mp4"


def video_url(request: HttpRequest | None, video: GeneratedVideo, kind: str) -> str | None:
    """A presigned storage link (S3), or the app's own owner-checked link (filesystem)."""
    key, content_type, name, inline = video_file(video, kind)
    if not key:
        return None
    signed = storage.signed_url(key, content_type=content_type, filename=name, inline=inline)
    if signed:
        return signed
    path = reverse(
        "video-file",
        kwargs={"project_id": video.project.public_id, "video_id": video.public_id, "kind": kind},
    )
    return request.build_absolute_uri(path) if request else path
